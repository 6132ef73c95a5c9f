"""The importer in the Wagtail admin: 从网址导入 under its own menu item; the rich-text marker
of an image still to be fetched (renders as nothing)."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.rich_text import EmbedHandler

from kanwu.importer.richtext import PENDING_EMBED
from kanwu.importer.views import (
    ImportUrlsView,
    ImportWordPressView,
    UrlRunProgressView,
    UrlRunView,
    WordPressRetryMediaView,
    WordPressRunProgressView,
    WordPressRunView,
    may_import_urls,
)

app_name = "kanwu_importer"


@hooks.register("register_admin_urls")
def register_admin_urls() -> list[Any]:
    urls = [
        path("urls/", ImportUrlsView.as_view(), name="urls"),
        path("urls/<int:pk>/", UrlRunView.as_view(), name="url_run"),
        path("urls/<int:pk>/progress/", UrlRunProgressView.as_view(), name="url_progress"),
        path("wordpress/", ImportWordPressView.as_view(), name="wordpress"),
        path("wordpress/<int:pk>/", WordPressRunView.as_view(), name="wordpress_run"),
        path(
            "wordpress/<int:pk>/progress/",
            WordPressRunProgressView.as_view(),
            name="wordpress_progress",
        ),
        path(
            "wordpress/<int:pk>/retry-media/",
            WordPressRetryMediaView.as_view(),
            name="wordpress_retry_media",
        ),
    ]
    return [path("importer/", include((urls, "kanwu_importer"), namespace="kanwu_importer"))]


class ImporterMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return may_import_urls(request.user)


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return bool(request.user.is_superuser)


@hooks.register("register_admin_menu_item")
def register_menu_item() -> MenuItem:
    menu = Menu(
        items=[
            ImporterMenuItem(
                "从网址导入", reverse("kanwu_importer:urls"), icon_name="download", order=10
            ),
            SuperuserMenuItem(
                "导入 WordPress", reverse("kanwu_importer:wordpress"), icon_name="upload", order=20
            ),
        ]
    )
    return SubmenuMenuItem("导入", menu, icon_name="download", order=250)


class PendingImageHandler(EmbedHandler):
    """Where an imported image will go once fetched (wordpress/media.py): readers see nothing."""

    identifier = PENDING_EMBED

    @staticmethod
    def expand_db_attributes(attrs: dict[str, str]) -> str:
        return ""


@hooks.register("register_rich_text_features")
def register_pending_image(features: Any) -> None:
    features.register_embed_type(PendingImageHandler)
