"""Background work of the publishing layer."""

from __future__ import annotations

from django_tasks import task

from kanwu.publishing.static_export import Exporter, static_dir


@task()
def refresh_static_export(tags: list[str], page_ids: list[int]) -> int:
    """Bring the static export up to date after a change; returns the files written."""
    outdir = static_dir()
    if outdir is None:
        return 0
    return Exporter(outdir).refresh(tags, page_ids).written
