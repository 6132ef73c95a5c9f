"""Sensitive words in the Wagtail admin: the list, and an import from a text file."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from kanwu.wordfilter.models import SensitiveWord
from kanwu.wordfilter.views import ImportWordsView


class WordIndexView(IndexView):
    @cached_property
    def header_buttons(self) -> list[Any]:
        buttons: list[Any] = list(super().header_buttons)
        buttons.append(
            HeaderButton("从文件导入", url=reverse("wordfilter_import"), icon_name="upload")
        )
        return buttons


class SensitiveWordViewSet(SnippetViewSet):
    model = SensitiveWord
    icon = "warning"
    menu_label = "敏感词"
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = WordIndexView
    list_display = ["word", "action", "created_at"]
    list_filter = ["action"]
    search_fields = ["word"]
    search_backend_name = None
    copy_view_enabled = False


register_snippet(SensitiveWordViewSet)


@hooks.register("register_admin_urls")
def register_import_url() -> list[Any]:
    return [path("wordfilter/import/", ImportWordsView.as_view(), name="wordfilter_import")]
