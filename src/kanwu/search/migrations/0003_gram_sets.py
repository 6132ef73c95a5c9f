"""A smaller, faster full-text index: each article's distinct grams, without positions.

SQLite: the external-content FTS5 tables of 0002 (positions, prefixes of every column,
triggers) give way to two contentless tables kept by the backend: `search_fts(grams)` with
`detail=none` for matching, `search_signals` with `detail=column` for ranking.
PostgreSQL: the three generated tsvectors give way to one tsvector `terms` of distinct grams
(no positions, no weights) with a GIN index that needs no recheck.

`SearchDocument` keeps the folded text as tokens (`title_text`, `body_text`: the grams are
computed from it, and phrases checked in it) instead of the gram streams, distinct words and
the body's frequent words; the short columns come first, so that SQLite reads them without
following the row's overflow pages. Existing rows are converted in place, without
segmenting anything again.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Iterator
from typing import Any

from django.db import migrations, models

from kanwu.textanalysis import tokens

old = importlib.import_module("kanwu.search.migrations.0002_fulltext")

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        grams, content='', detail=none, prefix='1',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE VIRTUAL TABLE search_signals USING fts5(
        title, title_words, words, hot, content='', detail=column,
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_signals", "DROP TABLE IF EXISTS search_fts"]

POSTGRES_FORWARD = [
    "ALTER TABLE search_searchdocument ADD COLUMN terms tsvector NOT NULL DEFAULT ''",
    # Keep rows narrow: the texts and the tsvector live in TOAST, so that walking the
    # matches of a common gram touches few heap pages.
    "ALTER TABLE search_searchdocument SET (toast_tuple_target = 128)",
]
# After the rows are filled: building a GIN index at once is quicker than row by row.
POSTGRES_INDEX = [
    "CREATE INDEX search_document_terms ON search_searchdocument USING GIN (terms) "
    "WITH (fastupdate = off)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_terms",
    "ALTER TABLE search_searchdocument RESET (toast_tuple_target)",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS terms",
]

BATCH = 1000


def _spaced(items: Any) -> str:
    joined = " ".join(items)
    return f" {joined} " if joined else ""


def gram_stream(folded: str) -> list[str]:
    """0002's recall stream of a folded text: each Chinese run's bigrams and its last
    character, ASCII words and numbers whole (what `grams_from_texts` writes back)."""
    out: list[str] = []
    for token in tokens(folded):
        if token.isascii() or len(token) == 1:
            out.append(token)
        else:
            out += [token[i : i + 2] for i in range(len(token) - 1)] + [token[-1]]
    return out


def _tokens_from_grams(stream: str) -> list[str]:
    """The tokens a gram stream of 0002 was made from (bigrams + last character per run)."""
    out: list[str] = []
    run = ""
    for gram in stream.split():
        if gram.isascii():
            out.append(gram)
        elif len(gram) == 1:
            out.append(run or gram)  # the last character closes a run, or is a run alone
            run = ""
        else:
            run = run + gram[1] if run else gram
    return out


def _distinct(items: Any) -> list[str]:
    return list(dict.fromkeys(items))


def _index_grams(text: str, longest: int) -> list[str]:
    """backends.base.index_grams as of this migration."""
    tokens = text.split()
    out = [t if t.isascii() or len(t) == 1 else t[-1] for t in tokens]
    for length in range(2, longest + 1):
        windows = (text[start : start + length] for start in range(len(text) - length + 1))
        out += [w for w in windows if " " not in w and not w.isascii()]
    return _distinct(out)


def _postgres_lexemes(row: tuple[Any, ...]) -> list[str]:
    """backends.postgres.lexemes as of this migration."""
    pk, title_text, body_text, title_words, body_words, body_hot = row
    title_grams = _index_grams(title_text, 3)
    characters = [c for token in title_text.split() if not token.isascii() for c in token]
    tagged = [
        *("t~" + g for g in _distinct([*title_grams, *characters])),
        *("tw~" + w for w in title_words.split()),
        *("w~" + w for w in body_words.split()),
        *("h~" + w for w in body_hot.split()),
        f"b~{pk // 1000}",
    ]
    return _distinct([*title_grams, *_index_grams(body_text, 3), *tagged])


def _sqlite_entries(row: tuple[Any, ...]) -> tuple[Any, ...]:
    pk, title_text, body_text, title_words, body_words, body_hot = row
    title_grams = _index_grams(title_text, 4)
    characters = [c for token in title_text.split() if not token.isascii() for c in token]
    all_grams = " ".join(_distinct([*title_grams, *_index_grams(body_text, 4)]))
    title = " ".join(_distinct([*title_grams, *characters]))
    return pk, all_grams, title, title_words, body_words, body_hot


def _batches(schema_editor: Any, columns: str) -> Iterator[list[tuple[Any, ...]]]:
    """Rows of search_searchdocument, BATCH at a time in article order (safe to update)."""
    last = -1
    while True:
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT article_id, {columns} FROM search_searchdocument "  # noqa: S608
                "WHERE article_id > %s ORDER BY article_id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _update(schema_editor: Any, sql: str, rows: list[tuple[Any, ...]]) -> None:
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def drop_old(apps: Any, schema_editor: Any) -> None:
    old.backward(apps, schema_editor)


def create_old(apps: Any, schema_editor: Any) -> None:
    old.forward(apps, schema_editor)
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def texts_from_grams(apps: Any, schema_editor: Any) -> None:
    columns = "title_words, words_stream, title_grams, body_grams"
    for rows in _batches(schema_editor, columns):
        updates = []
        for pk, title_words, body_words, title_grams, body_grams in rows:
            counts = Counter(body_words.split())
            updates.append(
                (
                    _spaced(dict.fromkeys(title_words.split())),
                    _spaced(counts),
                    _spaced(_tokens_from_grams(title_grams)),
                    _spaced(w for w, n in counts.items() if n >= 3),
                    _spaced(_tokens_from_grams(body_grams)),
                    pk,
                )
            )
        _update(
            schema_editor,
            "UPDATE search_searchdocument SET title_words = %s, body_words = %s, "
            "title_text = %s, body_hot = %s, body_text = %s WHERE article_id = %s",
            updates,
        )


def grams_from_texts(apps: Any, schema_editor: Any) -> None:
    for rows in _batches(schema_editor, "title_words, body_words, title_text, body_text"):
        _update(
            schema_editor,
            "UPDATE search_searchdocument SET title_words = %s, words_stream = %s, "
            "title_grams = %s, body_grams = %s WHERE article_id = %s",
            [
                (tw.strip(), bw.strip(), " ".join(gram_stream(tt)), " ".join(gram_stream(bt)), pk)
                for pk, tw, bw, tt, bt in rows
            ],
        )


def create_new(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)
    columns = "title_text, body_text, title_words, body_words, body_hot"
    for rows in _batches(schema_editor, columns):
        if vendor == "sqlite":
            made = [_sqlite_entries(row) for row in rows]
            sql = "INSERT INTO search_fts (rowid, grams) VALUES (%s, %s)"
            _update(schema_editor, sql, [entry[:2] for entry in made])
            sql = (
                "INSERT INTO search_signals (rowid, title, title_words, words, hot) "
                "VALUES (%s, %s, %s, %s, %s)"
            )
            _update(schema_editor, sql, [(entry[0], *entry[2:]) for entry in made])
        elif vendor == "postgresql":
            sql = (
                "UPDATE search_searchdocument SET terms = array_to_tsvector(string_to_array(%s, ' ')) "
                "WHERE article_id = %s"
            )
            made = [(" ".join(_postgres_lexemes(row)), row[0]) for row in rows]
            _update(schema_editor, sql, made)
    for sql in {"postgresql": POSTGRES_INDEX}.get(vendor, []):
        schema_editor.execute(sql)


def drop_new(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_articlekeyword_recommendation"), ("search", "0002_fulltext")]

    # Fields are added in the order the columns should have: short ones first, then the
    # body's words (renamed out of the way and converted), then its text.
    operations = [
        migrations.RunPython(drop_old, create_old),
        migrations.AddField(
            model_name="searchdocument", name="title_text", field=models.TextField(blank=True)
        ),
        migrations.AddField(
            model_name="searchdocument", name="body_hot", field=models.TextField(blank=True)
        ),
        migrations.RenameField(
            model_name="searchdocument", old_name="body_words", new_name="words_stream"
        ),
        migrations.AddField(
            model_name="searchdocument", name="body_words", field=models.TextField(blank=True)
        ),
        migrations.AddField(
            model_name="searchdocument", name="body_text", field=models.TextField(blank=True)
        ),
        migrations.RunPython(texts_from_grams, grams_from_texts),
        migrations.RemoveField(model_name="searchdocument", name="title_grams"),
        migrations.RemoveField(model_name="searchdocument", name="body_grams"),
        migrations.RemoveField(model_name="searchdocument", name="words_stream"),
        migrations.AlterField(
            model_name="searchdocument",
            name="article",
            field=models.OneToOneField(
                db_constraint=False,
                on_delete=models.DO_NOTHING,
                primary_key=True,
                related_name="+",
                serialize=False,
                to="articles.articlepage",
            ),
        ),
        migrations.RunPython(create_new, drop_new),
    ]
