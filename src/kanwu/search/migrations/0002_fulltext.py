"""The full-text index over search_searchdocument, per database vendor.

SQLite: FTS5 external-content tables kept in step by triggers: search_fts (everything,
BM25-ranked) and search_title_fts (titles only, to rank title matches first). A one-character
prefix index answers single-character queries (党*) from one list.
PostgreSQL: generated tsvectors ('simple' configuration) and a GIN index.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE_FORWARD = [
    # Titles alone, a small index: "does the title match?" puts title matches first.
    """
    CREATE VIRTUAL TABLE search_title_fts USING fts5(
        title_grams, content='search_searchdocument', content_rowid='article_id',
        tokenize='unicode61 remove_diacritics 0', prefix='1'
    )
    """,
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        title_words, body_words, title_grams, body_grams,
        content='search_searchdocument', content_rowid='article_id',
        tokenize='unicode61 remove_diacritics 0', prefix='1'
    )
    """,
    """
    CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title_words, body_words, title_grams, body_grams)
        VALUES (new.article_id, new.title_words, new.body_words, new.title_grams,
                new.body_grams);
        INSERT INTO search_title_fts(rowid, title_grams) VALUES (new.article_id, new.title_grams);
    END
    """,
    """
    CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_words, body_words, title_grams,
                               body_grams)
        VALUES ('delete', old.article_id, old.title_words, old.body_words, old.title_grams,
                old.body_grams);
        INSERT INTO search_title_fts(search_title_fts, rowid, title_grams)
        VALUES ('delete', old.article_id, old.title_grams);
    END
    """,
    """
    CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_words, body_words, title_grams,
                               body_grams)
        VALUES ('delete', old.article_id, old.title_words, old.body_words, old.title_grams,
                old.body_grams);
        INSERT INTO search_fts(rowid, title_words, body_words, title_grams, body_grams)
        VALUES (new.article_id, new.title_words, new.body_words, new.title_grams,
                new.body_grams);
        INSERT INTO search_title_fts(search_title_fts, rowid, title_grams)
        VALUES ('delete', old.article_id, old.title_grams);
        INSERT INTO search_title_fts(rowid, title_grams) VALUES (new.article_id, new.title_grams);
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
    "DROP TABLE IF EXISTS search_title_fts",
]

# `vector` (weights A-D) ranks; `gvector` (grams only, no weights, so GIN answers a one-gram
# query without rechecking rows) matches; `tvector` (title grams) tells title matches.
# Gram streams come first in `vector`: positions stop at 16,383, only grams need them exact.
POSTGRES_FORWARD = [
    """
    ALTER TABLE search_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_grams), 'B')
        || setweight(to_tsvector('simple'::regconfig, body_grams), 'D')
        || setweight(to_tsvector('simple'::regconfig, title_words), 'A')
        || setweight(to_tsvector('simple'::regconfig, body_words), 'C')
    ) STORED
    """,
    """
    ALTER TABLE search_searchdocument ADD COLUMN gvector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, title_grams || ' , ' || body_grams)
    ) STORED
    """,
    """
    ALTER TABLE search_searchdocument ADD COLUMN tvector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, title_grams)
    ) STORED
    """,
    "CREATE INDEX search_document_gvector ON search_searchdocument USING GIN (gvector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_gvector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tvector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS gvector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS vector",
]


def _run(statements: dict[str, list[str]], schema_editor: Any) -> None:
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def forward(apps: Any, schema_editor: Any) -> None:
    _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}, schema_editor)


def backward(apps: Any, schema_editor: Any) -> None:
    _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
