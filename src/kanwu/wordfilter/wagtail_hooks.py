"""Sensitive words in the Wagtail admin: the list, and an import from a text file."""

from __future__ import annotations

from typing import Any

from django.urls import path
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from kanwu.core.admin import ListingWithActionView
from kanwu.wordfilter.models import SensitiveWord
from kanwu.wordfilter.views import ImportWordsView


class WordIndexView(ListingWithActionView):
    action = ("从文件导入", "wordfilter_import", "upload", "")


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
