"""Which scheduled backups to keep: the newest of each of the last N days, then the newest of
each of the M weeks before those days. Pure functions over the archives' names."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from kanwu.core.timeutil import READERS_ZONE

# kanwu-backup-20260314-030000.tar.gz: the local (Beijing) time the backup was started.
NAME = re.compile(r"^kanwu-backup-(\d{8})-(\d{6})\.tar\.(?:gz|zst)$")


def archive_name(started: dt.datetime, compression: str = "gzip") -> str:
    suffix = ".tar.zst" if compression == "zstd" else ".tar.gz"
    return f"kanwu-backup-{started.astimezone(READERS_ZONE):%Y%m%d-%H%M%S}{suffix}"


def stamp_of(name: str) -> dt.datetime | None:
    """When the archive called `name` was started (aware), or None if not one of ours."""
    match = NAME.match(name)
    if match is None:
        return None
    try:
        naive = dt.datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S")  # noqa: DTZ007
    except ValueError:
        return None
    return naive.replace(tzinfo=READERS_ZONE)


def archives(folder: Path) -> dict[Path, dt.datetime]:
    """The finished scheduled-style archives in `folder`, with their start times."""
    if not folder.is_dir():
        return {}
    found = {}
    for path in folder.iterdir():
        stamp = stamp_of(path.name)
        if stamp is not None and path.is_file():
            found[path] = stamp
    return found


def kept(stamps: list[dt.datetime], *, daily: int, weekly: int) -> set[dt.datetime]:
    """The start times to keep: per calendar day (Beijing) the newest, for the `daily` most
    recent days that have one; then per ISO week the newest of those older than the oldest
    kept day, for `weekly` weeks."""
    ordered = sorted(stamps, reverse=True)
    keep: set[dt.datetime] = set()
    days: list[dt.date] = []
    for stamp in ordered:
        day = stamp.astimezone(READERS_ZONE).date()
        if len(days) >= daily:
            break
        if day not in days:
            days.append(day)
            keep.add(stamp)
    weeks: list[tuple[int, int]] = []
    for stamp in ordered:
        day = stamp.astimezone(READERS_ZONE).date()
        if days and day >= days[-1]:
            continue
        if len(weeks) >= weekly:
            break
        year, week, _ = day.isocalendar()
        if (year, week) not in weeks:
            weeks.append((year, week))
            keep.add(stamp)
    return keep
