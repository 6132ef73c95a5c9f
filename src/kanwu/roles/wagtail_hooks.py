"""设置 › 栏目权限, the 开启三审/关闭三审 and 审核记录 buttons in a page's header, and the
dashboard's 待审稿件 panel."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus import MenuItem as PageHeaderItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from kanwu.columns.models import ColumnPage
from kanwu.roles import selectors, services
from kanwu.roles.views import ColumnRolesView, ReviewRecordView, ReviewSwitchView


@hooks.register("register_admin_urls")
def register_urls() -> list[URLPattern]:
    return [
        path("column-roles/", ColumnRolesView.as_view(), name="kanwu_column_roles"),
        path(
            "column-roles/review/<int:column_id>/",
            ReviewSwitchView.as_view(),
            name="kanwu_review_switch",
        ),
        path(
            "review-record/<int:page_id>/", ReviewRecordView.as_view(), name="kanwu_review_record"
        ),
    ]


class RolesMenuItem(MenuItem):
    def is_shown(self, request: Any) -> bool:
        return selectors.may_manage_roles(request.user)


@hooks.register("register_settings_menu_item")
def register_menu_item() -> MenuItem:
    return RolesMenuItem("栏目权限", reverse("kanwu_column_roles"), icon_name="group", order=610)


class ReviewSwitchItem(PageMenuItem):
    icon_name = "tasks"
    url_name = "kanwu_review_switch"

    def is_shown(self, user: Any) -> bool:
        if not selectors.may_switch_review(user, self.page):
            return False
        on = selectors.review_on(self.page, services.THREE_REVIEWS)
        self.label = "关闭三审" if on else "开启三审"
        return True


class ReviewRecordItem(PageMenuItem):
    label = "审核记录"
    icon_name = "history"
    url_name = "kanwu_review_record"

    def is_shown(self, user: Any) -> bool:
        return not self.page.is_root()


@hooks.register("register_page_header_buttons")
def page_header_buttons(
    page: Any, user: Any, view_name: str, next_url: str | None = None
) -> Iterator[PageHeaderItem]:
    """In the explorer's and the editor's header (one page each, so a query or two is fine;
    the listing's rows get nothing, so its cost does not grow with the articles)."""
    if issubclass(page.specific_class or type(page), ColumnPage):
        yield ReviewSwitchItem(page=page, priority=80)
    yield ReviewRecordItem(page=page, priority=85)


class PendingPanel(Component):
    """待审稿件: how many tasks wait for me, and for administrators, for each reviewer."""

    order = 150
    template_name = "roles/admin/pending_panel.html"

    def __init__(self, own: int | None, rows: list[selectors.Pending]) -> None:
        self.own = own
        self.rows = rows

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"own": self.own, "rows": self.rows}


@hooks.register("construct_homepage_panels")
def add_pending_panel(request: Any, panels: list[Any]) -> None:
    user = request.user
    rows = selectors.pending_by_reviewer() if selectors.may_manage_roles(user) else []
    is_reviewer = user.is_superuser or selectors.reviewers().filter(pk=user.pk).exists()
    own = selectors.pending_count(user) if is_reviewer else None
    if rows or own is not None:
        panels.append(PendingPanel(own, rows))
