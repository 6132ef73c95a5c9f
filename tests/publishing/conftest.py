from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test.utils import override_settings

from kanwu.publishing.backends import get_store
from kanwu.publishing.fastpath import FastPath


@pytest.fixture
def page_cache(tmp_path: Path) -> Iterator[Path]:
    """The page cache switched on, in a folder of its own."""
    config = {
        "ENABLED": True,
        "BACKEND": "kanwu.publishing.backends.files.FileStore",
        "OPTIONS": {"LOCATION": str(tmp_path / "pages")},
    }
    get_store.cache_clear()
    with override_settings(KANWU_PAGE_CACHE=config):
        yield tmp_path / "pages"
    get_store.cache_clear()


class Reader:
    """An anonymous reader requesting pages through the full WSGI stack, fast path included."""

    def __init__(self) -> None:
        self.app = FastPath(WSGIHandler())

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        path, _, query = path.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": io.StringIO(),
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in headers.items():
            environ["HTTP_" + name.upper()] = value
        result: dict[str, Any] = {}

        def start_response(status: str, response_headers: list[tuple[str, str]]) -> None:
            result["status"] = int(status.split()[0])
            result["headers"] = dict(response_headers)

        # As Django's test client does: keep the test's database connection (and transaction).
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body = b"".join(self.app(environ, start_response))
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return result["status"], result["headers"], body

    def text(self, path: str) -> str:
        status, _, body = self.get(path)
        assert status == 200, (path, status)
        return body.decode()


@pytest.fixture
def reader(page_cache: Path) -> Reader:
    return Reader()
