from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "kanwu.search"
    label = "search"
    verbose_name = "搜索"

    def ready(self) -> None:
        from kanwu.search import signals, tasks

        signals.connect()
        tasks.connect_batches()
