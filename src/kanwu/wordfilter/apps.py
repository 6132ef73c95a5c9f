from django.apps import AppConfig


class WordfilterConfig(AppConfig):
    name = "kanwu.wordfilter"
    label = "wordfilter"
    verbose_name = "敏感词"

    def ready(self) -> None:
        from kanwu.wordfilter import signals

        signals.connect()
