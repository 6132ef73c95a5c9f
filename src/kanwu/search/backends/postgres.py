"""PostgreSQL backend: generated tsvector ('simple') with a GIN index, ts_rank_cd."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet

from kanwu.articles.models import ArticlePage
from kanwu.core.analysis import ParsedQuery, QueryTerm
from kanwu.search.backends.base import Hit, SearchBackend, SearchPage, Sort

# ts_rank_cd weights for {D, C, B, A}: body grams, body words, title grams, title words.
WEIGHTS = "{0.1, 0.3, 0.6, 1.0}"


def _phrase(term: QueryTerm, weights: str = "") -> str:
    # In `vector`, grams carry weights B (title) and D (body), words A and C; `gvector` and
    # `tvector` hold grams only, without weights.
    last = len(term.grams) - 1
    parts = []
    for i, gram in enumerate(term.grams):
        flags = ("*" if term.prefix and i == last else "") + weights
        parts.append(f"{gram}:{flags}" if flags else gram)
    return " <-> ".join(parts)


def match_tsquery(query: ParsedQuery) -> str:
    """Every term's gram phrase (run against `gvector`)."""
    return " & ".join(f"({_phrase(term)})" for term in query.terms)


def title_tsquery(query: ParsedQuery) -> str:
    """Any term's gram phrase (run against `tvector`)."""
    return " | ".join(f"({_phrase(term)})" for term in query.terms)


def rank_tsquery(query: ParsedQuery) -> str:
    """Gram phrases and whole words (run against the weighted `vector`)."""
    parts = []
    for term in query.terms:
        parts.append(f"({_phrase(term, 'BD')})")
        if term.word:
            parts.append(f"{term.word}:AC")
    return " | ".join(parts)


class PostgresBackend(SearchBackend):
    vendor = "postgresql"
    ranks_by_relevance = True
    reports_size = True

    # The SQL below is assembled from constants and a queryset Django compiled; every value
    # (the query, the candidates' parameters) is passed as a parameter, hence the noqa: S608.
    def search(
        self,
        query: ParsedQuery,
        *,
        candidates: QuerySet[Any],
        sort: Sort = "relevance",
        offset: int = 0,
        limit: int = 10,
    ) -> SearchPage:
        if query.is_empty:
            return SearchPage(total=0, hits=[])
        subquery, sub_params = self._subquery(candidates)
        where = f"d.gvector @@ to_tsquery('simple', %s) AND d.article_id IN ({subquery})"
        match = match_tsquery(query)
        count = int(
            self._fetch(
                f"SELECT count(*) FROM search_searchdocument d WHERE {where}",  # noqa: S608
                [match, *sub_params],
            )[0][0]
        )
        if not count or offset >= count:
            return SearchPage(total=count, hits=[])
        if sort == "newest":
            table = ArticlePage._meta.db_table
            sql = (
                f"SELECT d.article_id, 0 FROM search_searchdocument d "  # noqa: S608
                f"JOIN {table} a ON a.page_ptr_id = d.article_id WHERE {where} "
                "ORDER BY a.published_at DESC, d.article_id DESC LIMIT %s OFFSET %s"
            )
            rows = self._fetch(sql, [match, *sub_params, limit, offset])
            return SearchPage(total=count, hits=[Hit(article_id=r[0], score=0.0) for r in rows])
        # Title matches first, then ts_rank_cd (whole words and titles weighted up), among
        # the newest `window` matches.
        inner = (
            f"SELECT d.article_id, d.vector, d.tvector FROM search_searchdocument d "  # noqa: S608
            f"WHERE {where} ORDER BY d.article_id DESC LIMIT %s"
        )
        sql = (
            f"SELECT w.article_id, ts_rank_cd('{WEIGHTS}', w.vector, to_tsquery('simple', %s)) "  # noqa: S608
            f"AS score FROM ({inner}) w "
            "ORDER BY w.tvector @@ to_tsquery('simple', %s) DESC, score DESC, w.article_id DESC "
            "LIMIT %s OFFSET %s"
        )
        params = [
            rank_tsquery(query),
            match,
            *sub_params,
            self.window(offset + limit),
            title_tsquery(query),
            limit,
            offset,
        ]
        rows = self._fetch(sql, params)
        return SearchPage(
            total=count, hits=[Hit(article_id=row[0], score=float(row[1])) for row in rows]
        )

    def index_size(self) -> int | None:
        rows = self._fetch("SELECT pg_total_relation_size('search_searchdocument')", [])
        return int(rows[0][0])

    def optimize(self) -> None:
        # Fresh statistics, and an up-to-date visibility map so that counting matches can
        # skip heap pages.
        if connection.in_atomic_block:  # VACUUM cannot run inside a transaction
            return
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_searchdocument")
