"""Taken-down articles answer 410 Gone with a neutral notice instead of 404."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kanwu.takedowns.selectors import is_taken_down


class TakedownGoneMiddleware:
    """Only looks at 404 answers to GET/HEAD, so ordinary pages cost no query. Placed before
    Wagtail's RedirectMiddleware, so a redirect an editor adds for the old address wins."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.method in ("GET", "HEAD")
            and is_taken_down(request.path)
        ):
            return render(request, "takedowns/gone.html", status=410)
        return response
