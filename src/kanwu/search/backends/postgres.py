"""PostgreSQL backend: a tsvector of each article's distinct grams and words, GIN-indexed.

`search_searchdocument.terms` (`array_to_tsvector`: no positions, no weights) holds

* the distinct grams of the title and body (`base.index_grams`), for matching;
* for ranking, the same tagged by what they are: `t~` the title's grams and characters,
  `tw~` its words, `w~` the body's words, `h~` the words it repeats;
* `b~N`, the bucket of BUCKET article ids the article is in: "the newest matches" is then
  the query and the newest buckets, which GIN intersects by itself, instead of every match
  read from the table and sorted.

GIN answers every tsquery made here — lexemes joined by `&` and `|`, a single character as
a prefix (党:*) — exactly, without reading `terms` from the table. Reading it is what must
not happen: a tsvector of a thousand lexemes is over 10 KB of TOAST per row, so the
planner's seq scan, or id-order index scan with a filter, is a hundred times slower than
GIN's bitmap whatever it estimates; the statements that read the index say so (`_bitmap`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction
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

INDEX = "search_document_terms"
# Substrings of 2 and 3 characters (and each run's last character). Each lexeme costs an
# entry in GIN and some 10 bytes in the stored tsvector; a term of four characters or more
# is checked in the text of the articles looked at, which its trigrams make few.
LONGEST = 3
# The tag of each ranking signal's lexemes.
TAGS = {"title": "t~", "title_words": "tw~", "words": "w~", "hot": "h~"}
BUCKET = 1000
PLANS = ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan")


def _int_array(ids: Iterable[int]) -> str:
    """An int[] literal: psycopg adapts a list element by element, ten times slower."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


def lexemes(
    article_id: int,
    title_text: str,
    body_text: str,
    title_words: str,
    body_words: str,
    body_hot: str,
) -> list[str]:
    """One article's lexemes (see the module docstring)."""
    title_grams = index_grams(title_text, LONGEST)
    characters = [c for token in title_text.split() if not token.isascii() for c in token]
    tagged = [
        *(TAGS["title"] + g for g in dict.fromkeys([*title_grams, *characters])),
        *(TAGS["title_words"] + w for w in title_words.split()),
        *(TAGS["words"] + w for w in body_words.split()),
        *(TAGS["hot"] + w for w in body_hot.split()),
        f"b~{article_id // BUCKET}",
    ]
    return list(dict.fromkeys([*title_grams, *index_grams(body_text, LONGEST), *tagged]))


def _lexeme(token: str) -> str:
    # Tokens are letters and digits only (analysis.tokens); quoting is belt and braces.
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _all_grams(term: QueryTerm, *, tag: str = "", prefix: bool = True) -> str:
    grams = query_grams(term, LONGEST, prefix=prefix)
    return " & ".join(_lexeme(tag + gram) + ":*" * star for gram, star in grams)


def match_tsquery(query: ParsedQuery) -> str:
    """Every gram of every term (when that is not yet the term, see `_checked`)."""
    return " & ".join(f"({_all_grams(term)})" for term in query.terms)


def _in_buckets(tsquery: str, low: int, high: int) -> str:
    """`tsquery`, for articles with ids from `low` to `high` (and a few either side)."""
    buckets = " | ".join(f"'b~{b}'" for b in range(low // BUCKET, high // BUCKET + 1))
    return f"({tsquery}) & ({buckets})"


@contextmanager
def _bitmap() -> Iterator[Any]:
    """A cursor whose statements read `terms` only through its GIN index (bitmap scans)."""
    with transaction.atomic(), connection.cursor() as cursor:
        # Undone with the savepoint on an error; reset by hand otherwise, as SET LOCAL in a
        # savepoint would last until the end of the enclosing transaction.
        cursor.execute("; ".join(f"SET LOCAL {plan} = off" for plan in PLANS))
        yield cursor
        cursor.execute("; ".join(f"RESET {plan}" for plan in PLANS))


class PostgresBackend(SearchBackend):
    vendor = "postgresql"
    ranks_by_relevance = True
    reports_size = True
    LONGEST_GRAM = LONGEST
    CONTAINS = "strpos({}, %s) > 0"

    def index(self, documents: Sequence[SearchDocument]) -> None:
        if not documents:
            return
        self.unindex([d.article_id for d in documents])
        rows = [
            (
                d.article_id,
                d.title_words,
                d.title_text,
                d.body_hot,
                d.body_words,
                d.body_text,
                # One string, split by the server: psycopg adapting a list of a thousand
                # strings costs more than the whole insert.
                " ".join(
                    lexemes(
                        d.article_id,
                        d.title_text,
                        d.body_text,
                        d.title_words,
                        d.body_words,
                        d.body_hot,
                    )
                ),
            )
            for d in documents
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {DOCUMENT_TABLE} (article_id, title_words, indexed_at, "  # noqa: S608
                "title_text, body_hot, body_words, body_text, terms) VALUES "
                "(%s, %s, now(), %s, %s, %s, %s, array_to_tsvector(string_to_array(%s, ' ')))",
                rows,
            )

    def unindex(self, article_ids: Iterable[int]) -> None:
        ids = list(article_ids)
        if ids:
            SearchDocument.objects.filter(article_id__in=ids)._raw_delete(connection.alias)

    @contextmanager
    def bulk(self) -> Iterator[None]:
        # Row by row, every insert updates a thousand GIN entries in place; the pending
        # list gathers them and merges them in sorted batches, faster.
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER INDEX {INDEX} SET (fastupdate = on)")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT gin_clean_pending_list('{INDEX}')")
                cursor.execute(f"ALTER INDEX {INDEX} SET (fastupdate = off)")

    # The SQL below is assembled from constants and a queryset Django compiled; every value
    # (the query, the candidates' parameters) is passed as a parameter, hence the noqa: S608.
    def newest_matches(
        self, query: ParsedQuery, *, candidates: QuerySet[Any], limit: int
    ) -> list[int]:
        # The matches in the newest buckets, then those that hold long terms whole, then
        # those among the candidates; older buckets, four times as many, while too few pass.
        # Each step is its own statement over a list of ids, so that no planner turns it
        # into a scan of every match.
        top = self._fetch(f"SELECT max(article_id) FROM {DOCUMENT_TABLE}", [])[0][0]  # noqa: S608
        if top is None:
            return []
        found: list[int] = []
        high, span, looked = top, limit, 0
        while high >= 0:
            low = max(0, high - span + 1)
            with _bitmap() as cursor:
                cursor.execute(
                    f"SELECT d.article_id FROM {DOCUMENT_TABLE} d "  # noqa: S608
                    "WHERE d.terms @@ %s::tsquery AND d.article_id + 0 BETWEEN %s AND %s "
                    "ORDER BY d.article_id DESC",
                    [_in_buckets(match_tsquery(query), low, high), low, high],
                )
                raw = [row[0] for row in cursor.fetchall()]
            found += self._gated(candidates, self._checked(query, raw))
            if len(found) >= limit:
                break
            # Older ids next, as many as the density so far says the rest needs (and more).
            looked += high - low + 1
            density = max(len(found), 1) / looked
            high, span = low - 1, max(limit, round(1.3 * (limit - len(found)) / density))
        return found[:limit]

    def _gated(self, candidates: QuerySet[Any], ids: list[int]) -> list[int]:
        """Those of `ids` (descending) among `candidates`, each looked up by its key."""
        if not ids:
            return []
        gate, gate_params = self._gate(candidates, "u.id")
        rows = self._fetch(
            f"SELECT u.id FROM unnest(%s::int[]) AS u(id) WHERE {gate} ORDER BY u.id DESC",  # noqa: S608
            [_int_array(ids), *gate_params],
        )
        return [row[0] for row in rows]

    def _checked(self, query: ParsedQuery, ids: list[int]) -> list[int]:
        """Those of `ids` whose article holds each term of the query as typed."""
        checks, params = [], []
        for term in query.terms:
            if needs_phrase_check(term, LONGEST):
                checks.append("(strpos(d.title_text, %s) > 0 OR strpos(d.body_text, %s) > 0)")
                params += [phrase_pattern(term)] * 2
        if not checks or not ids:
            return ids
        rows = self._fetch(
            f"SELECT d.article_id FROM {DOCUMENT_TABLE} d "  # noqa: S608
            f"WHERE d.article_id = ANY(%s::int[]) AND {' AND '.join(checks)} "
            "ORDER BY d.article_id DESC",
            [_int_array(ids), *params],
        )
        return [row[0] for row in rows]

    def signals(self, query: ParsedQuery, article_ids: Sequence[int]) -> dict[int, Rank]:
        if not article_ids:
            return {}
        low, high = min(article_ids), max(article_ids)
        parts, params = [], []
        for term in query.terms:
            asked = [("title", _all_grams(term, tag=TAGS["title"], prefix=False))]
            if term.word:
                word = term.word
                asked += [(kind, _lexeme(TAGS[kind] + word)) for kind in TAGS if kind != "title"]
            for kind, tsquery in asked:
                sql = (
                    f"SELECT d.article_id AS id, %s AS kind, %s AS weight FROM {DOCUMENT_TABLE} d "  # noqa: S608
                    "WHERE d.terms @@ %s::tsquery AND d.article_id + 0 BETWEEN %s AND %s"
                )
                params += [kind, WEIGHTS[kind], _in_buckets(tsquery, low, high), low, high]
                if kind == "title" and needs_phrase_check(term, LONGEST):
                    sql += " AND strpos(d.title_text, %s) > 0"
                    params.append(phrase_pattern(term))
                parts.append(sql)
        wanted = set(article_ids)
        with _bitmap() as cursor:
            cursor.execute(
                "SELECT id, bool_or(kind = 'title'), sum(weight) "  # noqa: S608
                f"FROM ({' UNION ALL '.join(parts)}) signals GROUP BY id",
                params,
            )
            rows = cursor.fetchall()
        return {pk: (bool(title), int(score)) for pk, title, score in rows if pk in wanted}

    def by_date(
        self, query: ParsedQuery, *, candidates: QuerySet[Any], offset: int, limit: int
    ) -> list[int]:
        with _bitmap() as cursor:
            cursor.execute(
                f"SELECT d.article_id FROM {DOCUMENT_TABLE} d WHERE d.terms @@ %s::tsquery",  # noqa: S608
                [match_tsquery(query)],
            )
            matches = self._checked(query, [row[0] for row in cursor.fetchall()])
        table = ArticlePage._meta.db_table
        gate, gate_params = self._gate(candidates, "a.page_ptr_id")
        rows = self._fetch(
            f"SELECT a.page_ptr_id FROM {table} a WHERE a.page_ptr_id = ANY(%s::int[]) "  # noqa: S608
            f"AND {gate} ORDER BY a.published_at DESC, a.page_ptr_id DESC LIMIT %s OFFSET %s",
            [_int_array(matches), *gate_params, limit, offset],
        )
        return [row[0] for row in rows]

    def index_size(self) -> int | None:
        rows = self._fetch(f"SELECT pg_total_relation_size('{DOCUMENT_TABLE}')", [])
        return int(rows[0][0])

    def optimize(self) -> None:
        # Fresh statistics for the planner, and an up-to-date visibility map.
        if connection.in_atomic_block:  # VACUUM cannot run inside a transaction
            return
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {DOCUMENT_TABLE}")
