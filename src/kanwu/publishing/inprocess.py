"""Requests answered inside this process, through a WSGI app, as a reader's would be.

The static export renders pages this way; the tests use it to go through the fast path.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote_to_bytes

from django.core.signals import request_finished, request_started
from django.db import close_old_connections

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def call_wsgi(
    app: WSGIApp, url: str, *, host: str, headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> tuple[int, dict[str, str], bytes]:  # fmt: skip
    """GET `url` from `app`; returns status, response headers and body."""
    path, _, query = url.partition("?")
    environ: dict[str, Any] = {
        # As a server hands it over: percent-decoded bytes, as latin-1 (PEP 3333).
        "REQUEST_METHOD": "GET", "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": host, "SERVER_PORT": "80", "HTTP_HOST": host,
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }  # fmt: skip
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    environ.update(extra or {})
    result: dict[str, Any] = {}

    def start_response(line: str, response_headers: list[tuple[str, str]], *exc: Any) -> Any:
        result["status"] = int(line.split()[0])
        result["headers"] = dict(response_headers)
        return None

    # The request is part of this process's own work, whose database connection (and, in
    # tests, transaction) must stay open, as Django's test client also arranges.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(app(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return result["status"], result["headers"], body
