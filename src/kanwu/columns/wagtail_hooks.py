"""写文章 in the admin menu and on the dashboard (kanwu.columns.writing)."""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from kanwu.columns.writing import WritePanel, WriteView, may_write


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    return [path("write/", WriteView.as_view(), name="kanwu_write")]


class WriteMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return may_write(request)


@hooks.register("register_admin_menu_item")
def register_menu_item() -> MenuItem:
    return WriteMenuItem("写文章", reverse("kanwu_write"), icon_name="edit", order=50)


@hooks.register("construct_homepage_panels")
def add_write_panel(request: Any, panels: list[Any]) -> None:
    if may_write(request):
        panels.insert(0, WritePanel())
