"""Django's Redis cache backend, keeping its redis client instead of building one per call.

Django's `RedisCacheClient.get_client()` makes a new `redis.Redis` for every cache operation,
and each one fills a table of some 170 response callbacks: with the two cache reads every
uncached page makes (the memo version, the daily pick), that cost more than the reads. A
`redis.Redis` is safe to share between threads (it takes connections from its pool), so one
per server is kept.

While Redis cannot be reached (restarting, failing over) the cache answers as an empty one
that keeps nothing, with a warning in the log, instead of failing every page: reads miss,
`add` fails (so a lock is never taken twice), writes and deletes are dropped. Pages then come
from the database; `/healthz` still reports the cache as failed.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import redis
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

from kanwu.core import private

logger = logging.getLogger(__name__)
UNREACHABLE = (redis.ConnectionError, redis.TimeoutError)


def _or_when_unreachable(value: Callable[..., Any]) -> Callable[[Callable[..., Any]], Any]:
    """Run the method; while Redis is unreachable, return `value(*args)` instead."""

    def wrap(method: Callable[..., Any]) -> Any:
        @functools.wraps(method)
        def tolerant(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                logger.warning("cache unreachable (%r): %s skipped", error, method.__name__)
                return value(*args, **kwargs)

        return tolerant

    return wrap


class KeptRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = private.redis_pool_index(self, write)
        if (client := self._clients.get(index)) is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client

    @_or_when_unreachable(lambda key, default=None, *a, **k: default)
    def get(self, key: Any, default: Any = None) -> Any:
        return super().get(key, default)

    @_or_when_unreachable(lambda *a, **k: {})
    def get_many(self, keys: Any) -> Any:
        return super().get_many(keys)

    @_or_when_unreachable(lambda *a, **k: False)
    def has_key(self, key: Any) -> Any:
        return super().has_key(key)

    @_or_when_unreachable(lambda *a, **k: False)
    def add(self, key: Any, value: Any, timeout: Any) -> Any:
        return super().add(key, value, timeout)

    @_or_when_unreachable(lambda *a, **k: None)
    def set(self, key: Any, value: Any, timeout: Any) -> Any:
        return super().set(key, value, timeout)

    @_or_when_unreachable(lambda *a, **k: [])
    def set_many(self, data: Any, timeout: Any) -> Any:
        return super().set_many(data, timeout)

    @_or_when_unreachable(lambda *a, **k: False)
    def touch(self, key: Any, timeout: Any) -> Any:
        return super().touch(key, timeout)

    @_or_when_unreachable(lambda *a, **k: False)
    def delete(self, key: Any) -> Any:
        return super().delete(key)

    @_or_when_unreachable(lambda *a, **k: None)
    def delete_many(self, keys: Any) -> Any:
        return super().delete_many(keys)

    @_or_when_unreachable(lambda key, delta=1, *a, **k: delta)
    def incr(self, key: Any, delta: int = 1) -> Any:
        return super().incr(key, delta)


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        private.use_cache_client(self, KeptRedisCacheClient)
