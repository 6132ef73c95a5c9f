"""Background work of the publishing layer.

Each task is given the moment its change was committed (`requested`, a time.time()), so that
one whole export makes every change queued before it began a no-op: a burst of site-wide
changes (or the demo's columns) costs one export, not one each.
"""

from __future__ import annotations

from django.db import transaction
from django_tasks import task
from wagtail.models import Page

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
