"""Scheduled publishing happens through the worker's scheduler, with no cron job."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone
from wagtail.signals import page_published

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.serving.scheduler import TICK_LOCK, scheduler_tick, start_scheduler
from tests.deadlines import DEADLINE
from tests.factories import ArticleFactory

# Transactional, so the scheduler thread sees what the test wrote.
pytestmark = pytest.mark.django_db(transaction=True)


def schedule(article: ArticlePage, go_live_at: timezone.datetime) -> None:
    article.go_live_at = go_live_at
    article.save_revision().publish()  # a future go_live_at makes this a scheduled revision


def test_due_article_is_published_by_the_tick(news: ColumnPage) -> None:
    article = ArticleFactory(parent=news, live=False, title="定时发布的文章")
    go_live = timezone.now() + timedelta(hours=1)
    schedule(article, go_live)
    assert scheduler_tick() is True
    article.refresh_from_db()
    assert not article.live

    with time_machine.travel(go_live + timedelta(seconds=1), tick=False):
        assert scheduler_tick() is True
    article.refresh_from_db()
    assert article.live


def test_not_yet_due_article_stays_unpublished(news: ColumnPage) -> None:
    article = ArticleFactory(parent=news, live=False)
    schedule(article, timezone.now() + timedelta(hours=1))
    scheduler_tick()
    article.refresh_from_db()
    assert not article.live


def test_only_one_worker_ticks_at_a_time() -> None:
    cache.add(TICK_LOCK, "1", timeout=60)
    assert scheduler_tick() is False


def test_scheduler_thread_publishes_on_time(news: ColumnPage) -> None:
    article = ArticleFactory(parent=news, live=False)
    go_live = timezone.now() + timedelta(hours=1)
    schedule(article, go_live)
    published = threading.Event()

    def on_published(sender: object, instance: ArticlePage, **kwargs: object) -> None:
        if instance.pk == article.pk:
            published.set()

    # Wait on the signal, not by polling the database: SQLite's shared in-memory test
    # database locks tables between threads.
    page_published.connect(on_published)
    stop = threading.Event()
    with time_machine.travel(go_live + timedelta(seconds=1)):  # the clock keeps ticking
        thread = start_scheduler(0.2, stop)
        try:
            assert published.wait(timeout=DEADLINE), "not published by the scheduler thread"
        finally:
            stop.set()
            thread.join(timeout=DEADLINE)
            page_published.disconnect(on_published)
    article.refresh_from_db()
    assert article.live
