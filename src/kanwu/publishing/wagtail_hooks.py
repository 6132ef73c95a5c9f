from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page

from kanwu.core.dependencies import shows_pages


@hooks.register("before_serve_page")
def record_served_page(page: Page, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
    """A page's cached copy depends on the page itself."""
    shows_pages([page.pk])
