"""The search backend interface: one subclass per database vendor.

A backend turns a parsed query (`kanwu.core.analysis.ParsedQuery`) into its own query
language and answers it over `search_searchdocument`, limited to the candidate articles the
caller passes (a queryset that went through `public_articles()` and the page's filters).
Callers check the capability flags, never the class.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from django.db import connection
from django.db.models import QuerySet

from kanwu.core.analysis import ParsedQuery

Sort = Literal["relevance", "newest"]


@dataclass(frozen=True, slots=True)
class Hit:
    article_id: int
    score: float


@dataclass(frozen=True, slots=True)
class SearchPage:
    total: int
    hits: list[Hit]


class SearchBackend:
    """Base class: documents what a backend provides."""

    vendor: ClassVar[str] = ""
    #: Results can be ordered by relevance (a score), not only by date.
    ranks_by_relevance: ClassVar[bool] = False
    #: index_size() returns a number of bytes.
    reports_size: ClassVar[bool] = False
    #: Relevance ranks the newest RANK_WINDOW matches (by article id), not every match:
    #: a word found in 50,000 articles would otherwise be scored 50,000 times per query.
    #: The total is always exact, and deeper pages widen the window.
    RANK_WINDOW: ClassVar[int] = 1000

    def window(self, end: int) -> int:
        return max(self.RANK_WINDOW, end)

    def search(
        self,
        query: ParsedQuery,
        *,
        candidates: QuerySet[Any],
        sort: Sort = "relevance",
        offset: int = 0,
        limit: int = 10,
    ) -> SearchPage:
        """Total number of matching candidates and one page of hits, best (or newest) first.

        Relevance: articles with a term in the title first, then the backend's score, among
        the newest `window()` matches.

        Every term of `query` must match: its gram phrase occurs in the title or body.
        `candidates` is a queryset of articles; only their primary keys are used. An empty
        query matches nothing.
        """
        raise NotImplementedError

    def index_size(self) -> int | None:
        """Bytes the full-text index takes on disk, when the database can tell."""
        return None

    def optimize(self) -> None:
        """Compact the index after a rebuild (may do nothing)."""

    @staticmethod
    def _subquery(candidates: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
        sql, params = candidates.order_by().values("pk").query.sql_with_params()
        return sql, tuple(params)

    @staticmethod
    def _fetch(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
