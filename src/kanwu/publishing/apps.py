from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "kanwu.publishing"
    label = "publishing"
    verbose_name = "发布与缓存"

    def ready(self) -> None:
        from kanwu.publishing import signals, tasks

        signals.connect()
        tasks.connect_batches()
