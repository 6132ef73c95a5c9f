"""Both backends give the same results on the same generated corpus.

The suite runs once per database (SQLite, PostgreSQL), each time with that database's
backend. Here every backend is held to one reference computed in Python from the very rows
it indexed (`SearchDocument`), following the rules `backends.base` states: a term matches
where it occurs as typed in the title or body text; the rank is a term in the title first,
then the sum of `WEIGHTS` (in the title, a whole word of the title, of the body, repeated
in the body), then newer first. Equal to the reference on both databases means equal to
each other: the same ids, in the same order, with the same scores and totals.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from kanwu.articles.selectors import public_articles
from kanwu.demo.builder import create_articles
from kanwu.search.backends import get_backend
from kanwu.search.backends.base import WEIGHTS, phrase_pattern
from kanwu.search.indexing import search_rebuild
from kanwu.search.models import SearchDocument
from kanwu.site.models import HomePage
from kanwu.textanalysis import ParsedQuery, parse_query, to_traditional
from tests.search.conftest import corpus_columns

ARTICLES = 120


@dataclass(frozen=True)
class Document:
    pk: int
    title_text: str
    body_text: str
    title_words: set[str]
    body_words: set[str]
    body_hot: set[str]


def reference(query: ParsedQuery, documents: list[Document]) -> list[tuple[int, float]]:
    """(id, score) of every matching document, best first, by the documented rules."""
    ranked = []
    for doc in documents:
        patterns = [phrase_pattern(term) for term in query.terms]
        if not all(p in doc.title_text or p in doc.body_text for p in patterns):
            continue
        in_title = any(p in doc.title_text for p in patterns)
        score = 0
        for term, pattern in zip(query.terms, patterns, strict=True):
            score += WEIGHTS["title"] * (pattern in doc.title_text)
            if term.word:
                score += WEIGHTS["title_words"] * (term.word in doc.title_words)
                score += WEIGHTS["words"] * (term.word in doc.body_words)
                score += WEIGHTS["hot"] * (term.word in doc.body_hot)
        ranked.append((in_title, score, doc.pk))
    ranked.sort(reverse=True)
    return [(pk, float(score)) for _, score, pk in ranked]


@pytest.fixture
def documents(home: HomePage) -> list[Document]:
    create_articles(random.Random(5), corpus_columns(home), [], ARTICLES)
    assert search_rebuild() == ARTICLES
    return [
        Document(d.article_id, d.title_text, d.body_text, *(set(w.split()) for w in words))
        for d in SearchDocument.objects.all()
        for words in [(d.title_words, d.body_words, d.body_hot)]
    ]


def queries(documents: list[Document], rng: random.Random) -> list[str]:
    """What readers type: pieces of runs of every length up to 7 (longer than either
    backend's grams), words, numbers, two terms, quoted phrases, traditional characters."""
    runs = [t for d in documents for t in (d.title_text + d.body_text).split()]
    chinese = [t for t in runs if not t.isascii()]
    numbers = sorted({t for t in runs if t.isascii()})
    words = sorted({w for d in documents for w in d.title_words | d.body_words})
    found = []
    for length in range(1, 8):
        long_enough = [run for run in chinese if len(run) >= length]
        for _ in range(12):
            run = rng.choice(long_enough)
            start = rng.randrange(len(run) - length + 1)
            found.append(run[start : start + length])
    found += rng.sample(words, 30) + rng.sample(numbers, min(10, len(numbers)))
    found += [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(15)]
    # A number with the characters after it, as typed ("2024年") and quoted ("2024 年").
    for text in rng.sample([d.body_text for d in documents], 10):
        tokens = text.split()
        at = next((i for i, t in enumerate(tokens[:-1]) if t.isascii()), None)
        if at is not None:
            after = tokens[at + 1][:2]
            found += [tokens[at] + after, f'"{tokens[at]} {after}"']
    found += [to_traditional(q) for q in rng.sample(found, 10)]
    found += ["没有这样的词语组合", "zzzz"]
    return found


@pytest.mark.django_db
def test_both_backends_answer_as_the_reference(documents: list[Document]) -> None:
    backend = get_backend()
    asked = queries(documents, random.Random(13))
    assert len(asked) >= 150
    matched = 0
    for raw in asked:
        query = parse_query(raw)
        expected = reference(query, documents)
        page = backend.search(query, candidates=public_articles(), limit=ARTICLES)
        assert page.exact and page.total == len(expected), raw
        assert [(hit.article_id, hit.score) for hit in page.hits] == expected, raw
        newest = backend.search(query, candidates=public_articles(), sort="newest", limit=10)
        by_date = public_articles().filter(pk__in=[pk for pk, _ in expected])
        in_order = by_date.newest_first().values_list("pk", flat=True)[:10]
        assert [hit.article_id for hit in newest.hits] == list(in_order), raw
        matched += bool(expected)
    assert matched >= len(asked) * 0.8  # the queries do find things
