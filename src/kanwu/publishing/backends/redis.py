"""Page cache in Redis, shared by every app server: entries as strings, tags as sets."""

from __future__ import annotations

from typing import Any

import redis

from kanwu.publishing.backends import Entry, PageStore, digest


class RedisStore(PageStore):
    def __init__(self, options: dict[str, Any]) -> None:
        super().__init__(options)
        self.client = redis.Redis.from_url(options["LOCATION"])
        self.prefix = options.get("PREFIX", "kanwu:pages")

    def _entry(self, name: str) -> str:
        return f"{self.prefix}:e:{name}"

    def _tag(self, tag: str) -> str:
        return f"{self.prefix}:t:{digest(tag)}"

    def get(self, key: str) -> Entry | None:
        data = self.client.get(self._entry(digest(key)))
        return Entry.loads(data) if isinstance(data, bytes) else None

    def set(self, key: str, entry: Entry) -> None:
        name = digest(key)
        pipe = self.client.pipeline()
        for tag in entry.tags:
            pipe.sadd(self._tag(tag), name)
        pipe.set(self._entry(name), entry.dumps())
        pipe.sadd(f"{self.prefix}:all", name)
        pipe.execute()

    def purge(self, tags: list[str]) -> int:
        purged = 0
        for tag in tags:
            names: set[bytes] = self.client.smembers(self._tag(tag))  # type: ignore[assignment]
            if names:
                purged += int(self.client.delete(*(self._entry(n.decode()) for n in names)))
            self.client.delete(self._tag(tag))
        self.client.incr(f"{self.prefix}:generation")
        return purged

    def clear(self) -> None:
        generation = f"{self.prefix}:generation".encode()
        keys = [k for k in self.client.scan_iter(f"{self.prefix}:*") if k != generation]
        if keys:
            self.client.delete(*keys)
        self.client.incr(f"{self.prefix}:generation")

    def generation(self) -> str:
        value = self.client.get(f"{self.prefix}:generation")
        return value.decode() if isinstance(value, bytes) else "0"
