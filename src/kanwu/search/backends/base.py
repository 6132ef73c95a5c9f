"""The search backend interface: one subclass per database vendor.

A backend keeps the full-text index of `SearchDocument` rows (`index`, `unindex`) and
answers parsed queries (`kanwu.textanalysis.ParsedQuery`) over it, limited to the candidate
articles the caller passes (a queryset that went through `public_articles()` and the page's
filters). Callers check the capability flags, never the class.

A query is answered in two stages, so that its cost is bounded by the page shown rather
than by the number of matches (a common word is in most of 100,000 articles):

1. **Matching**: the newest `window()` matching candidates (by article id, newest first),
   each term checked exactly. When there are more, the total is estimated from how densely
   they occur among the newest ids ("约 N 篇"), as web search engines do; when there are
   not, it is exact.
2. **Ranking** those matches: articles with a term in the title first, then whole words
   above fragments (title words, body words, words the body repeats), then newer first.
   Sorting by date orders every match instead.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from kanwu.articles.models import ArticlePage
from kanwu.search.models import SearchDocument
from kanwu.textanalysis import ParsedQuery, QueryTerm

DOCUMENT_TABLE = SearchDocument._meta.db_table

Sort = Literal["relevance", "newest"]

# What a term's match in an article adds to its rank: in the title, as a whole word of the
# title, as a whole word of the body, as a word the body repeats (`indexing.HOT_COUNT`).
WEIGHTS = {"title": 4, "title_words": 8, "words": 2, "hot": 1}


@dataclass(frozen=True, slots=True)
class Hit:
    article_id: int
    score: float


@dataclass(frozen=True, slots=True)
class SearchPage:
    total: int
    hits: list[Hit]
    #: False when `total` is an estimate (more matches than the ranking window).
    exact: bool = True


#: What ranks a matching article: a term in its title first, then the sum of WEIGHTS.
Rank = tuple[bool, int]
UNRANKED: Rank = (False, 0)


def index_grams(text: str, longest: int) -> list[str]:
    """The distinct grams of a `SearchDocument` text: what matching looks up.

    Each run of Chinese characters gives its substrings of 2 to `longest` characters and its
    last character (so that every character starts some gram: 党 is the prefix 党*); ASCII
    words and numbers, and runs of one character, stay whole. A term of up to `longest`
    characters is then one gram, found without checking anything else.
    """
    tokens = text.split()  # a spaced token text (`indexing.token_text`)
    out = [t if t.isascii() or len(t) == 1 else t[-1] for t in tokens]
    # Substrings of the whole text, kept when within one run: one pass per length instead
    # of one per run and length (a body has hundreds of short runs).
    for length in range(2, longest + 1):
        windows = (text[start : start + length] for start in range(len(text) - length + 1))
        out += [w for w in windows if " " not in w and not w.isascii()]
    return list(dict.fromkeys(out))


def _part_grams(part: str, longest: int) -> list[str]:
    size = len(part)
    if part.isascii() or size <= longest:
        return [part]
    # Grams covering the run: every `longest` characters, and the last `longest`.
    starts = dict.fromkeys([*range(0, size - longest, longest), size - longest])
    return [part[start : start + longest] for start in starts]


def term_grams(term: QueryTerm, longest: int) -> list[str]:
    """The grams an article holding `term` holds; the last one a prefix when `term.prefix`."""
    grams = (gram for part in term.parts for gram in _part_grams(part, longest))
    return list(dict.fromkeys(grams))


def query_grams(term: QueryTerm, longest: int, *, prefix: bool = True) -> list[tuple[str, bool]]:
    """`term_grams`, each with whether it is looked up as a prefix: the last one, when the
    term asks for it (`term.prefix`) and that gram is the term's last part whole."""
    found = term_grams(term, longest)
    last = len(found) - 1
    starred = prefix and term.prefix and found[last] == term.parts[-1]
    return [(gram, starred and i == last) for i, gram in enumerate(found)]


def phrase_pattern(term: QueryTerm) -> str:
    """What `term` is as a substring of a `SearchDocument` text (tokens, space-padded).

    Chinese runs at either end may be part of longer runs ("年gdp" is found in "今年 gdp");
    ASCII words and numbers must be whole ("gdp" is not found in "gdpx").
    """
    first, last = term.parts[0], term.parts[-1]
    lead = " " if first.isascii() else ""
    tail = " " if last.isascii() else ""
    return lead + " ".join(term.parts) + tail


def needs_phrase_check(term: QueryTerm, longest: int) -> bool:
    """Whether holding the term's grams does not yet mean holding the term.

    So for a term of several tokens ("2024年": adjacent?) or a run longer than `longest`.
    """
    return len(term.parts) > 1 or len(term_grams(term, longest)) > 1


def estimate_total(ids: Sequence[int], lowest: int) -> int:
    """Matches among all candidates, from the newest `ids` (descending) and the lowest id.

    Assumes matches are spread over the older ids as densely as over the newest ones.
    """
    newest, oldest = ids[0], ids[-1]
    density = (len(ids) - 1) / max(1, newest - oldest)
    return len(ids) + max(1, round(density * max(0, oldest - lowest)))


class SearchBackend:
    """Base class: the two-stage search; subclasses provide the index and its queries."""

    vendor: ClassVar[str] = ""
    #: Results can be ordered by relevance (a score), not only by date.
    ranks_by_relevance: ClassVar[bool] = False
    #: index_size() returns a number of bytes.
    reports_size: ClassVar[bool] = False
    #: How many of the newest matches are ranked (and counted exactly). Deeper pages widen
    #: the window, so every match stays reachable.
    RANK_WINDOW: ClassVar[int] = 1000
    #: SQL that column {} contains the parameter (a string).
    CONTAINS: ClassVar[str] = ""
    #: The longest grams indexed (`index_grams`): a longer term is checked in the text.
    LONGEST_GRAM: ClassVar[int] = 2

    def window(self, end: int) -> int:
        return max(self.RANK_WINDOW, end)

    # --- what subclasses implement -------------------------------------------------------

    def index(self, documents: Sequence[SearchDocument]) -> None:
        """Store these (unsaved) documents, replacing any earlier ones of the same articles."""
        raise NotImplementedError

    def unindex(self, article_ids: Iterable[int]) -> None:
        """Remove these articles' documents from the index (absent ones are ignored)."""
        raise NotImplementedError

    def newest_matches(
        self, query: ParsedQuery, *, candidates: QuerySet[Any], limit: int
    ) -> list[int]:
        """Ids of the newest `limit` candidates matching every term, highest id first."""
        raise NotImplementedError

    def signals(self, query: ParsedQuery, article_ids: Sequence[int]) -> dict[int, Rank]:
        """The rank of each of these articles (matching `query`); none for no signal."""
        raise NotImplementedError

    def by_date(
        self, query: ParsedQuery, *, candidates: QuerySet[Any], offset: int, limit: int
    ) -> list[int]:
        """One page of every matching candidate, newest published first."""
        raise NotImplementedError

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Around the indexing of many articles (a rebuild): may prepare and tidy up."""
        yield

    def index_size(self) -> int | None:
        """Bytes the full-text index takes on disk, when the database can tell."""
        return None

    def optimize(self) -> None:
        """Compact the index after a rebuild (may do nothing)."""

    # --- the search itself ---------------------------------------------------------------

    def search(
        self,
        query: ParsedQuery,
        *,
        candidates: QuerySet[Any],
        sort: Sort = "relevance",
        offset: int = 0,
        limit: int = 10,
    ) -> SearchPage:
        """The number of matching candidates (exact or estimated) and one page of hits.

        Every term of `query` must match: it occurs in the title or body (after folding),
        as a substring of a run of Chinese characters, or as whole ASCII words and numbers.
        `candidates` is a queryset of articles; only their primary keys are used. An empty
        query matches nothing.
        """
        if query.is_empty:
            return SearchPage(total=0, hits=[])
        size = self.window(offset + limit)
        ids = self.newest_matches(query, candidates=candidates, limit=size + 1)
        exact = len(ids) <= size
        ids = ids[:size]
        total = len(ids) if exact else estimate_total(ids, self._lowest(candidates, ids[-1]))
        if offset >= len(ids):
            return SearchPage(total=total, hits=[], exact=exact)
        if sort == "newest":
            if exact:
                page = self._sort_by_date(ids)[offset : offset + limit]
            else:
                page = self.by_date(query, candidates=candidates, offset=offset, limit=limit)
            return SearchPage(total=total, hits=[Hit(pk, 0.0) for pk in page], exact=exact)
        ranks = self.signals(query, ids)
        ranked = heapq.nlargest(offset + limit, ((*ranks.get(pk, UNRANKED), pk) for pk in ids))
        hits = [Hit(pk, float(score)) for _, score, pk in ranked[offset:]]
        return SearchPage(total=total, hits=hits, exact=exact)

    # --- helpers for subclasses ------------------------------------------------------------

    def _phrase_check(self, query: ParsedQuery, outer: str) -> tuple[str, list[str]]:
        """`AND EXISTS (…)`: the article `outer` holds each term of several grams as typed.

        The index tells which articles hold all of a term's grams, not whether they are
        adjacent; this reads the document of each article looked at ("" when not needed).
        """
        checks, params = [], []
        for term in query.terms:
            if needs_phrase_check(term, self.LONGEST_GRAM):
                pattern = phrase_pattern(term)
                title = self.CONTAINS.format("d.title_text")
                body = self.CONTAINS.format("d.body_text")
                checks.append(f"({title} OR {body})")
                params += [pattern, pattern]
        if not checks:
            return "", []
        sql = (
            f"AND EXISTS (SELECT 1 FROM {DOCUMENT_TABLE} d "  # noqa: S608
            f"WHERE d.article_id = {outer} AND {' AND '.join(checks)})"
        )
        return sql, params

    @staticmethod
    def _gate(candidates: QuerySet[Any], outer: str) -> tuple[str, tuple[Any, ...]]:
        """`EXISTS (…)`: the article whose id is the SQL `outer` is among `candidates`.

        Checked per match through the primary key, so its cost follows the matches looked
        at, not the number of candidates (every live article, without filters).
        """
        # `outer` is a column name from this package's SQL, never input.
        gated = candidates.order_by().filter(pk=RawSQL(outer, ())).values("pk")  # noqa: S611
        sql, params = gated.query.sql_with_params()
        return f"EXISTS ({sql})", tuple(params)

    @staticmethod
    def _lowest(candidates: QuerySet[Any], below: int) -> int:
        lowest = candidates.order_by("pk").values_list("pk", flat=True).first()
        return below if lowest is None else min(int(lowest), below)

    @staticmethod
    def _sort_by_date(ids: Sequence[int]) -> list[int]:
        rows = ArticlePage.objects.filter(pk__in=ids).order_by("-published_at", "-pk")
        return list(rows.values_list("pk", flat=True))

    @staticmethod
    def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
