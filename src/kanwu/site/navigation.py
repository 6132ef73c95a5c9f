"""The header navigation (the top columns), kept in the cache between column changes."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest
from wagtail.models import Site

from kanwu.columns.models import ColumnPage

NAV_KEY = "kanwu:nav"


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str


def navigation_for(request: HttpRequest) -> list[NavItem]:
    site = Site.find_for_request(request)
    if site is None:
        return []
    key = f"{NAV_KEY}:{site.root_page_id}"
    if (items := cache.get(key)) is None:
        columns = ColumnPage.objects.child_of(site.root_page).live()
        items = [NavItem(column.title, str(column.get_url(request))) for column in columns]
        cache.set(key, items, timeout=24 * 3600)
    return list(items)


def forget_navigation() -> None:
    """Columns changed: the navigation is read again (called by the publishing layer)."""
    cache.delete_many([f"{NAV_KEY}:{site.root_page_id}" for site in Site.objects.all()])
