"""How far a background import got, written to its run row while it goes on.

An import reports after every item; writing a row each time would cost a large import as much
as the items themselves, so `ProgressRecorder` writes every PROGRESS_EVERY_ITEMS items or
PROGRESS_EVERY_SECONDS seconds (wall-clock `time.time()`, so tests move it with time-machine),
always the first and the last report. Each write is one UPDATE in its own short transaction:
the run page, in another connection, sees it at once.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from kanwu.importer.models import ImportRun

PROGRESS_EVERY_ITEMS = 50
PROGRESS_EVERY_SECONDS = 1.0
# Errors kept on the run while it goes on; the final report lists every one.
ERRORS_KEPT = 50


@dataclass(frozen=True)
class Progress:
    """One report from an import: items handled of `total`, what was skipped or failed."""

    done: int
    total: int
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


class ProgressRecorder:
    """Called with each `Progress`; writes it to `run`'s row when a batch is due."""

    def __init__(
        self,
        run: ImportRun,
        *,
        every_items: int = PROGRESS_EVERY_ITEMS,
        every_seconds: float = PROGRESS_EVERY_SECONDS,
    ) -> None:
        self.run = run
        self.every_items = every_items
        self.every_seconds = every_seconds
        self.written_done: int | None = None
        self.written_at = 0.0
        self.latest: Progress | None = None

    def __call__(self, progress: Progress, **fields: Any) -> None:
        """Record `progress` (and any other `fields` of the run) if a batch is due."""
        self.latest = progress
        now = time.time()
        due = (
            self.written_done is None
            or progress.done >= progress.total
            or progress.done - self.written_done >= self.every_items
            or not 0 <= now - self.written_at < self.every_seconds  # a clock set back counts
        )
        if due:
            self.write(progress, **fields)

    def write(self, progress: Progress, **fields: Any) -> None:
        with transaction.atomic():
            type(self.run)._default_manager.filter(pk=self.run.pk).update(
                total=progress.total,
                done=progress.done,
                skipped=progress.skipped,
                failed=progress.failed,
                errors=progress.errors[:ERRORS_KEPT],
                **fields,
            )
        self.written_done = progress.done
        self.written_at = time.time()

    def flush(self) -> None:
        """Write the latest report (the import stopped between two batches)."""
        if self.latest is not None:
            self.write(self.latest)


def progress_bar(now: Progress) -> None:
    """A command's progress on the terminal (stderr): a bar and done/total every 50 items."""
    done, total = now.done, now.total
    if total and done and (done == total or done % PROGRESS_EVERY_ITEMS == 0):
        bar = "#" * (20 * done // total)
        sys.stderr.write(f"\r[{bar:<20}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
