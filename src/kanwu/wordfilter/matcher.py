"""The sensitive-word matcher: an Aho-Corasick automaton over normalised text. Pure, no database.

Text and words are normalised the same way, one character at a time, so that a word found in
the normalised text can be traced back to the characters the reader typed (for masking):

- NFKC folds full-width letters, digits and punctuation to their usual forms (Ａ→A, ０→0);
- case is folded (casefold);
- traditional characters become simplified ones (OpenCC t2s, character by character, so a
  word is normalised the same way wherever it stands);
- spaces, punctuation, symbols and invisible format characters are dropped, so 敏 感, 敏*感
  and 敏.感 all read 敏感.

The automaton runs over the UTF-8 bytes of the normalised text (seen as a latin-1 string):
pyahocorasick scans a node's children one by one, and 10,000 Chinese words give the root
thousands of children but only a handful of distinct first bytes. UTF-8 is self-synchronising,
so a word's bytes can only match at a character boundary.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import ahocorasick
import opencc

MASK_CHAR = "＊"
ALLOW = "allow"
HOLD = "hold"
REJECT = "reject"
MASK = "mask"
# The strictest matched word decides what happens to the text.
_SEVERITY = {MASK: 0, HOLD: 1, REJECT: 2}
_DROPPED_CATEGORIES = ("Cc", "Cf")


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


class _FoldTable(dict[int, str]):
    """A str.translate table built on first sight of each character (translate runs in C)."""

    def __missing__(self, codepoint: int) -> str:
        folded = _fold_char(chr(codepoint))
        self[codepoint] = folded
        return folded


def _fold_char(char: str) -> str:
    out = []
    for piece in unicodedata.normalize("NFKC", char):
        category = unicodedata.category(piece)
        if category[0] in "ZPS" or category in _DROPPED_CATEGORIES:
            continue
        out.append(piece)
    text = "".join(out).casefold()
    if text and not text.isascii():
        text = "".join(_converter().convert(c) for c in text)
    return text


_TABLE = _FoldTable()


def normalise(text: str) -> str:
    """The form both the words and the checked text take before matching."""
    return text.translate(_TABLE)


def _as_bytes(text: str) -> str:
    return text.encode("utf-8").decode("latin-1")


def _normalise_with_positions(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the original one."""
    pieces: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        folded = char.translate(_TABLE)
        pieces.append(folded)
        positions.extend([index] * len(folded))
    return "".join(pieces), positions


@dataclass(frozen=True)
class FilterResult:
    """What to do with a text: `action` is allow, hold or reject; `text` has masked words ＊'d."""

    action: str
    text: str
    matched: tuple[str, ...] = field(default=())

    @property
    def allowed(self) -> bool:
        return self.action == ALLOW


class WordMatcher:
    """Built once from (word, action) pairs; `check` is then fast and thread-safe."""

    def __init__(self, words: Iterable[tuple[str, str]]) -> None:
        self._automaton = ahocorasick.Automaton()
        self.size = 0
        for word, action in words:
            key = normalise(word)
            if not key or action not in _SEVERITY:
                continue
            existing = self._automaton.get(_as_bytes(key), None)
            if existing is not None and _SEVERITY[existing[1]] >= _SEVERITY[action]:
                continue
            self._automaton.add_word(_as_bytes(key), (word, action, len(key.encode())))
            self.size += 1
        if self.size:
            self._automaton.make_automaton()

    def check(self, text: str) -> FilterResult:
        if not self.size:
            return FilterResult(ALLOW, text)
        normalised = normalise(text)
        matched: dict[str, str] = {}
        mask_spans: list[tuple[int, int]] = []
        for end, (word, action, length) in self._automaton.iter(_as_bytes(normalised)):
            matched[word] = action
            if action == MASK:
                mask_spans.append((end - length + 1, end))
        if not matched:
            return FilterResult(ALLOW, text)
        severity = max(_SEVERITY[action] for action in matched.values())
        action = {0: ALLOW, 1: HOLD, 2: REJECT}[severity]
        if mask_spans:
            text = self._mask(text, mask_spans)
        return FilterResult(action, text, tuple(sorted(matched)))

    @staticmethod
    def _mask(text: str, byte_spans: list[tuple[int, int]]) -> str:
        """＊ over every typed character whose normalised bytes fall in a masked span."""
        normalised, positions = _normalise_with_positions(text)
        # For each byte of the normalised text, the index of the original character.
        original_at_byte: list[int] = []
        for char, original in zip(normalised, positions, strict=True):
            original_at_byte.extend([original] * len(char.encode()))
        chars = list(text)
        for start, end in byte_spans:
            for k in range(start, end + 1):
                chars[original_at_byte[k]] = MASK_CHAR
        return "".join(chars)
