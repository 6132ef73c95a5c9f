"""Django's Redis cache backend, keeping its redis client instead of building one per call.

Django's `RedisCacheClient.get_client()` makes a new `redis.Redis` for every cache operation,
and each one fills a table of some 170 response callbacks: with the two cache reads every
uncached page makes (the memo version, the daily pick), that cost more than the reads. A
`redis.Redis` is safe to share between threads (it takes connections from its pool), so one
per server is kept.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

from kanwu.core import private


class KeptRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = private.redis_pool_index(self, write)
        if (client := self._clients.get(index)) is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        private.use_cache_client(self, KeptRedisCacheClient)
