"""为您推荐: content-based recommendations, stored and kept current."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from kanwu.articles.models import ArticleKeyword, ArticlePage, Recommendation
from kanwu.articles.recommendations import (
    recommendations_rebuild,
    recommendations_update,
    recommendations_update_many,
)
from kanwu.articles.selectors import RELATED_COUNT, related_articles
from kanwu.columns.models import ColumnPage
from kanwu.demo.builder import create_articles
from kanwu.site.models import HomePage
from tests.factories import ArticleFactory, ColumnFactory

pytestmark = pytest.mark.django_db

TOPICS = ["history", "policy", "grassroots", "notice"]
PER_TOPIC = 10


@pytest.fixture
def corpus(home: HomePage) -> dict[int, str]:
    """Generated articles, PER_TOPIC per topic, one column per topic: topic by article id."""
    columns: list[tuple[ColumnPage, str]] = [
        (ColumnFactory(parent=home, title=topic, slug=topic), topic) for topic in TOPICS
    ]
    create_articles(random.Random(5), columns, [], PER_TOPIC * len(TOPICS))
    topic_of_column = {column.path: topic for column, topic in columns}
    return {
        a.pk: topic_of_column[a.path[: -ArticlePage.steplen]] for a in ArticlePage.objects.all()
    }


def _stored(pk: int) -> list[int]:
    return list(
        Recommendation.objects.filter(article_id=pk)
        .order_by("rank")
        .values_list("recommended_id", flat=True)
    )


def test_same_topic_articles_recommend_each_other_first(corpus: dict[int, str]) -> None:
    assert recommendations_rebuild() == len(corpus)
    same = total = 0
    for pk, topic in corpus.items():
        stored = _stored(pk)
        assert pk not in stored
        assert len(stored) == len(set(stored))
        topics = [corpus[other] for other in stored]
        # Every same-topic recommendation comes before any other-topic one.
        flags = [t == topic for t in topics]
        assert flags == sorted(flags, reverse=True), (pk, topic, topics)
        same += sum(flags)
        total += len(flags)
    assert total >= len(corpus) * 4
    assert same / total >= 0.95


def test_one_article_update_agrees_with_the_rebuild(corpus: dict[int, str]) -> None:
    recommendations_rebuild()
    for pk in list(corpus)[:8]:
        before = _stored(pk)
        after = recommendations_update(article_id=pk)
        assert after == _stored(pk)
        assert len(set(before) & set(after)) >= len(after) - 1
        assert all(corpus[o] == corpus[pk] for o in after[:3])


def test_many_at_once_rank_as_the_whole_corpus_pass(corpus: dict[int, str]) -> None:
    """An import's batch: every article ranked against all the others, as the rebuild
    ranks them; an article readers may not see gets none."""
    ids = list(corpus)
    hidden = ArticlePage.objects.get(pk=ids[-1])
    hidden.unpublish()
    recommendations_rebuild()
    rebuilt = {pk: _stored(pk) for pk in ids[:-1]}
    ArticleKeyword.objects.all().delete()
    Recommendation.objects.all().delete()
    ArticleKeyword.objects.create(article=hidden, term="残留", weight=1.0)

    together = recommendations_update_many(article_ids=ids)
    assert together == rebuilt
    assert {pk: _stored(pk) for pk in ids[:-1]} == rebuilt
    assert hidden.pk not in together and _stored(hidden.pk) == []
    assert not ArticleKeyword.objects.filter(article_id=hidden.pk).exists()
    assert sum(map(len, together.values())) >= 4 * len(together)


def test_related_articles_use_the_stored_ranking(corpus: dict[int, str]) -> None:
    recommendations_rebuild()
    pk = next(iter(corpus))
    article = ArticlePage.objects.get(pk=pk)
    related = [a.pk for a in related_articles(article)]
    stored = _stored(pk)
    assert related[: len(stored)] == stored
    assert len(related) == RELATED_COUNT
    assert pk not in related and len(set(related)) == len(related)


def test_unpublished_is_never_recommended_and_is_replaced(
    corpus: dict[int, str], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    recommendations_rebuild()
    pk = next(iter(corpus))
    victim = _stored(pk)[0]
    pointing = set(
        Recommendation.objects.filter(recommended_id=victim).values_list("article_id", flat=True)
    )
    assert pk in pointing
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=victim).unpublish()
    for source in pointing:
        assert victim not in _stored(source)
        assert victim not in [a.pk for a in related_articles(ArticlePage.objects.get(pk=source))]
    assert _stored(victim) == []
    assert not ArticleKeyword.objects.filter(article_id=victim).exists()


def test_deleted_article_is_replaced_in_recommendations(
    corpus: dict[int, str], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    recommendations_rebuild()
    pk = next(iter(corpus))
    victim = _stored(pk)[0]
    before = len(_stored(pk))
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=victim).delete()
    after = _stored(pk)
    assert victim not in after
    assert len(after) == before  # recomputed, not just one short


def test_publishing_stores_recommendations(
    corpus: dict[int, str], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    recommendations_rebuild()
    history = ColumnPage.objects.get(slug="history")
    donor = ArticlePage.objects.get(pk=next(pk for pk, t in corpus.items() if t == "history"))
    article = ArticleFactory(parent=history, title=donor.title + "（续）", body=donor.body)
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    stored = _stored(article.pk)
    assert stored and stored[0] == donor.pk
    assert all(corpus[o] == "history" for o in stored[:3])


def test_falls_back_to_the_same_column(news: ColumnPage, history: ColumnPage) -> None:
    lonely = ArticleFactory(parent=news, title="孤零零", body="<p>量子色动力学的渐近自由。</p>")
    siblings = [
        ArticleFactory(parent=news, title=f"同栏目{n}", body=f"<p>天气{n}</p>") for n in range(3)
    ]
    elsewhere = [
        ArticleFactory(parent=history, title=f"别处{n}", body="<p>统战</p>") for n in range(5)
    ]
    assert recommendations_update(article_id=lonely.pk) == []
    related = [a.pk for a in related_articles(lonely)]
    assert len(related) == RELATED_COUNT
    assert set(related[:3]) == {s.pk for s in siblings}
    assert set(related[3:]) <= {e.pk for e in elsewhere}


def test_an_editors_preview_with_unsaved_tags_renders(news: ColumnPage, site_settings: Any) -> None:
    """In a preview the tags are modelcluster's in-memory list, which has no "pk" field."""
    article = ArticleFactory(parent=news, title="预览文章", tags=["统战"])
    ArticleFactory(parent=news, title="同标签的文章", tags=["统战"])
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.tags.add("新标签")  # kept in memory until saved, as the editor's form does
    response = draft.make_preview_request()
    assert response.status_code == 200
    assert "同标签的文章" in response.content.decode()
