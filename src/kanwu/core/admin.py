"""Admin pieces several apps share."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from wagtail.admin.views.generic import IndexView
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView


class AdministratorsOnlyIndexView(IndexView):
    """A listing only superusers may open (the audit log, the login log)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_superuser:
            raise PermissionDenied
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)
        return response


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
