"""The site dictionary (站点词典) in the Wagtail admin, with a re-index action."""

from __future__ import annotations

from typing import Any

from django.urls import path
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from kanwu.core.admin import ListingWithActionView
from kanwu.search.admin_views import PERMISSION, ReindexView
from kanwu.search.models import SiteWord


class SiteWordIndexView(ListingWithActionView):
    action = ("重建搜索索引", "search_reindex", "resubmit", PERMISSION)


class SiteWordViewSet(SnippetViewSet):
    model = SiteWord
    icon = "search"
    menu_label = "站点词典"
    menu_order = 270
    add_to_admin_menu = True
    index_view_class = SiteWordIndexView
    list_display = ["word", "weight", "created_at"]
    search_fields = ["word"]
    search_backend_name = None
    copy_view_enabled = False


register_snippet(SiteWordViewSet)


@hooks.register("register_admin_urls")
def register_reindex_url() -> list[Any]:
    return [path("search/reindex/", ReindexView.as_view(), name="search_reindex")]
