from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kanwu.core"
    label = "kanwu_core"
    verbose_name = "核心"

    def ready(self) -> None:
        from kanwu.core import memo

        memo.connect()
