"""Page cache in the data folder: one file per entry, one directory per tag.

Every write is a rename of a finished temporary file and every purge an unlink, so several
worker processes share the folder without locks, and a reader never sees half an entry.

The folder is bounded by `MAX_BYTES`: an entry file's mtime is when it was rendered and its
atime when a process last read it (set explicitly, whatever the mount's atime policy). Each
process sweeps the folder after writing 5% of the bound (and after its first write): entries
past the TTL go, then, once over 95% of the bound, the least recently read until it holds 80%.
Tag directories keep the names of swept entries (a purge skips names without a file): pruning
them could race with a process storing the same page again and leave it unreachable by a tag.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from kanwu.publishing.backends import Entry, PageStore, digest

DEFAULT_MAX_BYTES = 512 * 1024 * 1024
SWEEP_SHARE = 0.05  # of the bound written by one process between sweeps
SWEEP_TARGET = 0.8  # of the bound left after a sweep that had to evict


def write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half.

    `mode` defaults to world-readable: a web server such as nginx reads exported pages.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class FileStore(PageStore):
    def __init__(self, options: dict[str, Any]) -> None:
        super().__init__(options)
        self.root = Path(options["LOCATION"])
        self.entries = self.root / "entries"
        self.tags = self.root / "tags"
        self.locks = self.root / "locks"
        self.marker = self.root / "generation"
        self.max_bytes = int(options.get("MAX_BYTES", DEFAULT_MAX_BYTES))
        for folder in (self.entries, self.tags, self.locks):
            folder.mkdir(parents=True, exist_ok=True)
        if not self.marker.exists():
            self._bump()
        self._written_since_sweep = self.max_bytes  # sweep once after this process's first write

    def _entry_path(self, key: str) -> Path:
        name = digest(key)
        return self.entries / name[:2] / name

    def _tag_dir(self, tag: str) -> Path:
        return self.tags / digest(tag)

    def get(self, key: str) -> Entry | None:
        path = self._entry_path(key)
        try:
            entry = Entry.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        now = time.time()
        if not self.fresh(entry, now):
            path.unlink(missing_ok=True)
            return None
        with contextlib.suppress(OSError):  # recently read: kept longest when space runs out
            os.utime(path, (now, entry.stored_at or now))
        return entry

    def set(self, key: str, entry: Entry) -> None:
        path = self._entry_path(key)
        # Index first: an entry on disk is always reachable from each of its tags.
        for tag in entry.tags:
            directory = self._tag_dir(tag)
            directory.mkdir(exist_ok=True)
            (directory / path.name).touch()
        data = entry.dumps()
        write_atomically(path, data)
        stamp = entry.stored_at or time.time()
        os.utime(path, (stamp, stamp))
        self._written_since_sweep += len(data)
        if self._written_since_sweep >= self.max_bytes * SWEEP_SHARE:
            self._written_since_sweep = 0
            self.sweep()

    def delete(self, key: str) -> None:
        self._entry_path(key).unlink(missing_ok=True)

    def purge(self, tags: list[str]) -> int:
        self._bump()
        purged = 0
        for tag in tags:
            directory = self._tag_dir(tag)
            try:
                names = os.listdir(directory)
            except FileNotFoundError:
                continue
            for name in names:
                entry = self.entries / name[:2] / name
                if entry.exists():
                    entry.unlink(missing_ok=True)
                    purged += 1
            shutil.rmtree(directory, ignore_errors=True)
        self._bump()
        return purged

    def clear(self) -> None:
        self._bump()
        for folder in (self.entries, self.tags):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
        self._bump()

    def _bump(self) -> None:
        write_atomically(self.marker, str(time.time_ns()).encode())

    def generation(self) -> str:
        stat = self.marker.stat()
        return f"{stat.st_ino}:{stat.st_mtime_ns}"

    def lock(self, key: str) -> bool:
        path = self.locks / digest(key)
        for _ in range(2):
            try:
                os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
                return True
            except FileExistsError:
                try:
                    if time.time() - path.stat().st_mtime < self.lock_seconds:
                        return False
                except FileNotFoundError:
                    continue  # released meanwhile: try again
                path.unlink(missing_ok=True)  # lapsed: its render died or hung
        return False

    def unlock(self, key: str) -> None:
        (self.locks / digest(key)).unlink(missing_ok=True)

    def _entry_files(self) -> list[tuple[os.stat_result, Path]]:
        found = []
        for shard in os.scandir(self.entries):
            if not shard.is_dir():
                continue
            for item in os.scandir(shard.path):
                if item.name.startswith(".tmp-"):
                    continue
                with contextlib.suppress(FileNotFoundError):
                    found.append((item.stat(), Path(item.path)))
        return found

    def size(self) -> tuple[int, int]:
        files = self._entry_files()
        return len(files), sum(stat.st_size for stat, _ in files)

    def sweep(self) -> int:
        """Drop expired entries, then the least recently read ones while over the bound;
        return how many went. One process sweeps at a time; the others skip."""
        with open(self.root / "sweep.lock", "a") as guard:
            try:
                fcntl.flock(guard, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return 0
            now = time.time()
            files = self._entry_files()
            keep, removed = [], 0
            for stat, path in files:
                if now - stat.st_mtime >= self.ttl:
                    path.unlink(missing_ok=True)
                    removed += 1
                else:
                    keep.append((stat, path))
            total = sum(stat.st_size for stat, _ in keep)
            # Room for what this process writes before its next sweep: one process alone
            # never goes over the bound, several by at most a share each.
            if total > self.max_bytes * (1 - SWEEP_SHARE):
                keep.sort(key=lambda item: item[0].st_atime)
                while keep and total > self.max_bytes * SWEEP_TARGET:
                    stat, path = keep.pop(0)
                    path.unlink(missing_ok=True)
                    total -= stat.st_size
                    removed += 1
            return removed
