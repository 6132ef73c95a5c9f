"""Result snippets with the matched words in <mark>."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kanwu.core.analysis import ParsedQuery, fold, highlight_spans

SNIPPET_LENGTH = 120
LEAD = 30


def _spans(text: str, query: ParsedQuery) -> tuple[str, list[tuple[int, int]]]:
    needles = [part for term in query.terms for part in term.parts]
    folded = fold(text)
    # Folding is one character for one almost always; then highlight the original text.
    shown = text if len(folded) == len(text) else folded
    return shown, list(highlight_spans(folded, needles))


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
    shown, spans = _spans(text, query)
    start = max(0, spans[0][0] - LEAD) if spans else 0
    end = min(len(shown), start + length)
    window = [
        (max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start
    ]
    marked = _marked(shown[start:end], window)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(shown) else ""
    return mark_safe(prefix + marked + suffix)  # noqa: S308 - _marked escapes
