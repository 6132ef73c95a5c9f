"""A cached 专题 page and its feed follow the articles they show, and the 专题 index follows
its topics: each change through the real front door (fast path, page cache on)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from kanwu.site.models import SiteSettings
from kanwu.topics.models import TopicIndexPage, TopicPage
from tests.topics.conftest import MakeArticle, MakeTopic, Reader, section

pytestmark = pytest.mark.django_db
Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Commit) -> Callable[[], Any]:
    """Run a change and its on-commit purges, as a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def cached(reader: Reader, *urls: str) -> None:
    for url in urls:
        reader.get(url)
        assert reader.get(url)[1]["X-Kanwu-Cache"] == "HIT", url


@pytest.fixture
def topic(
    make_topic: MakeTopic, make_article: MakeArticle, site_settings: SiteSettings
) -> TopicPage:
    tagged = make_article("统战旧闻", 1, tags=["统战"])
    picked = make_article("手选的文章", 2)
    draft = make_article("手选的草稿", 3, live=False)
    topic = make_topic(
        "同心专题",
        [section("按标签", tags="统战", count=3), section("手选", articles=[picked, draft])],
    )
    assert tagged.live
    return topic


def test_a_new_tagged_article_reaches_the_topic_and_its_feed(
    reader: Reader, topic: TopicPage, make_article: MakeArticle, committed: Any
) -> None:
    feed = f"{topic.url}feed/"
    cached(reader, topic.url, feed)
    with committed():
        make_article("新发的统战文章", 5, tags=["统战"])
    assert "新发的统战文章" in reader.text(topic.url)
    assert "新发的统战文章" in reader.text(feed)


def test_editing_and_withdrawing_shown_articles_purge_the_topic(
    reader: Reader, topic: TopicPage, committed: Any
) -> None:
    from kanwu.articles.models import ArticlePage

    feed = f"{topic.url}feed/"
    cached(reader, topic.url, feed)
    picked = ArticlePage.objects.get(title="手选的文章")
    with committed():
        picked.title = "改过标题的手选文章"
        picked.save_revision().publish()
    assert "改过标题的手选文章" in reader.text(topic.url)
    assert "改过标题的手选文章" in reader.text(feed)

    cached(reader, topic.url, feed)
    tagged = ArticlePage.objects.get(title="统战旧闻")
    with committed():
        tagged.unpublish()
    assert "统战旧闻" not in reader.text(topic.url)
    assert "统战旧闻" not in reader.text(feed)


def test_publishing_a_hand_picked_draft_shows_it(
    reader: Reader, topic: TopicPage, committed: Any
) -> None:
    from kanwu.articles.models import ArticlePage

    cached(reader, topic.url)
    assert "手选的草稿" not in reader.text(topic.url)
    draft = ArticlePage.objects.get(title="手选的草稿")
    with committed():
        draft.save_revision().publish()
    assert "手选的草稿" in reader.text(topic.url)


def test_an_article_the_topic_does_not_show_leaves_it_cached(
    reader: Reader, topic: TopicPage, make_article: MakeArticle, committed: Any
) -> None:
    cached(reader, topic.url)
    with committed():
        make_article("别的标签的文章", 6, tags=["侨务"])
    assert reader.get(topic.url)[1]["X-Kanwu-Cache"] == "HIT"


def test_a_new_topic_reaches_the_index_and_an_edited_one_its_page(
    reader: Reader,
    topic: TopicPage,
    index: TopicIndexPage,
    make_topic: MakeTopic,
    committed: Any,
) -> None:
    cached(reader, index.url, topic.url)
    with committed():
        make_topic("新的专题", [section("文章", tags="统战")])
    assert "新的专题" in reader.text(index.url)

    cached(reader, index.url, topic.url)
    with committed():
        topic.title = "改名的专题"
        topic.save_revision().publish()
    assert "改名的专题" in reader.text(topic.url)
    assert "改名的专题" in reader.text(index.url)
    assert "改名的专题" in reader.text(f"{topic.url}feed/")
