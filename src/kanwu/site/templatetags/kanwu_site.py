from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from wagtail.models import Page, Site

from kanwu.core import memo
from kanwu.core.dependencies import DAILY_TAG, listing_tag, shows
from kanwu.core.pages import absolute_url
from kanwu.core.timeutil import readers_today
from kanwu.site.daily import daily_item
from kanwu.site.models import SiteSettings
from kanwu.site.navigation import Navigation, navigation_for
from kanwu.site.qrcode import qr_svg_data_uri
from kanwu.site.reach import Icons, icons, page_address, reach_for
from kanwu.site.traditional import is_reader_path, is_traditional, traditional_address

register = template.Library()


@register.inclusion_tag("site/daily_reading.html", takes_context=True)
def daily_reading(context: template.Context) -> dict[str, Any]:
    settings: SiteSettings = SiteSettings.for_request(context["request"])
    column_id = settings.daily_reading_column_id
    if column_id is None:
        return {"shown": False}
    shows([DAILY_TAG, listing_tag(column_id)])
    page = context.get("page")
    item = daily_item(column_id, readers_today(), reading=getattr(page, "pk", None))
    return {"shown": True, "title": settings.daily_reading_title, "article": item}


@register.simple_tag(takes_context=True)
def site_qr(context: template.Context) -> str:
    """The WeChat QR code URL: the uploaded image, or a QR code of the site's address as
    configured in Wagtail's sites (WordPress's home_url), not the host this reader typed."""
    request: HttpRequest = context["request"]
    settings: SiteSettings = SiteSettings.for_request(request)
    if image_id := settings.wechat_qr_id:
        # Remembered per process; changing the image or the settings makes every process
        # look again.
        return memo.remembered(
            f"wechat-qr:{image_id}",
            lambda: str(settings.wechat_qr.get_rendition("max-200x200").url),
        )
    site = Site.find_for_request(request)
    return qr_svg_data_uri(f"{site.root_url}/" if site else request.build_absolute_uri("/"))


@register.inclusion_tag("site/reach_head.html", takes_context=True)
def reach_head(context: template.Context) -> dict[str, Any]:
    """The canonical link, meta description, OpenGraph and JSON-LD of a Wagtail page or of a
    page that names itself with `reach_title` (a tag's page); nothing for other pages (search,
    errors, forms)."""
    flat: dict[str, Any] = dict(context.flatten())  # type: ignore[arg-type]
    if not isinstance(flat.get("page"), Page) and "reach_title" not in flat:
        return {"reach": None}
    request: HttpRequest = context["request"]
    reach = reach_for(flat)
    return {
        "reach": reach,
        "site_name": SiteSettings.for_request(request).site_name,
        "image_url": absolute_url(reach.image.url, request) if reach.image else "",
    }


@register.inclusion_tag("site/script_switch.html", takes_context=True)
def script_switch(context: template.Context) -> dict[str, Any]:
    """简体 | 繁體: this page in the other script; nothing where it has no twin (search,
    forms)."""
    request: HttpRequest | None = context.get("request")
    if request is None or not is_reader_path(address := page_address(request)):
        return {"shown": False}
    if is_traditional(request):
        return {"shown": True, "traditional": True, "url": address}
    return {"shown": True, "traditional": False, "url": traditional_address(address)}


@register.simple_tag(takes_context=True)
def site_icons(context: template.Context) -> Icons:
    """The favicon and touch icon from the site settings (or kanwu's own)."""
    return icons(SiteSettings.for_request(context["request"]))


@register.simple_tag(takes_context=True)
def top_columns(context: template.Context) -> Navigation:
    """The columns directly under the site's home page, for the header navigation."""
    request = context["request"]
    settings: SiteSettings = SiteSettings.for_request(request)
    return navigation_for(request, settings.site_name, settings.logo_id is not None)


class SitewideNode(template.Node):
    """Its contents rendered once per site, until something site-wide changes (kanwu.core.memo)."""

    def __init__(self, name: str, nodelist: template.NodeList) -> None:
        self.name, self.nodelist = name, nodelist

    def render(self, context: template.Context) -> str:
        request = context.get("request")
        site = Site.find_for_request(request) if request is not None else None
        if site is None:
            return self.nodelist.render(context)
        return memo.remembered(
            f"fragment:{self.name}:{site.pk}", lambda: self.nodelist.render(context)
        )


@register.tag
def sitewide(parser: template.base.Parser, token: template.base.Token) -> SitewideNode:
    """`{% sitewide "name" %}…{% endsitewide %}`: for parts of every page (header, toolbar,
    footer) that show only the site's settings, columns and images, all of which bump the
    memo's version when they change. Nothing inside may depend on the page or the reader."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError('{% sitewide "name" %} takes exactly one name')
    nodelist = parser.parse(("endsitewide",))
    parser.delete_first_token()
    return SitewideNode(bits[1].strip("\"'"), nodelist)
