"""The header navigation (the top columns), remembered until the columns change.

Desktop headers keep to one row: the columns that fit beside the site's name and the search
box are shown in the strip, the rest under 更多 (a `<details>` dropdown, no JavaScript). What
fits is worked out here from the titles' widths, for two widths of the header: a narrow
desktop (`NARROW_PX`) and the full width (`WIDE_PX`); the columns that fit only the wider one
are in both places, each shown at its width by the stylesheet. Phones get every column behind
a menu button. A column is left out when an editor unticked 在菜单中显示 (Wagtail's
`show_in_menus`) or when nothing under it is public yet.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from wagtail.models import Page, Site, get_page_models

from kanwu.columns.models import ColumnPage
from kanwu.core.visibility import visible

# The header's layout in site.css, in CSS pixels: its widths, what else sits in its row
# (padding, the gaps, the search box) and the navigation's font and gaps.
NARROW_PX = 1024  # the narrowest desktop header (below it, the menu button)
WIDE_PX = 1180  # .wrap's max-width
# .wrap's padding (up to 1340 px wide it keeps clear of the side toolbar: 16 + 64 + 28 on
# the right), two gaps, the search box.
FIXED_PX = 16 + (16 + 64 + 28) + 2 * 24 + 250
LOGO_PX = 200  # a logo's width, at most
NAV_FONT_PX = 16
NAV_GAP_PX = 18
MORE_PX = 64  # the 更多 button
HOME_TITLE = "首页"


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str
    wide_only: bool = False  # in the strip on a full-width header only (else under 更多)


@dataclass(frozen=True)
class Navigation:
    """What the header shows: every column (the phone menu), split into strip and 更多."""

    columns: list[NavItem] = field(default_factory=list)
    strip: list[NavItem] = field(default_factory=list)
    more: list[NavItem] = field(default_factory=list)

    @property
    def more_when_wide(self) -> bool:
        """Whether 更多 has anything left on a full-width header."""
        return any(not item.wide_only for item in self.more)


def text_px(text: str, font_px: float) -> float:
    """About how wide `text` is set: CJK and full-width characters one em, others half."""
    return sum(
        font_px if unicodedata.east_asian_width(ch) in "WF" else font_px * 0.55 for ch in text
    )


def brand_px(site_name: str, has_logo: bool) -> float:
    return LOGO_PX if has_logo else text_px(site_name, 24) + 2 * len(site_name)


def fitting(titles: list[str], room: float) -> int:
    """How many of `titles`, in order, fit in `room` pixels beside 首页, keeping room for 更多
    when not all of them fit."""
    used = text_px(HOME_TITLE, NAV_FONT_PX)
    widths = [NAV_GAP_PX + text_px(title, NAV_FONT_PX) for title in titles]
    if used + sum(widths) <= room:
        return len(titles)
    count = 0
    for width in widths:
        if used + width + NAV_GAP_PX + MORE_PX > room:
            break
        used += width
        count += 1
    return count


def navigation_models() -> list[type[Page]]:
    """Columns, and the page types of apps above this one that say they belong in the header
    (`in_header_navigation`, e.g. the 专题 index)."""
    return [
        ColumnPage,
        *(model for model in get_page_models() if getattr(model, "in_header_navigation", False)),
    ]


def navigation_columns(root: Page) -> list[Page]:
    """The columns (and other pages of `navigation_models`) directly under `root` that the
    navigation shows, in the tree's order: public, 在菜单中显示 ticked, and with something
    public under them (an article, a sub-column, a 专题 or other page)."""
    below = visible(Page.objects.all()).filter(
        path__startswith=OuterRef("path"), depth__gt=OuterRef("depth")
    )
    pages = Page.objects.child_of(root).type(*navigation_models()).filter(show_in_menus=True)
    shown = visible(pages).filter(Exists(below)).order_by("path")
    return list(shown.only("title", "url_path", "path", "depth"))


def navigation_for(request: HttpRequest, site_name: str = "", has_logo: bool = False) -> Navigation:
    site = Site.find_for_request(request)
    if site is None:
        return Navigation()
    # Read when base.html's `{% sitewide "header" %}` fragment is rendered, which is
    # remembered until a column (a container page), an article making a column empty or not
    # (kanwu.publishing.registry), or anything else site-wide changes.
    columns = [
        NavItem(column.title, str(column.get_url(request)))
        for column in navigation_columns(site.root_page)
    ]
    titles = [item.title for item in columns]
    room = -FIXED_PX - brand_px(site_name, has_logo)
    narrow = fitting(titles, NARROW_PX + room)
    wide = max(narrow, fitting(titles, WIDE_PX + room))
    strip = [
        NavItem(item.title, item.url, wide_only=index >= narrow)
        for index, item in enumerate(columns[:wide])
    ]
    more = [*strip[narrow:], *columns[wide:]]
    return Navigation(columns, strip, more)
