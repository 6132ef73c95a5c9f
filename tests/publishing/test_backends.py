"""One contract for every page-cache backend (the data folder and Redis)."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
import time_machine

from kanwu.publishing.backends import Entry, PageStore
from kanwu.publishing.backends.files import FileStore
from kanwu.publishing.backends.redis import LISTENER_NAME, RedisStore
from tests.deadlines import DEADLINE

REDIS_URL = os.environ.get("KANWU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def entry(text: str, *tags: str, age: float = 0) -> Entry:
    body = text.encode()
    return Entry(
        200, [("Content-Type", "text/html; charset=utf-8")], {"identity": body, "gzip": b"\x1f"},
        '"e"', "Wed, 25 Nov 2026 08:00:00 GMT", list(tags), time.time() - age,
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

    def test_an_entry_past_the_ttl_is_gone(self, store: PageStore) -> None:
        store.set("/old/", entry("旧", "page:1", age=store.ttl + 1))
        store.set("/new/", entry("新", "page:1", age=store.ttl - 60))
        assert store.get("/old/") is None
        assert store.get("/new/") is not None

    def test_an_entry_lapses_when_what_it_shows_does(self, store: PageStore) -> None:
        """A page showing a 推荐位 that expires in an hour is kept no longer than that."""
        now = time.time()
        lapsing = entry("头条", "slot:h")
        lapsing.expires_at = now + 3600
        store.set("/home/", lapsing)
        got = store.get("/home/")
        assert got is not None and got.expires_at == now + 3600
        with time_machine.travel(now + 3599, tick=False):
            assert store.get("/home/") is not None
        with time_machine.travel(now + 3600, tick=False):
            assert store.get("/home/") is None

    def test_delete_forgets_one_entry(self, store: PageStore) -> None:
        store.set("/a/", entry("甲", "page:1"))
        store.set("/b/", entry("乙", "page:1"))
        store.delete("/a/")
        assert store.get("/a/") is None
        assert store.get("/b/") is not None

    def test_one_render_lock_per_page(self, store: PageStore) -> None:
        assert store.lock("/a/")
        assert not store.lock("/a/")
        assert store.lock("/b/")
        store.unlock("/a/")
        assert store.lock("/a/")

    def test_size_counts_entries(self, store: PageStore) -> None:
        store.set("/a/", entry("甲" * 1000, "x"))
        count, size = store.size()
        assert count == 1
        assert size >= 3000


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

    def test_a_lapsed_render_lock_can_be_taken(self, tmp_path: Path) -> None:
        store = FileStore({"LOCATION": str(tmp_path), "LOCK_SECONDS": 30})
        assert store.lock("/a/")
        lock_file = next((tmp_path / "locks").iterdir())
        past = time.time() - 31
        os.utime(lock_file, (past, past))
        assert store.lock("/a/")

    def test_the_folder_stays_under_its_bound(self, tmp_path: Path) -> None:
        store = FileStore({"LOCATION": str(tmp_path), "MAX_BYTES": 200_000})
        for n in range(300):  # ~2 KB each: three times the bound
            store.set(f"/a/{n}/", entry(f"{n}" + "页" * 700, "site"))
            _, size = store.size()
            assert size <= 200_000
        assert store.get("/a/299/") is not None  # the newest stay

    def test_recently_read_entries_outlive_unread_ones(self, tmp_path: Path) -> None:
        store = FileStore({"LOCATION": str(tmp_path), "MAX_BYTES": 100_000})
        store.set("/kept/", entry("常读" + "页" * 700, "site"))
        for n in range(80):
            store.get("/kept/")
            store.set(f"/a/{n}/", entry(f"{n}" + "页" * 700, "site"))
        assert store.get("/kept/") is not None
        assert store.get("/a/0/") is None

    def test_expired_entries_are_swept(self, tmp_path: Path) -> None:
        store = FileStore({"LOCATION": str(tmp_path), "TTL": 3600})
        store.set("/old/", entry("旧", "site", age=4000))
        store.set("/new/", entry("新", "site"))
        store.sweep()
        assert store.size()[0] == 1
        assert store.get("/new/") is not None


def eventually(condition: Callable[[], bool], seconds: float = DEADLINE) -> bool:
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

    def test_every_key_expires(self, store: RedisStore) -> None:
        server = redis.Redis.from_url(REDIS_URL)
        store.set("/a/", entry("甲", "page:1", "site"))
        store.lock("/a/")
        keys = list(server.scan_iter(f"{store.prefix}:*"))
        generation = f"{store.prefix}:generation".encode()
        assert len(keys) >= 4
        for key in keys:
            if key != generation:
                assert 0 < server.ttl(key) <= store.ttl, key
