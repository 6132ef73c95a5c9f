"""The error pages (handler400/403/404/500), in Chinese.

Django's own handlers are wrapped in `requires_csrf_token`, which reads `request.POST` again:
for a form whose body Django refused (a charset other than UTF-8, too many fields) that raises
once more while the error is answered, and the reader gets a 500 instead of a 400. These
handlers read nothing from the request body.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template import loader

BAD_HEADER_MESSAGE = (
    "请求无效：网址含有无效字符，或请求头（Content-Length、Content-Type）格式错误。"
)


def _plain(status: int, title: str, message: str) -> HttpResponse:
    body = loader.render_to_string("error.html", {"title": title, "message": message})
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _plain(400, "请求无效", "请求的格式或内容无效（表单须使用 UTF-8 编码），请返回重试。")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _plain(403, "无权访问", "您没有权限访问这个页面。")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    body = loader.render_to_string("404.html", request=request)
    return HttpResponse(body, status=404)


# Seconds a reader (or a proxy) is asked to wait when the database cannot be reached.
UNAVAILABLE_RETRY_AFTER = "10"


def server_error(request: HttpRequest) -> HttpResponse:
    """A 500, or a 503 when the error is the database being unreachable (restarting, failing
    over, out of connections): the site comes back by itself, and a load balancer may send
    the reader to another server (Django calls this inside its `except`, so the error is
    still at hand)."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable()
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def database_unavailable() -> HttpResponse:
    """503 in Chinese, without a template tag that could need the database."""
    body = loader.render_to_string("503.html")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = UNAVAILABLE_RETRY_AFTER
    response["Cache-Control"] = "no-store"
    return response


def malformed_request(meta: Mapping[str, Any]) -> bool:
    """What Django or the database trips over: a Content-Length that is not a plain number
    (reading the body would raise ValueError), a Content-Type with a NUL (the charset lookup
    raises while the request is built), a NUL in the path, the query string or the cookies
    (PostgreSQL refuses NUL in any text it is asked to compare, a session key included: no
    URL or cookie of this site has one)."""
    length = str(meta.get("CONTENT_LENGTH") or "").strip()
    if length and not (length.isascii() and length.isdigit()):
        return True
    query = str(meta.get("QUERY_STRING") or "")
    return (
        "\x00" in str(meta.get("CONTENT_TYPE") or "")
        or "\x00" in str(meta.get("PATH_INFO") or "")
        or "%00" in query
        or "\x00" in query
        or "\x00" in str(meta.get("HTTP_COOKIE") or "")
    )


def bad_header_response() -> HttpResponse:
    return _plain(400, "请求无效", BAD_HEADER_MESSAGE)


class MalformedRequestMiddleware:
    """A 400 in Chinese for a request whose headers Django would fail on (see above); the
    WSGI fast path makes the same check before Django builds the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if malformed_request(request.META):
            return bad_header_response()
        return self.get_response(request)
