"""Stores anonymous page responses in the page cache, tagged with the content they show."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from kanwu.core.dependencies import PRIVATE_TAG, recording
from kanwu.publishing import pagecache
from kanwu.publishing.backends import PageStore, get_store


class PageCacheMiddleware:
    """Outermost of the app's middleware, so it stores the response readers actually get."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = pagecache.request_key(request)
        if key is None:
            return self.get_response(request)
        store = get_store()
        # A page rendered from rows read before a purge must never be stored after it. A
        # purge changes the generation before it deletes and again after: so either the
        # generation differs from the one read before rendering (nothing is stored, or what
        # was stored is taken back), or the purge's deletion comes after the entry was stored
        # and deletes it.
        try:
            generation = store.generation()
        except store.unavailable:
            return self.get_response(request)  # Redis away: answered, not stored
        with recording() as tags:
            response = self.get_response(request)
        if pagecache.response_is_cacheable(response) and PRIVATE_TAG not in tags:
            try:
                self.store(store, key, response, tags, generation)
            except store.unavailable:
                pass  # went away while rendering: answered, not stored
        return response

    def store(
        self, store: PageStore, key: str, response: HttpResponse, tags: set[str], generation: str
    ) -> None:
        if store.generation() != generation:
            return
        entry = pagecache.make_entry(response, tags, time.time())
        store.set(key, entry)
        if store.generation() != generation:
            store.delete(key)
        response["ETag"] = entry.etag
        response["Last-Modified"] = entry.last_modified
        response["X-Kanwu-Cache"] = "MISS"
