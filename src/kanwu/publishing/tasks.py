"""Background work of the publishing layer.

Each task is given the moment its change was committed (`requested`, a time.time()), so that
one whole export makes every change queued before it began a no-op: a burst of site-wide
changes (or the demo's columns) costs one export, not one each.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task
from wagtail.models import Page

from kanwu.core.batching import Collector, batch_kind
from kanwu.core.visibility import is_visible
from kanwu.publishing.baidu import baidu_push_send, push_settings
from kanwu.publishing.static_export import Exporter, static_dir


def _exporter(requested: float) -> Exporter | None:
    """The kept export's Exporter, or None when there is none or it already shows the change."""
    outdir = static_dir()
    if outdir is None:
        return None
    exporter = Exporter(outdir)
    return None if exporter.whole_export_since(requested) else exporter


@task()
def export_static_site(requested: float) -> int:
    """Write the whole static export; returns the files written."""
    exporter = _exporter(requested)
    return exporter.export_all().written if exporter else 0


@task()
def refresh_static_export(tags: list[str], page_ids: list[int], requested: float) -> int:
    """Bring the static export up to date after a change; returns the files written."""
    exporter = _exporter(requested)
    return exporter.refresh(tags, page_ids).written if exporter else 0


@task()
def push_to_baidu(urls: list[str]) -> str:
    """Send new or changed addresses to Baidu; returns what happened (also in the admin)."""
    record = baidu_push_send(urls)
    return "" if record is None else f"{record.status}: {record.message}"


def baidu_push_queue(page: Page) -> None:
    """A page went live (new or changed): push its address after commit, if a token is set."""
    if not is_visible(page) or push_settings() is None:
        return
    url = page.get_full_url()
    if url:
        transaction.on_commit(lambda: push_to_baidu.enqueue(urls=[url]))


class ExportChanges(Collector):
    """The `refresh_static_export` calls a batch kept: one refresh for all their tags and
    pages (each file rendered once, not once per change), as of the latest change. (In one
    process, as the worker's exports are: forking a pool beside the worker's scheduler
    thread could deadlock a child on a lock that thread held.)"""

    def __init__(self) -> None:
        self.tags: dict[str, None] = {}
        self.page_ids: dict[int, None] = {}
        self.requested = 0.0

    def add(self, task_path: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        named = dict(zip(("tags", "page_ids", "requested"), args, strict=False)) | kwargs
        self.tags.update(dict.fromkeys(named["tags"]))
        self.page_ids.update(dict.fromkeys(int(pk) for pk in named["page_ids"]))
        self.requested = max(self.requested, float(named["requested"]))

    def __len__(self) -> int:
        return len(self.page_ids)

    def __bool__(self) -> bool:
        return bool(self.tags or self.page_ids)

    def send(self) -> None:
        # A site-wide change makes it a whole export, which makes every refresh queued
        # before it began a no-op (`requested`): an import's later chunks, when the worker
        # reaches them after the import.
        refresh_static_export.enqueue(list(self.tags), list(self.page_ids), self.requested)
        self.tags.clear()
        self.page_ids.clear()


class BaiduPushes(Collector):
    """The `push_to_baidu` calls a batch kept: their addresses in one push."""

    def __init__(self) -> None:
        self.urls: dict[str, None] = {}

    def add(self, task_path: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        named = dict(zip(("urls",), args, strict=False)) | kwargs
        self.urls.update(dict.fromkeys(named["urls"]))

    def __len__(self) -> int:
        return len(self.urls)

    def send(self) -> None:
        push_to_baidu.enqueue(urls=list(self.urls))
        self.urls.clear()


def connect_batches() -> None:
    batch_kind(
        kind="static-export", tasks=[refresh_static_export.module_path], collector=ExportChanges
    )
    batch_kind(kind="baidu-push", tasks=[push_to_baidu.module_path], collector=BaiduPushes)
