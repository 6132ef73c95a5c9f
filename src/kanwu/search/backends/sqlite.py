"""SQLite FTS5 backend: external-content table `search_fts` ranked with BM25."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet

from kanwu.articles.models import ArticlePage
from kanwu.core.analysis import ParsedQuery, QueryTerm
from kanwu.search.backends.base import Hit, SearchBackend, SearchPage, Sort

# bm25() weights in column order: title_words, body_words, title_grams, body_grams.
# A title match outranks a body match; a whole word outranks a fragment in the same field.
WEIGHTS = (12.0, 3.0, 6.0, 1.0)


def _quote(token: str) -> str:
    # Tokens are letters and digits only (analysis.tokens); quoting is belt and braces.
    return '"' + token.replace('"', '""') + '"'


def match_expression(query: ParsedQuery) -> str:
    parts = []
    for term in query.terms:
        parts.append(_term(term))
    return " AND ".join(parts)


def title_expression(query: ParsedQuery) -> str:
    """Any term in the title (run against search_title_fts)."""
    return " OR ".join(_phrase(term) for term in query.terms)


def _phrase(term: QueryTerm) -> str:
    return _quote(" ".join(term.grams)) + ("*" if term.prefix else "")


def _term(term: QueryTerm) -> str:
    expr = "{title_grams body_grams} : " + _phrase(term)
    if term.word:
        expr = f"({expr} OR {{title_words body_words}} : {_quote(term.word)})"
    return expr


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"
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
        expression = match_expression(query)
        subquery, sub_params = self._subquery(candidates)
        # Unary + keeps SQLite from pushing the rowid into FTS5, which would re-run the
        # MATCH once per candidate; the candidate list is built once instead.
        where = f"search_fts MATCH %s AND +f.rowid IN ({subquery})"
        total = int(
            self._fetch(
                f"SELECT count(*) FROM search_fts f WHERE {where}",  # noqa: S608
                [expression, *sub_params],
            )[0][0]
        )
        if not total or offset >= total:
            return SearchPage(total=total, hits=[])
        if sort == "newest":
            table = ArticlePage._meta.db_table
            sql = (
                f"SELECT f.rowid, 0 FROM search_fts f "  # noqa: S608
                f"JOIN {table} a ON a.page_ptr_id = f.rowid WHERE {where} "
                "ORDER BY a.published_at DESC, f.rowid DESC LIMIT %s OFFSET %s"
            )
            rows = self._fetch(sql, [expression, *sub_params, limit, offset])
            return SearchPage(total=total, hits=[Hit(article_id=r[0], score=0.0) for r in rows])
        # Title matches first, then BM25 (whole words and titles weighted up), among the
        # newest `window` matches: FTS5 walks its lists newest first and stops there.
        weights = ", ".join(str(w) for w in WEIGHTS)
        window = self.window(offset + limit)
        inner = (
            f"SELECT f.rowid AS id, bm25(search_fts, {weights}) AS score "  # noqa: S608
            f"FROM search_fts f WHERE {where} ORDER BY f.rowid DESC LIMIT %s"
        )
        sql = (
            f"SELECT id, score FROM ({inner}) "  # noqa: S608
            "ORDER BY +id IN (SELECT rowid FROM search_title_fts "
            "WHERE search_title_fts MATCH %s) DESC, score, id DESC LIMIT %s OFFSET %s"
        )
        params = [expression, *sub_params, window, title_expression(query), limit, offset]
        rows = self._fetch(sql, params)
        # bm25() is negative, smaller is better: report it positive, larger is better.
        return SearchPage(total=total, hits=[Hit(article_id=r[0], score=-r[1]) for r in rows])

    def index_size(self) -> int | None:
        try:
            rows = self._fetch(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_fts%%' "
                "OR name = 'search_searchdocument'",
                [],
            )
        except Exception:  # dbstat is a compile-time option of SQLite
            return None
        return int(rows[0][0] or 0)

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
