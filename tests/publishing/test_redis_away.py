"""Redis away (restarting, failing over): pages come from the database, uncached, and a
change still reaches readers (core/cache.py, publishing/fastpath.py, middleware.py,
invalidation.py). Redis here is a real client pointed at a port where nothing listens."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import override_settings

from kanwu.columns.models import ColumnPage
from kanwu.publishing.backends import get_store
from kanwu.publishing.static_export import Exporter
from tests.factories import ArticleFactory
from tests.publishing.conftest import Reader
from tests.serving.processes import free_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_away(tmp_path: Path) -> Iterator[Path]:
    """Page store, cache and export configured as with REDIS_URL, Redis not answering."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    outdir = tmp_path / "html"
    config = {
        "ENABLED": True,
        "BACKEND": "kanwu.publishing.backends.redis.RedisStore",
        "OPTIONS": {"LOCATION": url},
    }
    caches_setting = {
        "default": {"BACKEND": "kanwu.core.cache.RedisCache", "LOCATION": url},
        "renditions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    get_store.cache_clear()
    with override_settings(KANWU_PAGE_CACHE=config, CACHES=caches_setting, KANWU_STATIC_DIR=outdir):
        yield outdir
    get_store.cache_clear()


def test_pages_are_served_from_the_database_while_redis_is_away(
    redis_away: Path, news: ColumnPage, site_settings: Any
) -> None:
    article = ArticleFactory(parent=news, title="缓存不在时的文章")
    reader = Reader()
    for _ in range(2):  # the second time too: nothing was stored, nothing breaks
        status, headers, body = reader.get(article.url)
        assert status == 200
        assert "缓存不在时的文章" in body.decode()
        assert "X-Kanwu-Cache" not in headers
    assert cache.get("anything", "default") == "default"
    assert cache.add("kanwu:scheduler:tick", "1") is False  # no lock taken twice


def test_a_change_made_while_redis_is_away_reaches_the_export(
    redis_away: Path, news: ColumnPage, site_settings: Any
) -> None:
    article = ArticleFactory(parent=news, title="旧标题")
    Exporter(redis_away).export_all()
    exported = redis_away / article.url.strip("/") / "index.html"
    assert "旧标题" in exported.read_text()

    article.title = "新标题"
    # Purge and queue unreachable: the search index and the export are brought up to date
    # by this process.
    article.save_revision().publish()

    assert "新标题" in exported.read_text()
    status, _, body = Reader().get(article.url)
    assert status == 200 and "新标题" in body.decode()
