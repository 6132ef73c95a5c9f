"""Signal receivers: any change to the word lists makes every process rebuild its matcher."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from kanwu.wordfilter.models import SensitiveWord
from kanwu.wordfilter.services import words_changed


def on_words_changed(sender: type[Any], **kwargs: Any) -> None:
    # Admin edits go through the model; bulk imports call words_changed themselves.
    transaction.on_commit(words_changed)


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(
            on_words_changed, sender=SensitiveWord, dispatch_uid=f"kanwu-words-{id(signal)}"
        )
