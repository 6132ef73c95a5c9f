"""Text analysis shared by indexing, querying, recommendations and de-duplication.

Pure functions over strings: nothing here touches the database or imports another kanwu app.

Every text goes through `fold` first (NFKC folds full-width letters, digits and punctuation
to half-width, OpenCC folds traditional to simplified characters, then lower case), so a
query typed in traditional characters or full-width Latin finds the simplified,
half-width article.

A folded text is then cut two ways:

* **tokens**: ASCII words and numbers, and runs of Chinese characters, in order. The search
  index is made of their character n-grams (`kanwu.search.backends.base.index_grams`), so an
  article containing a query as a substring is found, whatever the segmenter makes of it.
* **words**: jieba's search-mode segmentation (through rjieba, its Rust port), stop words
  dropped. A query that is a whole word ranks higher; keywords for recommendations are words.
"""

from __future__ import annotations

import heapq
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

import opencc

if TYPE_CHECKING:
    import rjieba

# A token is an ASCII word/number, or a run of other letters (Chinese characters).
_TOKEN = re.compile(r"[a-z0-9]+|[^\W\d_a-z]+")
_QUOTED = re.compile(r'"([^"]*)"')
# Spaces between Chinese characters inside quotes are not separators: "民族 团结" = 民族团结.
_CJK_SPACE = re.compile(r"(?<=[^\W\d_a-z])\s+(?=[^\W\d_a-z])")
_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"'})

MAX_QUERY_LENGTH = 100
MAX_QUERY_TERMS = 8

# Function words that carry no meaning on their own; dropped from the word stream and from
# keywords (the gram stream keeps them, so a search for 的 still finds articles).
STOP_WORDS = frozenset(
    """
    的 了 和 与 及 或 是 在 有 为 对 于 以 将 把 被 从 向 等 也 就 都 而 并 之 其 这 那 此
    个 们 我 你 他 她 它 我们 你们 他们 一个 一些 这个 那个 这些 那些 没有 不是 可以 已经
    还 又 更 很 最 上 下 中 来 去 到 说 要 会 能 让 使 着 过 吗 呢 吧 啊 及其 以及 其中 通过
    进行 一 二 三 年 月 日 时 a an the of and or to in on for is are was be by with as at
    """.split()
)


@cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """Half-width, simplified, lower-case: the form every text is compared in."""
    return _t2s().convert(unicodedata.normalize("NFKC", text)).lower()


# OpenCC's simplified → traditional configurations a site may choose: Taiwan phrasing (软件 →
# 軟體), Hong Kong characters (軟件), or characters only.
TRADITIONAL_CONFIGS = ("s2twp", "s2hk", "s2t")


@cache
def _s2t(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_traditional(text: str, config: str = "s2twp") -> str:
    """`text` in traditional characters, with the phrasing of `config` (TRADITIONAL_CONFIGS)."""
    if config not in TRADITIONAL_CONFIGS:
        config = TRADITIONAL_CONFIGS[0]
    return str(_s2t(config).convert(text))


# --- segmentation with the site dictionary ----------------------------------------------------

_segmenter: rjieba.Jieba | None = None
_site_words: frozenset[tuple[str, int | None]] = frozenset()


def _jieba() -> rjieba.Jieba:
    global _segmenter
    if _segmenter is None:
        import rjieba  # its dictionary takes 33 MB: loaded by the first search or indexing

        _segmenter = rjieba.Jieba()
        for word, weight in sorted(_site_words, key=lambda item: item[0]):
            _segmenter.add_word(fold(word), weight, None)
    return _segmenter


def use_site_words(words: Iterable[tuple[str, int | None]]) -> bool:
    """Segment with jieba's dictionary plus `words` (word, optional frequency weight).

    Returns True when the dictionary changed. The caller (the search app's dictionary
    loader) reads the words from the database; this module never does.
    """
    global _segmenter, _site_words
    wanted = frozenset((word.strip(), weight) for word, weight in words if word.strip())
    if wanted == _site_words and _segmenter is not None:
        return False
    _site_words = wanted
    _segmenter = None
    return True


def tokens(folded: str) -> list[str]:
    """ASCII words/numbers and runs of Chinese characters, in order (input already folded)."""
    return _TOKEN.findall(folded)


def words(folded: str, *, keep_stop_words: bool = False) -> list[str]:
    """jieba search-mode words of an already folded text, split into clean tokens."""
    # One pass of the pattern over the pieces joined by spaces (no token spans a space).
    found = _TOKEN.findall(" ".join(_jieba().cut_for_search(folded)))
    return found if keep_stop_words else [t for t in found if t not in STOP_WORDS]


# --- queries -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One thing the reader asked for: every matching article contains it.

    `parts` are its tokens, adjacent in a matching text; `prefix` says a single trailing
    Chinese character may start a longer run; `word` is the term as one whole word, when it
    is one, to rank whole-word matches higher. `text` is the folded term as typed (without
    spaces), used for highlighting.
    """

    text: str
    parts: tuple[str, ...]
    prefix: bool
    word: str | None


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    terms: tuple[QueryTerm, ...]
    truncated: bool = False
    dropped_terms: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.terms


def query_term(parts: list[str]) -> QueryTerm | None:
    """A term from its tokens in order; tokens must be adjacent in the text to match."""
    if not parts:
        return None
    final = parts[-1]
    prefix = not final.isascii() and len(final) == 1
    word = parts[0] if len(parts) == 1 else None
    return QueryTerm(text="".join(parts), parts=tuple(parts), prefix=prefix, word=word)


def parse_query(raw: str) -> ParsedQuery:
    """Reader input → terms. Never raises: anything unusable is simply left out.

    Double quotes (ASCII or Chinese) make a phrase of several words; outside quotes,
    whitespace separates terms, all of which must match. Punctuation and search-engine
    syntax (`*`, `NEAR(`, parentheses…) are not operators here, just separators.
    """
    text = raw.translate(_QUOTES)
    truncated = len(text) > MAX_QUERY_LENGTH
    text = text[:MAX_QUERY_LENGTH]
    chunks: list[str] = []
    position = 0
    for match in _QUOTED.finditer(text):
        chunks.extend(fold(part) for part in text[position : match.start()].split())
        chunks.append(_CJK_SPACE.sub("", fold(match.group(1))))
        position = match.end()
    # An unbalanced quote is just a separator.
    chunks.extend(fold(part) for part in text[position:].replace('"', " ").split())
    terms: list[QueryTerm] = []
    for chunk in chunks:
        term = query_term(tokens(chunk))
        if term is not None and term not in terms:
            terms.append(term)
    dropped = len(terms) > MAX_QUERY_TERMS
    return ParsedQuery(
        terms=tuple(terms[:MAX_QUERY_TERMS]), truncated=truncated, dropped_terms=dropped
    )


# --- keywords -----------------------------------------------------------------------------------


@cache
def _idf() -> tuple[dict[str, float], float]:
    """jieba's IDF table (the one jieba.analyse uses), read without importing jieba."""
    spec = find_spec("jieba")
    if spec is None or spec.origin is None:
        raise RuntimeError("jieba is not installed: its IDF table is needed for keywords")
    path = Path(spec.origin).parent / "analyse" / "idf.txt"
    table: dict[str, float] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, _, value = line.strip().partition(" ")
            if value:
                table[word] = float(value)
    median = sorted(table.values())[len(table) // 2]
    return table, median


def keywords(text: str, limit: int = 20) -> dict[str, float]:
    """The `limit` most characteristic words (TF-IDF, jieba's IDF), L2-normalised weights.

    Like jieba.analyse.extract_tags, but with rjieba's segmentation and our folding.
    """
    idf, median = _idf()
    # Count every piece, then keep the words: each distinct piece is checked once.
    counts = {
        word: count
        for word, count in Counter(_jieba().cut(fold(text))).items()
        if len(word) > 1 and word not in STOP_WORDS and _TOKEN.fullmatch(word)
    }
    if not counts:
        return {}
    scored = heapq.nlargest(
        limit, ((count * idf.get(word, median), word) for word, count in counts.items())
    )
    norm = math.sqrt(sum(score * score for score, _ in scored)) or 1.0
    return {word: score / norm for score, word in scored}


def highlight_spans(text: str, needles: Iterable[str]) -> Iterator[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) spans of `needles` in `text` (both folded)."""
    spans: list[tuple[int, int]] = []
    for needle in sorted({n for n in needles if n}, key=len, reverse=True):
        start = text.find(needle)
        while start != -1:
            end = start + len(needle)
            if all(end <= s or start >= e for s, e in spans):
                spans.append((start, end))
            start = text.find(needle, end)
    return iter(sorted(spans))
