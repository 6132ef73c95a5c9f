"""Every private Django, Wagtail and treebeard attribute kanwu relies on, behind one door.

Speed (or, for the demo, bulk loading) needs a few of them. Each is reached only here, and
tests/core/test_private.py has one test per function that fails loudly, naming the installed
versions, when an upgrade renames an attribute or changes what it means. The versions these
were checked against are in `CHECKED_WITH`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Expression, Model, QuerySet
from django.http import HttpRequest

CHECKED_WITH = {"django": "5.2", "wagtail": "8.0", "django-treebeard": "4.7"}


# Wagtail: what `Site.find_for_request` and page URLs read from the request -----------------
def set_request_site(request: HttpRequest, site: Any) -> None:
    """Tell Wagtail the request's site: `Site.find_for_request` returns it without a query."""
    request._wagtail_site = site  # type: ignore[attr-defined]


def set_request_root_paths(request: HttpRequest, root_paths: Any) -> None:
    """Tell Wagtail every site's root path, which page URLs otherwise read from the cache."""
    request._wagtail_cached_site_root_paths = root_paths  # type: ignore[attr-defined]


def raw_host(request: HttpRequest) -> str:
    """The Host header before `ALLOWED_HOSTS` is checked (what Wagtail matches sites on)."""
    return str(request._get_raw_host())  # type: ignore[attr-defined]


def slug_is_available(slug: str, parent: Any, page: Any = None) -> bool:
    """Whether no other child of `parent` uses `slug` (Wagtail's own check, in `full_clean`)."""
    from wagtail.models import Page

    return bool(Page._slug_is_available(slug, parent, page))


def parent_given_to_add_child(page: Any) -> Any:
    """The parent `add_child(instance=page)` is placing `page` under, before it has a path."""
    return getattr(page, "_cached_parent_obj", None)


def references_of(obj: Any) -> set[tuple[int, str, str, str]]:
    """The outbound references Wagtail's reference index records for `obj` (child objects'
    included): (to content type id, to object id, model path, content path), as
    `ReferenceIndex.create_or_update_for_object` finds them."""
    from wagtail.models import ReferenceIndex

    return set(ReferenceIndex._extract_references_from_object(obj))


def reference_path_hash(content_path: str) -> Any:
    """The hash Wagtail's reference index keeps of a content path (its unique key)."""
    from wagtail.models import ReferenceIndex

    return ReferenceIndex._get_content_path_hash(content_path)


# Django: the ORM and the cache ---------------------------------------------------------------
def already_evaluated(queryset: QuerySet[Any], rows: list[Any]) -> QuerySet[Any]:
    """`queryset` marked as evaluated to `rows`: iterating it runs (and compiles) nothing."""
    queryset._result_cache = rows
    return queryset


def field_converters(
    compiler: Any, columns: Sequence[Expression]
) -> list[tuple[int, tuple[list[Any], Any]]]:
    """The database converters of each selected column, as the ORM applies them to rows."""
    return list(compiler.get_converters(columns).items())


def redis_pool_index(client: Any, write: bool) -> int:
    """Which of the cache's servers (connection pools) Django's Redis client would use."""
    return int(client._get_connection_pool_index(write))


def use_cache_client(cache: Any, client_class: type[Any]) -> None:
    """Make Django's Redis cache backend build its client from `client_class`."""
    cache._class = client_class


def insert_rows(model: type[Model], rows: Sequence[Model], using: str) -> None:
    """INSERT `rows` with only the model's own columns (multi-table children, which
    `bulk_create` refuses)."""
    fields = model._meta.local_concrete_fields
    model._base_manager._insert(list(rows), fields=fields, using=using)  # type: ignore[attr-defined]


def server_cursor(connection: Any) -> Any:
    """A cursor on the database server outside any database (PostgreSQL's `postgres`), for
    CREATE and DROP DATABASE, as Django's test runner makes its test database."""
    return connection._nodb_cursor()


def set_image_metadata(image: Any) -> None:
    """Fill a new Wagtail image's width, height, size and hash from its file (what Wagtail's
    upload form does before saving)."""
    image._set_image_file_metadata()


# treebeard ------------------------------------------------------------------------------------
def tree_path(parent_path: str, depth: int, position: int) -> str:
    """The materialised path of the `position`-th child (1-based) at `depth` below a parent."""
    from wagtail.models import Page

    return str(Page._get_path(parent_path, depth, position))
