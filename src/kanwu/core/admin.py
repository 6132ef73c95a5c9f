"""Admin pieces several apps share."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from wagtail.admin.admin_url_finder import NullAdminURLFinder
from wagtail.admin.views.generic import IndexView
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import InspectView as SnippetInspectView


class AdministratorsOnlyIndexView(IndexView):
    """A listing only superusers may open (the audit log, the login log)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_superuser:
            raise PermissionDenied
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response


class WithoutEditViewMixin:
    """For a viewset that has no edit view: the screens that link to an object's edit form (a
    user's 使用情况 listing their login records) show it without a link instead of failing."""

    @property
    def url_finder_class(self) -> type[NullAdminURLFinder]:
        return NullAdminURLFinder


class ListingWithActionView(SnippetIndexView):
    """A snippet listing with one more button in its header: `action` is (label, URL name,
    icon, permission the user needs or "")."""

    action: tuple[str, str, str, str]

    @cached_property
    def header_buttons(self) -> list[Any]:
        buttons: list[Any] = list(super().header_buttons)
        label, url_name, icon, permission = self.action
        if not permission or self.request.user.has_perm(permission):
            buttons.append(HeaderButton(label, url=reverse(url_name), icon_name=icon))
        return buttons


class ChineseInspectView(SnippetInspectView):
    """A snippet's 查看 page with 是/否 for yes-no fields and — for an empty one, where Wagtail
    would print Python's True, False and None."""

    def get_field_display_value(self, field_name: str, field: Any) -> Any:
        value = super().get_field_display_value(field_name, field)
        if value is None:
            return "—"
        if isinstance(value, bool):
            return "是" if value else "否"
        return value
