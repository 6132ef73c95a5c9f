"""Where whole cached pages live: the data folder by default, Redis when configured.

A backend stores entries under a key (the page's URL), remembers which tags each entry was
stored with, and deletes every entry of a tag on `purge`. `generation()` changes on every
purge, so per-process memory layers in front of a shared store know when to drop their copies
(through `observed_generation()`, which may learn of it without asking the store).

Every store is bounded: each entry lives at most `TTL` seconds (a safety net for a purge that
was missed), and each backend keeps its own size in check (see its module). `lock` gives one
process at a time the right to render a page that is missing, so a purge of a busy page costs
one render, not one per reader.
"""

from __future__ import annotations

import json
import struct
import time
from dataclasses import dataclass, field
from functools import lru_cache
from hashlib import blake2b
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

_LENGTH = struct.Struct(">I")
DEFAULT_TTL = 24 * 3600  # seconds an entry may live without being purged
DEFAULT_LOCK_SECONDS = 15  # longest a render may hold a page's lock (a crashed one expires)


def digest(text: str) -> str:
    return blake2b(text.encode(), digest_size=16).hexdigest()


@dataclass
class Entry:
    """A stored response: status, headers and its body in each encoding (identity, gzip, br)."""

    status: int
    headers: list[tuple[str, str]]
    bodies: dict[str, bytes]
    etag: str
    last_modified: str
    tags: list[str] = field(default_factory=list)
    stored_at: float = 0.0  # time.time() when rendered
    # time.time() when something the page shows lapses by itself (a 推荐位's expiry); 0: never
    expires_at: float = 0.0

    def dumps(self) -> bytes:
        meta = {
            "status": self.status,
            "headers": self.headers,
            "etag": self.etag,
            "last_modified": self.last_modified,
            "tags": self.tags,
            "stored_at": self.stored_at,
            "expires_at": self.expires_at,
            "encodings": list(self.bodies),
        }
        head = json.dumps(meta, ensure_ascii=False).encode()
        parts = [_LENGTH.pack(len(head)), head]
        for body in self.bodies.values():
            parts += [_LENGTH.pack(len(body)), body]
        return b"".join(parts)

    @classmethod
    def loads(cls, data: bytes) -> Entry:
        (size,) = _LENGTH.unpack_from(data, 0)
        meta = json.loads(data[4 : 4 + size])
        offset, bodies = 4 + size, {}
        for encoding in meta["encodings"]:
            (length,) = _LENGTH.unpack_from(data, offset)
            bodies[encoding] = data[offset + 4 : offset + 4 + length]
            offset += 4 + length
        headers = [(str(name), str(value)) for name, value in meta["headers"]]
        return cls(
            meta["status"],
            headers,
            bodies,
            meta["etag"],
            meta["last_modified"],
            meta["tags"],
            float(meta.get("stored_at", 0.0)),
            float(meta.get("expires_at", 0.0)),
        )


class PageStore:
    """Base class of page-cache backends; subclasses implement every method below."""

    # What the store raises while its server cannot be reached (Redis restarting): pages are
    # then answered by Django, uncached, instead of failing.
    unavailable: tuple[type[Exception], ...] = ()

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        self.ttl = float(options.get("TTL", DEFAULT_TTL))
        self.lock_seconds = float(options.get("LOCK_SECONDS", DEFAULT_LOCK_SECONDS))

    def fresh(self, entry: Entry, now: float | None = None) -> bool:
        """False once `entry` has outlived the store's TTL, or what it shows has lapsed."""
        now = now if now is not None else time.time()
        lapsed = bool(entry.expires_at) and now >= entry.expires_at
        return now - entry.stored_at < self.ttl and not lapsed

    def get(self, key: str) -> Entry | None:
        """The entry stored under `key`, or None (also when it has outlived the TTL)."""
        raise NotImplementedError

    def set(self, key: str, entry: Entry) -> None:
        """Store `entry` under `key`, indexed by each of `entry.tags`."""
        raise NotImplementedError

    def delete(self, key: str) -> None:
        """Forget the entry stored under `key`, if any."""
        raise NotImplementedError

    def purge(self, tags: list[str]) -> int:
        """Delete every entry stored with any of `tags`; return how many were deleted.

        The generation changes before anything is deleted (a render that began earlier must
        not store its page) and again after (memory layers drop what they read meanwhile).
        """
        raise NotImplementedError

    def clear(self) -> None:
        """Delete every entry."""
        raise NotImplementedError

    def generation(self) -> str:
        """A token that changes whenever something is purged or cleared."""
        raise NotImplementedError

    def observed_generation(self) -> str:
        """Like `generation()`, as cheaply as this process can tell: asked on every cache hit.

        A backend that hears of purges (Redis's notices) answers from memory, trailing the
        store by the moment a notice takes to arrive; by default it is `generation()`.
        """
        return self.generation()

    def lock(self, key: str) -> bool:
        """Take the right to render `key` (True), unless another process holds it. A lock
        not released within `lock_seconds` lapses."""
        raise NotImplementedError

    def unlock(self, key: str) -> None:
        """Give back the right to render `key`."""
        raise NotImplementedError

    def size(self) -> tuple[int, int]:
        """(entries, bytes) held now, for reports and tests."""
        raise NotImplementedError


@lru_cache(maxsize=1)
def get_store() -> PageStore:
    config = settings.KANWU_PAGE_CACHE
    backend: type[PageStore] = import_string(config["BACKEND"])
    return backend(config.get("OPTIONS", {}))
