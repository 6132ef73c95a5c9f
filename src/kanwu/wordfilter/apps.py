from django.apps import AppConfig


class WordfilterConfig(AppConfig):
    name = "kanwu.wordfilter"
    label = "wordfilter"
    verbose_name = "敏感词"

    def ready(self) -> None:
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from kanwu.wordfilter.models import SensitiveWord
        from kanwu.wordfilter.services import words_changed

        # Admin edits go through the model; any change makes every process rebuild its matcher.
        def changed(**kwargs: object) -> None:
            transaction.on_commit(words_changed)

        post_save.connect(changed, sender=SensitiveWord, weak=False)
        post_delete.connect(changed, sender=SensitiveWord, weak=False)
