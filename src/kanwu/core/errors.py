"""The error pages (handler400/403/404/500), in Chinese.

Django's own handlers are wrapped in `requires_csrf_token`, which reads `request.POST` again:
for a form whose body Django refused (a charset other than UTF-8, too many fields) that raises
once more while the error is answered, and the reader gets a 500 instead of a 400. These
handlers read nothing from the request body.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader


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


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponse(loader.render_to_string("500.html"), status=500)
