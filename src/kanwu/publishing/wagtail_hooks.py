from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.images.rich_text import ImageEmbedHandler
from wagtail.models import Page
from wagtail.permission_policies.base import AuthenticationOnlyPermissionPolicy
from wagtail.permissions import register_permission_policy

from kanwu.core.dependencies import PRIVATE_TAG, image_tag, shows, shows_pages
from kanwu.core.visibility import is_restricted
from kanwu.publishing.models import BaiduPush


# Before Wagtail's own view-restriction hook, which answers (a password form, a login
# redirect) without running the hooks after it.
@hooks.register("before_serve_page", order=-100)
def record_served_page(page: Page, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
    """A page's cached copy depends on the page itself; a restricted page is never kept."""
    shows_pages([page.pk])
    if is_restricted(page):
        shows([PRIVATE_TAG])


class RecordingImageEmbedHandler(ImageEmbedHandler):
    """Pictures in rich text, as Wagtail renders them, recorded as shown by the page."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict[str, Any]]) -> list[str]:
        ids = [str(attrs.get("id", "")) for attrs in attrs_list]
        shows(image_tag(int(pk)) for pk in ids if pk.isascii() and pk.isdigit())
        tags: list[str] = super().expand_db_attributes_many(attrs_list)
        return tags


# After wagtail.images' own hook, which registers the handler this one replaces.
@hooks.register("register_rich_text_features", order=100)
def record_rich_text_images(features: Any) -> None:
    features.register_embed_type(RecordingImageEmbedHandler)


class BaiduPushViewSet(ModelViewSet):
    """What Baidu answered to each push, for every editor, read-only."""

    model = BaiduPush
    icon = "globe"
    menu_label = "百度推送记录"
    list_display = [
        Column("created_at", label="时间"),
        Column("status", label="结果", accessor="get_status_display"),
        Column("pushed", label="成功条数"),
        Column("remain", label="当天剩余条数"),
        Column("urls", label="网址"),
        Column("message", label="说明"),
    ]
    list_filter = ["status"]
    search_fields = ["urls", "message"]
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["urls"]

    def get_index_view_kwargs(self, **kwargs: Any) -> dict[str, Any]:
        view_kwargs: dict[str, Any] = super().get_index_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, edit_url_name=None, delete_url_name=None)
        return view_kwargs

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


# Every editor (anyone who may use the admin) reads what Baidu answered.
register_permission_policy(BaiduPush, AuthenticationOnlyPermissionPolicy(BaiduPush))
baidu_push_viewset = BaiduPushViewSet("baidu_pushes")


@hooks.register("register_admin_viewset")
def register_baidu_push_viewset() -> ModelViewSet:
    return baidu_push_viewset


@hooks.register("register_reports_menu_item")
def register_baidu_push_menu_item() -> MenuItem:
    return MenuItem("百度推送记录", reverse("baidu_pushes:index"), icon_name="globe", order=920)
