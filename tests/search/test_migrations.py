"""Migration 0003 converts the 0002 index rows in place, without segmenting again."""

from __future__ import annotations

import importlib

import pytest

from kanwu.search.backends.base import index_grams
from kanwu.search.indexing import token_text
from kanwu.textanalysis import fold, tokens

migration = importlib.import_module("kanwu.search.migrations.0003_gram_sets")

TEXTS = [
    "统战部部长在会上讲话，强调团结。",
    "2024年GDP增长5.2%，Beijing表现突出。",
    "一，二。三 a b 统 战",
    "",
    "單個字：黨",
]


@pytest.mark.parametrize("text", TEXTS)
def test_tokens_are_recovered_from_a_gram_stream(text: str) -> None:
    folded = fold(text)
    assert migration._tokens_from_grams(" ".join(migration.gram_stream(folded))) == tokens(folded)


@pytest.mark.parametrize("text", TEXTS)
def test_the_migration_indexes_the_grams_the_backends_do(text: str) -> None:
    spaced = token_text(fold(text))
    for longest in (3, 4):
        assert migration._index_grams(spaced, longest) == index_grams(spaced, longest)


@pytest.mark.parametrize("text", TEXTS)
def test_the_migration_makes_the_lexemes_postgres_does(text: str) -> None:
    from kanwu.search.backends.postgres import lexemes

    spaced = token_text(fold(text))
    words = " 统战 经济 "
    row = (1234, spaced, spaced, words, words, words)
    assert migration._postgres_lexemes(row) == lexemes(*row)
