from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kanwu.core"
    label = "kanwu_core"
    verbose_name = "核心"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from kanwu.core import memo, tasks
        from kanwu.core.permissions import permissions_in_chinese
        from kanwu.core.wagtail_labels import label_wagtail_fields

        memo.connect()
        tasks.connect()
        label_wagtail_fields()
        post_migrate.connect(permissions_in_chinese, dispatch_uid="kanwu-permissions-in-chinese")
