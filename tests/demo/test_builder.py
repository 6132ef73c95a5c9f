"""The demo site's 专题: an index with topics gathering the generated articles by tag."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from kanwu.demo.builder import TOPIC_SPECS, build_demo
from kanwu.topics.models import TopicIndexPage, TopicPage

pytestmark = pytest.mark.django_db


def test_demo_has_topics_over_its_articles(client: Client, home: Any) -> None:
    build_demo(articles=120)
    index = TopicIndexPage.objects.live().get()
    topics = TopicPage.objects.live().child_of(index)
    assert topics.count() == len(TOPIC_SPECS)
    soup = BeautifulSoup(client.get(index.url).content, "html.parser")
    assert len(soup.select(".topic-card .topic-card-banner img")) == len(TOPIC_SPECS)
    for topic in topics:
        assert topic.banner is not None and topic.banner.width == 1180
        page = BeautifulSoup(client.get(topic.url).content, "html.parser")
        assert page.select("section.topic-section .item-title"), topic.title
        assert client.get(f"{topic.url}feed/").status_code == 200
