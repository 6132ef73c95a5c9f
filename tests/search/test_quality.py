"""Search quality on a generated corpus: recall of substrings, on every backend."""

from __future__ import annotations

import random

import pytest

from kanwu import textanalysis as analysis
from kanwu.articles.selectors import public_articles
from kanwu.demo.builder import create_articles
from kanwu.search.backends import get_backend
from kanwu.search.indexing import _body_text, search_rebuild
from kanwu.site.models import HomePage
from kanwu.textanalysis import fold, parse_query
from tests.search.conftest import corpus_columns

ARTICLES = 140
QUERIES_PER_LENGTH = 60
WORD_QUERIES = 60


@pytest.fixture
def corpus(home: HomePage) -> dict[int, str]:
    """Generated articles in three columns, indexed; their folded searchable text by id."""
    create_articles(random.Random(7), corpus_columns(home), [], ARTICLES)
    search_rebuild()
    texts = {}
    for article in public_articles().prefetch_related("tags"):
        tags = [t.name for t in article.tags.all()]
        texts[article.pk] = fold(article.title) + "\n" + fold(_body_text(article, tags))
    return texts


def _sample(texts: dict[int, str], rng: random.Random) -> list[str]:
    runs = [run for text in texts.values() for run in analysis.tokens(text) if not run.isascii()]
    queries = []
    for length in (1, 2, 3, 4):
        long_enough = [run for run in runs if len(run) >= length]
        for _ in range(QUERIES_PER_LENGTH):
            run = rng.choice(long_enough)
            start = rng.randrange(len(run) - length + 1)
            queries.append(run[start : start + length])
    words = sorted({w for text in texts.values() for w in analysis.words(text) if not w.isascii()})
    queries.extend(rng.sample(words, WORD_QUERIES))
    return queries


@pytest.mark.django_db
def test_every_article_containing_the_query_is_found(corpus: dict[int, str]) -> None:
    backend = get_backend()
    queries = _sample(corpus, random.Random(11))
    assert len(queries) >= 300
    expected_total = found_total = correct = 0
    misses = []
    for query in queries:
        expected = {pk for pk, text in corpus.items() if query in text}
        page = backend.search(parse_query(query), candidates=public_articles(), limit=ARTICLES)
        found = {hit.article_id for hit in page.hits}
        assert page.total == len(found)
        expected_total += len(expected)
        found_total += len(found)
        correct += len(expected & found)
        if expected - found:
            misses.append(query)
    recall = correct / expected_total
    precision = correct / found_total
    assert recall >= 0.99, (recall, misses[:20])
    assert precision >= 0.99, precision


@pytest.mark.django_db
def test_title_matches_rank_first_on_the_corpus(corpus: dict[int, str]) -> None:
    """For words from titles, every article with the word in its title precedes the rest."""
    backend = get_backend()
    titles = {pk: text.split("\n", 1)[0] for pk, text in corpus.items()}
    words = sorted({w for t in titles.values() for w in analysis.words(t) if len(w) >= 2})
    checked = 0
    for word in random.Random(3).sample(words, min(40, len(words))):
        page = backend.search(parse_query(word), candidates=public_articles(), limit=ARTICLES)
        in_title = [word in titles[hit.article_id] for hit in page.hits]
        # Once a body-only match appears, no title match follows it.
        assert in_title == sorted(in_title, reverse=True), word
        checked += 1
    assert checked >= 20
