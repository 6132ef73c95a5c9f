"""One contract for every page-cache backend (the data folder and Redis)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import redis

from kanwu.publishing.backends import Entry, PageStore
from kanwu.publishing.backends.files import FileStore
from kanwu.publishing.backends.redis import RedisStore

REDIS_URL = os.environ.get("KANWU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def entry(text: str, *tags: str) -> Entry:
    body = text.encode()
    return Entry(
        200, [("Content-Type", "text/html; charset=utf-8")], {"identity": body, "gzip": b"\x1f"},
        '"e"', "Wed, 25 Nov 2026 08:00:00 GMT", list(tags),
    )  # fmt: skip


class StoreContract:
    @pytest.fixture
    def store(self) -> PageStore:
        raise NotImplementedError

    def test_set_get_roundtrip(self, store: PageStore) -> None:
        assert store.get("/a/") is None
        store.set("/a/", entry("页面甲", "page:1"))
        got = store.get("/a/")
        assert got is not None
        assert got.bodies["identity"].decode() == "页面甲"
        assert got.bodies["gzip"] == b"\x1f"
        assert got.headers == [("Content-Type", "text/html; charset=utf-8")]
        assert got.tags == ["page:1"]

    def test_purge_deletes_exactly_the_tagged_entries(self, store: PageStore) -> None:
        store.set("/a/", entry("甲", "page:1", "site"))
        store.set("/b/", entry("乙", "page:2", "site"))
        store.set("/c/", entry("丙", "page:1"))
        assert store.purge(["page:1"]) == 2
        assert store.get("/a/") is None
        assert store.get("/c/") is None
        assert store.get("/b/") is not None
        assert store.purge(["page:1"]) == 0

    def test_generation_changes_on_purge_and_clear(self, store: PageStore) -> None:
        first = store.generation()
        store.set("/a/", entry("甲", "x"))
        assert store.generation() == first
        store.purge(["nothing"])
        second = store.generation()
        assert second != first
        store.clear()
        assert store.generation() not in (first, second)
        assert store.get("/a/") is None


class TestFileStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> PageStore:
        return FileStore({"LOCATION": str(tmp_path)})

    def test_shared_between_processes_through_the_folder(self, tmp_path: Path) -> None:
        writer, other = (
            FileStore({"LOCATION": str(tmp_path)}),
            FileStore({"LOCATION": str(tmp_path)}),
        )
        writer.set("/a/", entry("甲", "t"))
        assert other.get("/a/") is not None
        before = other.generation()
        writer.purge(["t"])
        assert other.generation() != before
        assert other.get("/a/") is None


class TestRedisStore(StoreContract):
    @pytest.fixture
    def store(self) -> PageStore:
        try:
            redis.Redis.from_url(REDIS_URL).ping()
        except redis.ConnectionError:
            pytest.skip(f"no Redis at {REDIS_URL}")
        store = RedisStore({"LOCATION": REDIS_URL, "PREFIX": f"test:{uuid.uuid4().hex}"})
        yield store
        store.clear()
