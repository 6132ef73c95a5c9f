from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test.utils import override_settings

from kanwu.publishing.backends import get_store
from kanwu.publishing.fastpath import FastPath
from kanwu.publishing.inprocess import call_wsgi


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
        return call_wsgi(self.app, path, host="testserver", headers=headers)

    def text(self, path: str) -> str:
        status, _, body = self.get(path)
        assert status == 200, (path, status)
        return body.decode()


@pytest.fixture
def reader(page_cache: Path) -> Reader:
    return Reader()
