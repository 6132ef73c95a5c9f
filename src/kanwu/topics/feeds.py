"""/<topic path>/feed/: a 专题's articles as RSS (专题 - 站名), newest first."""

from __future__ import annotations

from kanwu.articles.feeds import FEED_ITEMS, PageFeed, site_name
from kanwu.articles.models import ArticlePage
from kanwu.core.dependencies import page_tag
from kanwu.topics.models import TopicPage
from kanwu.topics.selectors import topic_articles


class TopicFeed(PageFeed[TopicPage]):
    model = TopicPage
    missing = "没有这个专题。"

    def dependencies(self, topic: TopicPage) -> list[str]:
        # The topic itself (its title, sections edited) and, through topic_articles, its
        # sections' tags and articles.
        return [page_tag(topic.pk)]

    def description(self, topic: TopicPage) -> str:
        return topic.description(site_name(self.request))

    def items(self, topic: TopicPage) -> list[ArticlePage]:
        return topic_articles(topic, FEED_ITEMS)
