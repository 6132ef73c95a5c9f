from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from wagtail.models import Site

from kanwu.columns.models import ColumnPage
from kanwu.core.dependencies import DAILY_TAG, listing_tag, shows
from kanwu.core.timeutil import readers_today
from kanwu.site.daily import daily_pick
from kanwu.site.models import SiteSettings
from kanwu.site.qrcode import qr_svg_data_uri

register = template.Library()


@register.inclusion_tag("site/daily_reading.html", takes_context=True)
def daily_reading(context: template.Context) -> dict[str, Any]:
    settings: SiteSettings = SiteSettings.for_request(context["request"])
    column = settings.daily_reading_column
    pick = daily_pick(column, readers_today()) if column and column.live else None
    if column:
        shows([DAILY_TAG, listing_tag(column.pk)])
    return {"title": settings.daily_reading_title, "column": column, "article": pick}


@register.simple_tag(takes_context=True)
def site_qr(context: template.Context) -> str:
    """The WeChat QR code URL: the uploaded image, or a QR code of the site's address."""
    request: HttpRequest = context["request"]
    settings: SiteSettings = SiteSettings.for_request(request)
    if settings.wechat_qr:
        return str(settings.wechat_qr.get_rendition("max-200x200").url)
    return qr_svg_data_uri(request.build_absolute_uri("/"))


@register.simple_tag(takes_context=True)
def top_columns(context: template.Context) -> list[ColumnPage]:
    """The columns directly under the site's home page, for the header navigation."""
    site = Site.find_for_request(context["request"])
    if site is None:
        return []
    return list(ColumnPage.objects.child_of(site.root_page).live().only("title", "url_path"))
