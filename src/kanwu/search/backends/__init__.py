"""The search backend settings.KANWU_SEARCH names (settings/base.py picks the one for the
database in use), loaded as the page store is (kanwu.publishing.backends.get_store)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from kanwu.search.backends.base import Hit, SearchBackend, SearchPage, Sort

__all__ = ["Hit", "SearchBackend", "SearchPage", "Sort", "UnsupportedDatabaseError", "get_backend"]


class UnsupportedDatabaseError(RuntimeError):
    pass


def get_backend() -> SearchBackend:
    path = settings.KANWU_SEARCH.get("BACKEND")
    if not path:
        raise UnsupportedDatabaseError(f"搜索不支持 {connection.vendor} 数据库。")
    backend_class: type[SearchBackend] = import_string(path)
    return backend_class()
