"""SQLite backend: two small contentless FTS5 tables, kept by `index` and `unindex`.

* `search_fts(grams)`: per article (rowid = article id) the distinct grams of its title and
  body (`base.index_grams`), `detail=none` (which articles hold a gram: no positions, no
  columns) with a one-character prefix index for single characters (党*). All that
  matching needs, in a fraction of the space of a positional index.
* `search_signals(title, title_words, words, hot)`: `detail=column`, what ranking asks of
  the articles being ranked: the title's grams and characters, its words, the body's words
  and the words it repeats.

A contentless table forgets an entry only given the tokens it was made of: they all come
from the `SearchDocument` row (grams from its texts, words as stored), which is written and
deleted together with the entries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from kanwu.articles.models import ArticlePage
from kanwu.search.backends.base import (
    DOCUMENT_TABLE,
    WEIGHTS,
    Rank,
    SearchBackend,
    index_grams,
    needs_phrase_check,
    phrase_pattern,
    query_grams,
)
from kanwu.search.models import SearchDocument
from kanwu.textanalysis import ParsedQuery, QueryTerm

CHUNK = 500
# Runs are indexed as all their substrings of 2 to 4 characters: in a detail=none table
# about 1.6 KB an article, twice bigrams alone, and a term of up to 4 characters (most of
# what readers type) is then a single lookup, never checked against the text.
LONGEST = 4
#: Statements adding (False) and removing (True) one article's entries.
WRITES = {
    False: (
        "INSERT INTO search_fts (rowid, grams) VALUES (%s, %s)",
        "INSERT INTO search_signals (rowid, title, title_words, words, hot) "
        "VALUES (%s, %s, %s, %s, %s)",
    ),
    True: (
        "INSERT INTO search_fts (search_fts, rowid, grams) VALUES ('delete', %s, %s)",
        "INSERT INTO search_signals (search_signals, rowid, title, title_words, words, hot) "
        "VALUES ('delete', %s, %s, %s, %s, %s)",
    ),
}
#: The SearchDocument columns an article's entries are made of, in `entries` order.
ENTRY_COLUMNS = ("title_text", "body_text", "title_words", "body_words", "body_hot")


def _distinct(items: Iterable[str]) -> str:
    return " ".join(dict.fromkeys(items))


def entries(
    title_text: str, body_text: str, title_words: str, body_words: str, body_hot: str
) -> tuple[str, tuple[str, str, str, str]]:
    """One article's tokens for `search_fts` and for `search_signals`."""
    title_grams = index_grams(title_text, LONGEST)
    characters = [c for token in title_text.split() if not token.isascii() for c in token]
    return (
        _distinct([*title_grams, *index_grams(body_text, LONGEST)]),
        (_distinct([*title_grams, *characters]), title_words, body_words, body_hot),
    )


def _quote(token: str) -> str:
    # Tokens are letters and digits only (analysis.tokens); quoting is belt and braces.
    return '"' + token.replace('"', '""') + '"'


def _all_grams(term: QueryTerm, *, prefix: bool = True) -> str:
    grams = query_grams(term, LONGEST, prefix=prefix)
    return "(" + " AND ".join(_quote(gram) + "*" * star for gram, star in grams) + ")"


def match_expression(query: ParsedQuery) -> str:
    """Every gram of every term (when that is not yet the term, see `_phrase_check`)."""
    return " AND ".join(_all_grams(term) for term in query.terms)


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"
    ranks_by_relevance = True
    reports_size = True
    LONGEST_GRAM = LONGEST
    CONTAINS = "instr({}, %s) > 0"

    def index(self, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        self.unindex([d.article_id for d in documents])
        SearchDocument.objects.bulk_create(documents)
        rows = [(d.article_id, *(getattr(d, c) for c in ENTRY_COLUMNS)) for d in documents]
        self._write(rows, delete=False)

    def unindex(self, article_ids: Iterable[int]) -> None:
        ids = list(article_ids)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            # Only entries the tables hold (search_fts_docsize has a row for each): a
            # contentless table reports itself corrupt when told to forget one it never had.
            held = self._fetch(
                "SELECT id FROM search_fts_docsize WHERE id IN (SELECT value FROM json_each(%s))",
                [json.dumps(chunk)],
            )
            rows = SearchDocument.objects.filter(article_id__in=[row[0] for row in held])
            self._write(list(rows.values_list("article_id", *ENTRY_COLUMNS)), delete=True)
            SearchDocument.objects.filter(article_id__in=chunk)._raw_delete(connection.alias)

    @staticmethod
    def _write(rows: list[tuple[Any, ...]], *, delete: bool) -> None:
        """Add (or remove) the entries of these (article id, *ENTRY_COLUMNS) rows."""
        made = [(pk, *entries(*texts)) for pk, *texts in rows]
        fts, signals = WRITES[delete]
        with connection.cursor() as cursor:
            cursor.executemany(fts, [(pk, grams) for pk, grams, _ in made])
            cursor.executemany(signals, [(pk, *columns) for pk, _, columns in made])

    # The SQL below is assembled from constants and a queryset Django compiled; every value
    # (the query, the candidates' parameters) is passed as a parameter, hence the noqa: S608.
    def newest_matches(
        self, query: ParsedQuery, *, candidates: QuerySet[Any], limit: int
    ) -> list[int]:
        gate, gate_params = self._gate(candidates, "f.rowid")
        check, check_params = self._phrase_check(query, "f.rowid")
        # FTS5 walks the gram lists newest first; the candidate and phrase checks run per
        # match, and the walk stops at `limit`.
        sql = (
            "SELECT f.rowid FROM search_fts f WHERE search_fts MATCH %s "  # noqa: S608
            f"AND {gate} {check} ORDER BY f.rowid DESC LIMIT %s"
        )
        params = [match_expression(query), *gate_params, *check_params, limit]
        return [row[0] for row in self._fetch(sql, params)]

    def signals(self, query: ParsedQuery, article_ids: Sequence[int]) -> dict[int, Rank]:
        if not article_ids:
            return {}
        low, high = min(article_ids), max(article_ids)
        parts, params = [], []
        for term in query.terms:
            # The title's characters are indexed too: a single character needs no prefix.
            asked = [("title", _all_grams(term, prefix=False))]
            if term.word:
                word = _quote(term.word)
                asked += [("title_words", word), ("words", word), ("hot", word)]
            for kind, expression in asked:
                sql = (
                    "SELECT rowid AS id, %s AS kind, %s AS weight FROM search_signals "
                    "WHERE search_signals MATCH %s AND rowid BETWEEN %s AND %s"
                )
                params += [kind, WEIGHTS[kind], f"{{{kind}}} : {expression}", low, high]
                if kind == "title" and needs_phrase_check(term, LONGEST):
                    # Its grams in the title do not yet make the term: check the text.
                    sql += (
                        f" AND EXISTS (SELECT 1 FROM {DOCUMENT_TABLE} d "  # noqa: S608
                        "WHERE d.article_id = search_signals.rowid AND instr(d.title_text, %s) > 0)"
                    )
                    params.append(phrase_pattern(term))
                parts.append(sql)
        sql = (
            "SELECT id, max(kind = 'title'), sum(weight) "  # noqa: S608
            f"FROM ({' UNION ALL '.join(parts)}) GROUP BY id"
        )
        wanted = set(article_ids)
        return {
            pk: (bool(in_title), int(score))
            for pk, in_title, score in self._fetch(sql, params)
            if pk in wanted
        }

    def by_date(
        self, query: ParsedQuery, *, candidates: QuerySet[Any], offset: int, limit: int
    ) -> list[int]:
        table = ArticlePage._meta.db_table
        gate, gate_params = self._gate(candidates, "a.page_ptr_id")
        check, check_params = self._phrase_check(query, "a.page_ptr_id")
        sql = (
            f"SELECT a.page_ptr_id FROM {table} a WHERE a.page_ptr_id IN "  # noqa: S608
            "(SELECT rowid FROM search_fts WHERE search_fts MATCH %s) "
            f"AND {gate} {check} "
            "ORDER BY a.published_at DESC, a.page_ptr_id DESC LIMIT %s OFFSET %s"
        )
        params = [match_expression(query), *gate_params, *check_params, limit, offset]
        return [row[0] for row in self._fetch(sql, params)]

    def index_size(self) -> int | None:
        try:
            rows = self._fetch(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_fts%%' "
                "OR name LIKE 'search_signals%%' OR name = %s",
                [DOCUMENT_TABLE],
            )
        except Exception:  # dbstat is a compile-time option of SQLite
            return None
        return int(rows[0][0] or 0)

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("INSERT INTO search_signals(search_signals) VALUES ('optimize')")
