from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

from kanwu.core import memo
from kanwu.core.dependencies import DAILY_TAG, listing_tag, shows
from kanwu.core.timeutil import readers_today
from kanwu.site.daily import daily_item
from kanwu.site.models import SiteSettings
from kanwu.site.navigation import NavItem, navigation_for
from kanwu.site.qrcode import qr_svg_data_uri

register = template.Library()


@register.inclusion_tag("site/daily_reading.html", takes_context=True)
def daily_reading(context: template.Context) -> dict[str, Any]:
    settings: SiteSettings = SiteSettings.for_request(context["request"])
    column_id = settings.daily_reading_column_id
    if column_id is None:
        return {"shown": False}
    shows([DAILY_TAG, listing_tag(column_id)])
    item = daily_item(column_id, readers_today())
    return {"shown": True, "title": settings.daily_reading_title, "article": item}


@register.simple_tag(takes_context=True)
def site_qr(context: template.Context) -> str:
    """The WeChat QR code URL: the uploaded image, or a QR code of the site's address."""
    request: HttpRequest = context["request"]
    settings: SiteSettings = SiteSettings.for_request(request)
    if image_id := settings.wechat_qr_id:
        # Remembered per process; changing the image or the settings makes every process
        # look again.
        return memo.remembered(
            f"wechat-qr:{image_id}",
            lambda: str(settings.wechat_qr.get_rendition("max-200x200").url),
        )
    return qr_svg_data_uri(request.build_absolute_uri("/"))


@register.simple_tag(takes_context=True)
def top_columns(context: template.Context) -> list[NavItem]:
    """The columns directly under the site's home page, for the header navigation."""
    return navigation_for(context["request"])
