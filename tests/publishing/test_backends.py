"""One contract for every page-cache backend (the data folder and Redis)."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from kanwu.publishing.backends import Entry, PageStore
from kanwu.publishing.backends.files import FileStore
from kanwu.publishing.backends.redis import LISTENER_NAME, RedisStore

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


def eventually(condition: Callable[[], bool], seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


class TestRedisStore(StoreContract):
    @pytest.fixture
    def store(self) -> Iterator[RedisStore]:
        try:
            redis.Redis.from_url(REDIS_URL).ping()
        except redis.ConnectionError:
            pytest.skip(f"no Redis at {REDIS_URL}")
        store = RedisStore({"LOCATION": REDIS_URL, "PREFIX": f"test:{uuid.uuid4().hex}"})
        yield store
        store.clear()

    @pytest.fixture
    def listening(self, store: RedisStore) -> RedisStore:
        """Another app server's store on the same Redis, subscribed to purge notices."""
        other = RedisStore(store.options)
        other.observed_generation()  # starts its listener
        assert eventually(lambda: other.hears_purges)
        return other

    def test_a_purge_elsewhere_is_heard_without_asking_redis(
        self, store: RedisStore, listening: RedisStore
    ) -> None:
        server = redis.Redis.from_url(REDIS_URL)
        seen = listening.observed_generation()
        before = server.info("stats")["total_commands_processed"]
        for _ in range(200):  # what 200 cache hits ask
            assert listening.observed_generation() == seen
        # Only the INFO calls themselves: the hits asked Redis nothing.
        assert server.info("stats")["total_commands_processed"] - before <= 2

        store.set("/a/", entry("甲", "page:1"))
        store.purge(["page:1"])
        assert eventually(lambda: listening.observed_generation() != seen)
        own = listening.observed_generation()
        listening.purge(["page:2"])
        assert listening.observed_generation() != own  # its own purge: at once

    def test_purges_are_not_missed_while_notices_are_lost(
        self, store: RedisStore, listening: RedisStore
    ) -> None:
        seen = listening.observed_generation()
        server = redis.Redis.from_url(REDIS_URL)
        ours = [c["id"] for c in server.client_list() if c["name"] == LISTENER_NAME]
        assert ours
        for client_id in ours:  # as if Redis restarted, for our listeners only
            server.client_kill_filter(_id=client_id)
        store.purge(["page:1"])
        assert eventually(lambda: listening.observed_generation() != seen)
        assert eventually(lambda: listening.hears_purges)  # subscribed again
        again = listening.observed_generation()
        store.purge(["page:1"])
        assert eventually(lambda: listening.observed_generation() != again)
