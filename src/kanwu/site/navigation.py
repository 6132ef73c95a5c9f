"""The header navigation (the top columns), remembered until the columns change."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from wagtail.models import Site

from kanwu.columns.models import ColumnPage
from kanwu.core.visibility import visible


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str


def navigation_for(request: HttpRequest) -> list[NavItem]:
    site = Site.find_for_request(request)
    if site is None:
        return []

    # Read when base.html's `{% sitewide "header" %}` fragment is rendered, which is
    # remembered until a column (a container page) or anything else site-wide changes.
    # Columns an editor chose to show ("在菜单中显示"; new columns start with it on, imported
    # ones off).
    columns = visible(ColumnPage.objects.child_of(site.root_page).filter(show_in_menus=True))
    return [NavItem(column.title, str(column.get_url(request))) for column in columns]
