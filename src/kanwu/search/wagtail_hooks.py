"""The site dictionary (站点词典) in the Wagtail admin, with a re-index action."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from kanwu.search.admin_views import PERMISSION, ReindexView
from kanwu.search.models import SiteWord


class SiteWordIndexView(IndexView):
    @cached_property
    def header_buttons(self) -> list[Any]:
        buttons: list[Any] = list(super().header_buttons)
        if self.request.user.has_perm(PERMISSION):
            buttons.append(
                HeaderButton("重建搜索索引", url=reverse("search_reindex"), icon_name="resubmit")
            )
        return buttons


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
