"""Writes that concern the site as a whole."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, transaction
from wagtail.models import Collection, Locale, Page, Site

from kanwu.site.models import HomePage

DEFAULT_SITE_NAME = "刊物新闻网"


@transaction.atomic
def site_ensure_tree() -> HomePage:
    """Make sure there are a page tree with the home page (首页), a default site and a root
    collection.

    The migrations do this for a new database; this repairs a database whose tables were
    emptied (a flushed test database, or a home page deleted by hand).
    """
    if home := HomePage.objects.first():
        return home
    if not Collection.get_first_root_node():
        Collection.add_root(name="默认集合")
    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    root = Page.get_first_root_node() or Page.add_root(title="根目录", slug="root", locale=locale)
    home = HomePage(title="首页", slug="home", locale=locale)
    root.add_child(instance=home)
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(
        hostname="localhost",
        port=80,
        root_page=home,
        is_default_site=True,
        site_name=DEFAULT_SITE_NAME,
    )
    return home


def site_address(base_url: str) -> tuple[str, int]:
    """The host name and port Wagtail's site record needs for `base_url`: Wagtail writes
    https:// addresses for port 443 and http:// for the others."""
    parts = urlsplit(base_url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"KANWU_BASE_URL 必须是 http:// 或 https:// 开头的网址，当前为 {base_url!r}"
        )
    try:
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"KANWU_BASE_URL 的端口号无效：{base_url!r}") from exc
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def site_apply_base_url(base_url: str | None = None) -> bool:
    """Make the default Wagtail site's host name and port those of KANWU_BASE_URL, so the
    sitemaps, feeds, canonical links and share cards name the address readers use.

    `kanwu serve`, `kanwu worker` and `kanwu publish-static` call it as they start. It
    changes nothing before the migrations have made the tables or when the record is right
    already, and returns whether it changed the record (which purges every cached page).
    """
    hostname, port = site_address(base_url or settings.KANWU_BASE_URL)
    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:
        return False  # not migrated yet: the next start applies it
    if site is None or (site.hostname, site.port) == (hostname, port):
        return False
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
    return True
