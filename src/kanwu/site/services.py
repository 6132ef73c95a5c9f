"""Writes that concern the site as a whole."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
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
