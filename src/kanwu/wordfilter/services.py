"""The sensitive-word filter other apps call, and the writes to the word lists.

`check_text(text)` is what comments, submissions and other forms use::

    from kanwu.wordfilter.services import check_text

    result = check_text(body)
    if result.action == "reject": ...      # refuse, tell the reader
    elif result.action == "hold": ...      # store for moderation
    body = result.text                     # words with the mask action became ＊
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

from kanwu.wordfilter.matcher import FilterResult, WordMatcher, normalise
from kanwu.wordfilter.models import Action, SensitiveWord

__all__ = ["FilterResult", "check_text", "words_changed", "words_import"]

_VERSION_KEY = "wordfilter:version"
_lock = threading.Lock()
_current: tuple[object, WordMatcher] | None = None


def _version() -> object:
    # A random token, not a counter: after the cache is emptied no process can mistake an old
    # matcher for the current one.
    version = cache.get(_VERSION_KEY)
    if version is None:
        cache.add(_VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(_VERSION_KEY)
    return version


def words_changed() -> None:
    """Tell every process to rebuild its matcher (the version lives in the shared cache)."""
    cache.set(_VERSION_KEY, uuid.uuid4().hex, None)


def current_matcher() -> WordMatcher:
    """This process's matcher, rebuilt from the database when the word lists changed."""
    global _current
    version = _version()
    current = _current
    if current is not None and current[0] == version:
        return current[1]
    with _lock:
        matcher = WordMatcher(SensitiveWord.objects.values_list("word", "action"))
        _current = (version, matcher)
    return matcher


def check_text(text: str) -> FilterResult:
    """allow / hold / reject, the text with masked words ＊'d, and the words found."""
    return current_matcher().check(text)


def words_import(*, lines: Iterable[str], action: str, replace: bool = False) -> tuple[int, int]:
    """Add one word per line with `action`; existing words get the new action.

    Blank lines and lines starting with # are skipped. Returns (created, updated). With
    `replace`, every word of that action not in the file is removed.
    """
    if action not in Action.values:
        raise ValueError(f"未知的处理方式：{action}（可选：{', '.join(Action.values)}）")
    words: dict[str, None] = {}
    for raw in lines:
        word = raw.strip()
        if not word or word.startswith("#"):
            continue
        if len(word) > SensitiveWord._meta.get_field("word").max_length:  # type: ignore[operator]
            raise ValueError(f"敏感词太长（最多 100 个字符）：{word[:20]}…")
        if not normalise(word):
            raise ValueError(f"敏感词只含空格或标点，无法匹配：{word}")
        words[word] = None
    with transaction.atomic():
        # Compared in Python: a 10,000-word file would exceed the database's parameter limits.
        existing = dict(SensitiveWord.objects.values_list("word", "action"))
        created = [SensitiveWord(word=w, action=action) for w in words if w not in existing]
        SensitiveWord.objects.bulk_create(created, batch_size=500)
        to_update = [w for w in words if w in existing and existing[w] != action]
        for start in range(0, len(to_update), 500):
            chunk = to_update[start : start + 500]
            SensitiveWord.objects.filter(word__in=chunk).update(action=action)
        if replace:
            gone = [w for w, a in existing.items() if a == action and w not in words]
            for start in range(0, len(gone), 500):
                SensitiveWord.objects.filter(word__in=gone[start : start + 500]).delete()
        transaction.on_commit(words_changed)
    return len(created), len(to_update)
