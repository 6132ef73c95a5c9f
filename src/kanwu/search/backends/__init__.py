"""The search backend for the default database, chosen from its vendor."""

from __future__ import annotations

from django.db import connection
from django.utils.module_loading import import_string

from kanwu.search.backends.base import Hit, SearchBackend, SearchPage, Sort

BACKENDS = {
    "sqlite": "kanwu.search.backends.sqlite.SQLiteBackend",
    "postgresql": "kanwu.search.backends.postgres.PostgresBackend",
}

__all__ = ["Hit", "SearchBackend", "SearchPage", "Sort", "UnsupportedDatabaseError", "get_backend"]


class UnsupportedDatabaseError(RuntimeError):
    pass


def get_backend() -> SearchBackend:
    path = BACKENDS.get(connection.vendor)
    if path is None:
        raise UnsupportedDatabaseError(f"搜索不支持 {connection.vendor} 数据库。")
    backend_class: type[SearchBackend] = import_string(path)
    return backend_class()
