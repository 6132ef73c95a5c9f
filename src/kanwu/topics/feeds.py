"""/<topic path>/feed/: a 专题's articles as RSS (专题 - 站名), newest first."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from wagtail.models import Site

from kanwu.articles.feeds import FEED_ITEMS, ArticlesFeed, site_name
from kanwu.articles.models import ArticlePage
from kanwu.core.dependencies import FEEDS_TAG, page_tag, shows
from kanwu.core.pages import absolute_url
from kanwu.core.visibility import visible
from kanwu.topics.models import TopicPage
from kanwu.topics.selectors import topic_articles


def topic_at(request: HttpRequest, path: str) -> TopicPage:
    """The live, public topic at `path` (e.g. "zhuanti/some-topic/") on the request's site."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("没有这个专题。")
    url_path = f"{site.root_page.url_path}{path}"
    topic = visible(TopicPage.objects.filter(url_path=url_path)).first()
    if topic is None:
        raise Http404("没有这个专题。")
    return topic


class TopicFeed(ArticlesFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> TopicPage:
        topic = topic_at(request, str(kwargs.get("path", "")))
        # The topic itself (its title, sections edited) and, through topic_articles, its
        # sections' tags and articles.
        shows([FEEDS_TAG, page_tag(topic.pk)])
        return topic

    def title(self, topic: TopicPage) -> str:
        return f"{topic.title} - {site_name(self.request)}"

    def link(self, topic: TopicPage) -> str:
        return absolute_url(str(topic.get_url(self.request)), self.request)

    def description(self, topic: TopicPage) -> str:
        return topic.description(site_name(self.request))

    def items(self, topic: TopicPage) -> list[ArticlePage]:
        return topic_articles(topic, FEED_ITEMS)
