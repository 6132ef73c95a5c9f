"""The Redis cache backend (kanwu.core.cache), with a real Redis."""

from __future__ import annotations

import os
import threading
import uuid

import pytest
import redis

from kanwu.core.cache import RedisCache

REDIS_URL = os.environ.get("KANWU_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def cache() -> RedisCache:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    return RedisCache(REDIS_URL, {"KEY_PREFIX": f"test:{uuid.uuid4().hex}"})


def test_values_round_trip_and_delete(cache: RedisCache) -> None:
    assert cache.get("版本") is None
    cache.set("版本", {"value": "甲"}, timeout=None)
    assert cache.get("版本") == {"value": "甲"}
    assert cache.add("版本", "乙") is False
    cache.delete("版本")
    assert cache.get("版本") is None


def test_one_redis_client_serves_every_call_and_thread(cache: RedisCache) -> None:
    cache.set("k", 1)
    client = cache._cache.get_client("k")
    assert cache._cache.get_client("k") is client
    seen: list[object] = []
    workers = [threading.Thread(target=lambda: seen.append(cache.get("k"))) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert seen == [1, 1, 1, 1]
