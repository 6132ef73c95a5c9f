"""Near-duplicate bodies: SimHash over segmented words, against every article on the site."""

from __future__ import annotations

import random

import pytest

from kanwu.columns.models import ColumnPage
from kanwu.demo.textgen import body_html, generate_article
from kanwu.importer.duplicates import fingerprints_refresh, near_duplicates
from kanwu.importer.models import ArticleFingerprint
from kanwu.importer.richtext import plain_text
from kanwu.importer.simhash import NEAR_DISTANCE, hamming, simhash
from tests.factories import ArticleFactory


def text(seed: int) -> str:
    return "\n".join(generate_article(random.Random(seed), "news").paragraphs)


def test_simhash_is_stable_and_separates_different_texts() -> None:
    a, b = text(1), text(2)
    assert simhash(a) == simhash(a) != 0
    assert hamming(simhash(a), simhash(b)) > NEAR_DISTANCE * 3
    edited = a.replace("。", "！", 1) + "（完）"
    assert hamming(simhash(a), simhash(edited)) <= NEAR_DISTANCE
    assert simhash("") == 0


@pytest.mark.django_db
def test_existing_articles_are_fingerprinted_and_found(news: ColumnPage) -> None:
    articles = [
        ArticleFactory(parent=news, body=body_html(generate_article(random.Random(n), "news")))
        for n in range(3)
    ]
    assert ArticleFingerprint.objects.count() == 0
    assert fingerprints_refresh(limit=2) == 2
    assert fingerprints_refresh() == 1
    assert fingerprints_refresh() == 0
    copy = plain_text(articles[1].body) + "\n本文转自某网站。"
    assert near_duplicates(copy) == [articles[1]]
    assert near_duplicates(text(99)) == []
    # An article edited since it was fingerprinted is fingerprinted again.
    articles[0].body = body_html(generate_article(random.Random(50), "news"))
    articles[0].save_revision()
    assert fingerprints_refresh() == 1
