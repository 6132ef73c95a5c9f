"""A thin WSGI layer that answers cache hits before Django's middleware and URL routing run.

Each process keeps the hottest entries in memory and drops them all whenever the shared
store's generation changes (any purge), so a purge is seen by the next request of every worker
(with Redis, once its purge notice has arrived: well under a millisecond on a quiet machine).
Misses, logged-in visitors and non-page paths go to Django unchanged.

A hit is the same answer Django gave when the page was stored, headers included, apart from
the cache headers; and it is given only for a Host that Django would accept (ALLOWED_HOSTS).
A miss on a cacheable page is rendered once at a time across every process (the store's
render lock): the other readers of that page wait for the fresh copy instead of all
rendering it, which after a purge of the home page would be one render per reader.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from kanwu.core.errors import bad_header_response, malformed_request
from kanwu.core.proxies import environ_is_secure, forget_untrusted_headers
from kanwu.publishing import pagecache
from kanwu.publishing.backends import Entry, PageStore, get_store

logger = logging.getLogger(__name__)
StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
MEMORY_ENTRIES = 2000
KNOWN_HOSTS = 256  # Host values remembered as valid or not, per process
WAIT_STEP = 0.02  # seconds between looks for a page another process is rendering


@dataclass(frozen=True)
class Answer:
    """A response the fast path gives without Django."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes


def choose_encoding(accept: str, entry: Entry) -> str:
    offered = {part.split(";")[0].strip() for part in accept.lower().split(",")}
    refused = {
        part.split(";")[0].strip()
        for part in accept.lower().split(",")
        if part.replace(" ", "").endswith(("q=0", "q=0.0"))
    }
    for encoding in ("br", "gzip"):
        if encoding in offered and encoding not in refused and encoding in entry.bodies:
            return encoding
    return "identity"


def not_modified(environ: dict[str, Any], entry: Entry) -> bool:
    if match := environ.get("HTTP_IF_NONE_MATCH"):
        tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
        return entry.etag in tags or "*" in tags
    if since := environ.get("HTTP_IF_MODIFIED_SINCE"):
        try:
            return parsedate_to_datetime(entry.last_modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError, OverflowError, IndexError):
            return False  # an unreadable date: answer in full, as if it were absent
    return False


class FastPath:
    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self.memory: OrderedDict[str, Entry] = OrderedDict()
        self.generation: str | None = None
        self.session_cookie = settings.SESSION_COOKIE_NAME + "="
        self.hosts: dict[str, bool] = {}

    def host_is_allowed(self, host: str) -> bool:
        """Django's ALLOWED_HOSTS check, remembered per Host value (a bounded number)."""
        allowed = self.hosts.get(host)
        if allowed is None:
            domain, _ = split_domain_port(host)
            allowed = bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)
            if len(self.hosts) >= KNOWN_HOSTS:
                self.hosts.clear()
            self.hosts[host] = allowed
        return allowed

    def key_for(self, environ: dict[str, Any]) -> str | None:
        """The page-cache key of this request, or None when it is not a cacheable page."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not pagecache.enabled():
            return None
        if settings.SECURE_SSL_REDIRECT and not environ_is_secure(environ):
            return None  # Django redirects it to https://
        # WSGI hands over the path as latin-1; Django (and so the stored key) uses UTF-8.
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        if not pagecache.path_is_cacheable(path) or self.session_cookie in environ.get(
            "HTTP_COOKIE", ""
        ):
            return None
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if not self.host_is_allowed(host):
            return None  # Django answers 400
        return pagecache.cache_key(host, path, environ.get("QUERY_STRING", ""))

    def lookup(self, key: str, store: PageStore) -> Entry | None:
        generation = store.observed_generation()
        if generation != self.generation:
            self.memory.clear()
            self.generation = generation
        entry = self.memory.get(key)
        if entry is not None and not store.fresh(entry):
            self.memory.pop(key, None)  # another thread (the RSGI front's loop) may have cleared it
            entry = None
        if entry is None and (entry := store.get(key)) is not None:
            if len(self.memory) >= MEMORY_ENTRIES:
                self.memory.popitem(last=False)
            self.memory[key] = entry
        return entry

    def cached(self, environ: dict[str, Any]) -> Answer | None:
        """The answer from the page cache, or None when Django must answer."""
        forget_untrusted_headers(environ)
        key = self.key_for(environ)
        if key is None:
            return None
        store = get_store()
        try:
            entry = self.lookup(key, store)
        except store.unavailable as error:
            self.store_unavailable(error)
            return None
        return None if entry is None else self.answer(environ, entry)

    def store_unavailable(self, error: Exception) -> None:
        """The store's server is away: Django answers, uncached, and this layer's memory
        (which a purge meanwhile could not reach) is dropped."""
        logger.warning("page cache unreachable (%r): answering uncached", error)
        self.memory.clear()
        self.generation = None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        # X-Forwarded-Proto / -For from anybody but a trusted proxy are dropped here already,
        # for this layer and for Django (core.proxies).
        forget_untrusted_headers(environ)
        if malformed_request(environ):  # Django would fail building the request
            response = bad_header_response()
            start_response("400 Bad Request", list(response.items()))
            return [response.content]
        key = self.key_for(environ)
        if key is None:
            return self.app(environ, start_response)
        store = get_store()
        try:
            entry = self.lookup(key, store)
            if entry is None:
                if store.lock(key):
                    try:
                        return self.app(environ, start_response)
                    finally:
                        try:
                            store.unlock(key)
                        except store.unavailable:
                            pass  # the lock expires by itself
                entry = self.wait_for_render(key, store)
        except store.unavailable as error:
            self.store_unavailable(error)
            return self.app(environ, start_response)
        if entry is None:
            return self.app(environ, start_response)
        answer = self.answer(environ, entry)
        start_response(answer.status, answer.headers)
        return [answer.body]

    def wait_for_render(self, key: str, store: PageStore) -> Entry | None:
        """The page another process is rendering, once stored; None when that render ended
        without storing it (a 404, a page behind a password…) or took longer than
        `lock_seconds`: then this reader renders too."""
        deadline = time.monotonic() + store.lock_seconds
        while time.monotonic() < deadline:
            time.sleep(WAIT_STEP)
            if (entry := self.lookup(key, store)) is not None:
                return entry
            if store.lock(key):  # released: stored just now, or not stored at all
                store.unlock(key)
                return self.lookup(key, store)
        return None

    def answer(self, environ: dict[str, Any], entry: Entry) -> Answer:
        common = [
            ("ETag", entry.etag),
            ("Last-Modified", entry.last_modified),
            ("Vary", "Accept-Encoding"),
            ("Cache-Control", "no-cache"),
            ("X-Kanwu-Cache", "HIT"),
        ]
        if not_modified(environ, entry):
            return Answer("304 Not Modified", common, b"")
        encoding = choose_encoding(environ.get("HTTP_ACCEPT_ENCODING", ""), entry)
        body = entry.bodies[encoding]
        headers = [*entry.headers, *common, ("Content-Length", str(len(body)))]
        if encoding != "identity":
            headers.append(("Content-Encoding", encoding))
        head = environ.get("REQUEST_METHOD") == "HEAD"
        return Answer("200 OK", headers, b"" if head else body)
