"""Result snippets with the matched words in <mark>."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kanwu.textanalysis import ParsedQuery, fold, highlight_spans

SNIPPET_LENGTH = 120
LEAD = 30
# The body is folded a piece at a time while looking for the first match: folding a whole
# article (NFKC, then OpenCC) costs more than the rest of a result.
PIECE = 400


def _needles(query: ParsedQuery) -> list[str]:
    return [part for term in query.terms for part in term.parts]


def _spans(text: str, query: ParsedQuery) -> tuple[str, list[tuple[int, int]]]:
    folded = fold(text)
    # Folding is one character for one almost always; then highlight the original text.
    shown = text if len(folded) == len(text) else folded
    return shown, list(highlight_spans(folded, _needles(query)))


def _first_match(text: str, query: ParsedQuery) -> int | None:
    """Where the first match starts (in `text`, or near it when folding changed lengths)."""
    needles = _needles(query)
    overlap = max((len(n) for n in needles), default=1)
    for start in range(0, len(text), PIECE):
        spans = list(highlight_spans(fold(text[start : start + PIECE + overlap]), needles))
        if spans:
            return start + spans[0][0]
    return None


def _marked(text: str, spans: list[tuple[int, int]]) -> SafeString:
    out: list[str] = []
    position = 0
    for start, end in spans:
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def highlight(text: str, query: ParsedQuery) -> SafeString:
    """The whole `text` with matches marked (for titles)."""
    shown, spans = _spans(text, query)
    return _marked(shown, spans)


def snippet(text: str, query: ParsedQuery, length: int = SNIPPET_LENGTH) -> SafeString:
    """About `length` characters around the first match, matches marked."""
    first = _first_match(text, query)
    start = max(0, first - LEAD) if first is not None else 0
    end = min(len(text), start + length)
    shown, spans = _spans(text[start:end], query)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + _marked(shown, spans) + suffix)  # noqa: S308 - _marked escapes
