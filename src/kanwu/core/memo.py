"""Site-wide values (sites, settings, the column trail, view restrictions) remembered in each
process until something site-wide changes.

Every page shows them, and they change a few times a year, so reading them from the database
on every request is most of an uncached page's queries. Each process keeps them in memory; a
change anywhere bumps a version in the shared cache (the data folder or Redis), and every
process drops its copies at its next request. The version is read once per request. Which
changes do so is decided in one place, the invalidation registry (kanwu.publishing.registry),
which calls `forget()`. At most MAX_VALUES values are kept, least recently used going first.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.signals import request_started
from django.db import transaction
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site

from kanwu.core import private

T = TypeVar("T")
VERSION_KEY = "kanwu:site-memo-version"
MAX_VALUES = 5000  # renditions are the many: one per image and size shown

_state = threading.local()
_values: OrderedDict[str, Any] = OrderedDict()
_version: str | None = None
_lock = threading.Lock()


def _current_version() -> str:
    """The shared version, read at most once per request (per thread)."""
    version = getattr(_state, "version", None)
    if version is None:
        version = cache.get(VERSION_KEY)
        if version is None:
            version = uuid.uuid4().hex
            cache.add(VERSION_KEY, version, timeout=None)
            version = cache.get(VERSION_KEY, version)
        _state.version = version
    return str(version)


def remembered(name: str, compute: Callable[[], T]) -> T:
    """`compute()`, remembered in this process until the next site-wide change."""
    global _version
    version = _current_version()
    with _lock:
        if version != _version:
            _values.clear()
            _version = version
        if name in _values:
            _values.move_to_end(name)
            return _values[name]
    value = compute()
    with _lock:
        if _version == version:
            _values[name] = value
            if len(_values) > MAX_VALUES:
                _values.popitem(last=False)
    return value


def is_remembered(name: str) -> bool:
    """Whether `remembered(name, …)` would answer without computing (a caller may then fill
    many values with one query instead of one each)."""
    version = _current_version()
    with _lock:
        return version == _version and name in _values


def _bump() -> None:
    global _version
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    _state.version = None
    with _lock:
        _values.clear()
        _version = None


def forget() -> None:
    """Something site-wide changed: every process reads it again, now and once more after the
    transaction commits (a process may have read the old rows in between)."""
    _bump()
    transaction.on_commit(_bump)


def _new_request(**kwargs: Any) -> None:
    _state.version = None


# Pages that hold other pages (home, columns, single pages): their titles and URLs form the
# breadcrumb trail of everything below them. Leaf pages (articles) do not.
def is_container(model: type[Any]) -> bool:
    return issubclass(model, Page) and bool(model.allowed_subpage_models())


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str
    pk: int


def _containers() -> dict[str, Crumb]:
    from wagtail.models import get_page_models

    # Wagtail's own Page may hold anything, and `type(Page)` would match every page.
    models = [model for model in get_page_models() if model is not Page and is_container(model)]
    pages = Page.objects.live().type(*models).filter(depth__gt=2)
    return {
        page.path: Crumb(page.title, page.get_url() or "", page.pk)
        for page in pages.only("path", "title", "url_path", "depth")
    }


def trail(page: Page) -> list[Crumb]:
    """The live container pages above `page`, below the home page, top first."""
    containers = remembered("containers", _containers)
    step = page.steplen
    prefixes = (page.path[:end] for end in range(3 * step, len(page.path), step))
    return [crumb for prefix in prefixes if (crumb := containers.get(prefix)) is not None]


def _restricted_paths() -> frozenset[str]:
    """Pages with a view restriction, and aliases (whose source's restrictions apply)."""
    restricted = PageViewRestriction.objects.values_list("page__path", flat=True)
    aliases = Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)
    return frozenset([*restricted, *aliases])


def may_be_restricted(page: Page) -> bool:
    """False when no view restriction applies to `page` or any page above it."""
    if page.alias_of_id is not None:
        return True
    restricted = remembered("restricted", _restricted_paths)
    step = page.steplen
    return any(page.path[:end] in restricted for end in range(step, len(page.path) + 1, step))


def site_for(hostname: str, port: str) -> Site | None:
    """Wagtail's `Site.find_for_request` answer for this host, remembered.

    A host no site names gets the default site whatever its port, so unknown hosts share
    one entry (a reader cannot grow the memory by sending made-up Host headers).
    """
    from wagtail.models.sites import get_site_for_hostname

    known = remembered(
        "hostnames", lambda: frozenset(Site.objects.values_list("hostname", flat=True))
    )
    if hostname not in known:
        hostname, port = "", "80"

    def find() -> Site | None:
        try:
            site: Site = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            return None
        site.root_page = site.root_page.specific
        return site

    return remembered(f"site:{hostname}:{port}", find)


class RememberedSiteSetting:
    """Mixed into a `BaseSiteSetting`: readers' `for_request` is served from memory.

    The admin edits through `for_site`, which still reads (and creates) the row.
    """

    @classmethod
    def for_request(cls, request: Any) -> Any:
        attr = cls.get_cache_attr_name()  # type: ignore[attr-defined]
        if hasattr(request, attr):
            return getattr(request, attr)
        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)  # type: ignore[misc]
        value = remembered(
            f"setting:{cls.__module__}.{cls.__qualname__}:{site.pk}",
            lambda: cls.for_site(site),  # type: ignore[attr-defined]
        )
        setattr(request, attr, value)
        return value


def connect() -> None:
    request_started.connect(_new_request, dispatch_uid="kanwu-memo-request")


class SiteMiddleware:
    """Tells Wagtail the request's site (and every site's root path) from memory, before
    anything asks for them, through the attributes Wagtail keeps them in on the request."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        if request.path_info == "/healthz":
            # The health check must answer 503 itself when the cache or database is down,
            # not fail here first; it shows no page, so it needs no site.
            return self.get_response(request)
        # As Wagtail does: the raw host, so the site is known before ALLOWED_HOSTS is checked.
        hostname = split_domain_port(private.raw_host(request))[0]
        private.set_request_site(request, site_for(hostname, request.get_port()))
        # Wagtail reads the sites' root paths (for page URLs) from the shared cache once per
        # request; the same remembered list saves that read.
        paths = remembered("root-paths", Site.get_site_root_paths)
        private.set_request_root_paths(request, paths)
        return self.get_response(request)
