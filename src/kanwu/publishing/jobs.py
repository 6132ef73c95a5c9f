"""Periodic jobs of the publishing layer, named in settings.KANWU_PERIODIC_JOBS."""

from __future__ import annotations

import time

from kanwu.publishing.static_export import INDEX_DIR, static_dir
from kanwu.publishing.tasks import export_static_site


def export_static_if_missing() -> None:
    """Start the whole static export when its folder holds none: on a new site, or after
    someone deleted the folder. Changes keep it current from then on."""
    outdir = static_dir()
    if outdir is None or (outdir / INDEX_DIR).exists():
        return
    (outdir / INDEX_DIR).mkdir(parents=True)  # started: the next ticks leave it be
    export_static_site.enqueue(time.time())
