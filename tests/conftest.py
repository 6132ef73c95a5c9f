from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from wagtail.models import Site

from kanwu.columns.models import ColumnPage
from kanwu.publishing.views_counter import counter
from kanwu.site.models import HomePage, SiteSettings
from kanwu.site.services import site_ensure_tree
from tests.factories import ColumnFactory


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Each test starts with an empty cache and no views counted in memory: the counter
    writes its batch later, and a batch naming another test's (rolled back) article would
    break this test's foreign keys."""
    cache.clear()
    counter.pending.clear()
    yield
    cache.clear()
    counter.pending.clear()


@pytest.fixture
def home(db: Any) -> HomePage:
    """The home page the migrations create, as the default site's root.

    Transactional tests empty every table when they end; the tree is rebuilt for the next.
    """
    return site_ensure_tree()


@pytest.fixture
def site(home: HomePage) -> Site:
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def configured(site: Site) -> Site:
    """The site record as `site_apply_base_url` leaves it for KANWU_BASE_URL=https://news.example.cn."""
    site.hostname, site.port = "news.example.cn", 443
    site.save()
    return site


@pytest.fixture
def site_settings(site: Site) -> SiteSettings:
    settings = SiteSettings.for_site(site)
    settings.site_name = "测试新闻网"
    settings.webmaster_qq = "12345678"
    settings.submission_email = "tougao@example.cn"
    settings.takedown_email = "qinquan@example.cn"
    settings.contact_email = "contact@example.cn"
    settings.icp_number = "京ICP备12345678号"
    settings.footer_text = "Copyright 测试新闻网"
    settings.save()
    return settings


@pytest.fixture
def news(home: HomePage) -> ColumnPage:
    return ColumnFactory(parent=home, title="新闻", slug="news")


@pytest.fixture
def history(news: ColumnPage) -> ColumnPage:
    """A nested column: 新闻 > 统战史话."""
    return ColumnFactory(parent=news, title="统战史话", slug="history")
