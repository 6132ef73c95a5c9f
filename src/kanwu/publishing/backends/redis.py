"""Page cache in Redis, shared by every app server: entries as strings, tags as sets.

Every purge also publishes a notice. Each process listens for notices in a thread of its own,
so the fast path learns of a purge without asking Redis on every request (that round trip
cost more than answering a cache hit from memory); while it is not subscribed it asks.

Every key lives under one prefix with an expiry: entries and tag sets expire after the TTL
(a tag set's expiry is pushed back whenever an entry joins it), render locks after
`lock_seconds`. Give the Redis server a `maxmemory` with `volatile-lru` to bound it in bytes.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from typing import Any

import redis

from kanwu.publishing.backends import Entry, PageStore, digest

logger = logging.getLogger(__name__)

HEARTBEAT = 5.0  # seconds of silence before the listener pings Redis; 3 missed: reconnect
LISTENER_NAME = "kanwu-purge-notices"  # the listener's connection, as CLIENT LIST shows it


class RedisStore(PageStore):
    unavailable = (redis.ConnectionError, redis.TimeoutError)

    def __init__(self, options: dict[str, Any]) -> None:
        super().__init__(options)
        self.client = redis.Redis.from_url(options["LOCATION"])
        self.prefix = options.get("PREFIX", "kanwu:pages")
        self.channel = f"{self.prefix}:purged"
        self._listener_client = redis.Redis.from_url(options["LOCATION"], client_name=LISTENER_NAME)
        self._notices = itertools.count()  # next() is atomic: the listener and purge share it
        self._heard = next(self._notices)
        self._listener_pid: int | None = None  # the process whose listener thread runs
        self._subscribed_pid: int | None = None  # the process whose listener is subscribed

    def _entry(self, name: str) -> str:
        return f"{self.prefix}:e:{name}"

    def _tag(self, tag: str) -> str:
        return f"{self.prefix}:t:{digest(tag)}"

    def get(self, key: str) -> Entry | None:
        data = self.client.get(self._entry(digest(key)))
        if not isinstance(data, bytes):
            return None
        entry = Entry.loads(data)
        return entry if self.fresh(entry) else None

    def set(self, key: str, entry: Entry) -> None:
        name = digest(key)
        now = time.time()
        ttl = max(1, int(self.ttl - (now - (entry.stored_at or now))))
        if entry.expires_at:
            ttl = max(1, min(ttl, int(entry.expires_at - now) + 1))
        pipe = self.client.pipeline()
        for tag in entry.tags:
            pipe.sadd(self._tag(tag), name)
            pipe.expire(self._tag(tag), ttl, gt=True)
            pipe.expire(self._tag(tag), ttl, nx=True)
        pipe.set(self._entry(name), entry.dumps(), ex=ttl)
        pipe.execute()

    def delete(self, key: str) -> None:
        self.client.delete(self._entry(digest(key)))

    def lock(self, key: str) -> bool:
        return bool(
            self.client.set(f"{self.prefix}:l:{digest(key)}", b"1", nx=True, ex=self._lock_ex)
        )

    def unlock(self, key: str) -> None:
        self.client.delete(f"{self.prefix}:l:{digest(key)}")

    @property
    def _lock_ex(self) -> int:
        return max(1, int(self.lock_seconds))

    def size(self) -> tuple[int, int]:
        count = total = 0
        for name in self.client.scan_iter(f"{self.prefix}:e:*", count=1000):
            count += 1
            total += int(self.client.memory_usage(name) or 0)
        return count, total

    def purge(self, tags: list[str]) -> int:
        self._bump()
        purged = 0
        for tag in tags:
            names: set[bytes] = self.client.smembers(self._tag(tag))  # type: ignore[assignment]
            if names:
                purged += int(self.client.delete(*(self._entry(n.decode()) for n in names)))
            self.client.delete(self._tag(tag))
        self._bump()
        return purged

    def clear(self) -> None:
        self._bump()
        generation = f"{self.prefix}:generation".encode()
        keys = [k for k in self.client.scan_iter(f"{self.prefix}:*") if k != generation]
        if keys:
            self.client.delete(*keys)
        self._bump()

    def _bump(self) -> None:
        self.client.incr(f"{self.prefix}:generation")
        self.client.publish(self.channel, b"1")
        self._heard = next(self._notices)  # this process need not wait for its own notice

    def generation(self) -> str:
        value = self.client.get(f"{self.prefix}:generation")
        return value.decode() if isinstance(value, bytes) else "0"

    def observed_generation(self) -> str:
        pid = os.getpid()
        if self._listener_pid != pid:  # first call, or a forked child: the thread is not here
            self._listener_pid = pid
            threading.Thread(
                target=self._listen, args=(pid,), name=LISTENER_NAME, daemon=True
            ).start()
        if not self.hears_purges:
            return self.generation()
        # A different prefix from generation()'s numbers: switching between the two (on
        # subscribing, or losing the subscription) always reads as a change.
        return f"heard-{self._heard}"

    @property
    def hears_purges(self) -> bool:
        """True while this process is subscribed to purge notices."""
        return self._subscribed_pid == os.getpid()

    def _listen(self, pid: int) -> None:
        while True:
            try:
                self._follow_notices(pid)
            except (redis.RedisError, OSError) as exc:
                logger.warning("page cache: purge notices lost (%s); asking Redis meanwhile", exc)
            self._subscribed_pid = None
            time.sleep(1)

    def _follow_notices(self, pid: int) -> None:
        pubsub = self._listener_client.pubsub()  # type: ignore[no-untyped-call]
        try:
            pubsub.subscribe(self.channel)
            last_heard = time.monotonic()
            while True:
                message = pubsub.get_message(timeout=HEARTBEAT)
                now = time.monotonic()
                if message is None:
                    if now - last_heard > 3 * HEARTBEAT:
                        raise redis.ConnectionError("Redis stopped answering")
                    pubsub.ping()
                    continue
                last_heard = now
                if message["type"] in ("subscribe", "message"):
                    # On subscribing, notices sent while unsubscribed are lost: count one.
                    self._heard = next(self._notices)
                    self._subscribed_pid = pid
        finally:
            pubsub.close()
