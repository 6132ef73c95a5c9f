"""Page cache in the data folder: one file per entry, one directory per tag.

Every write is a rename of a finished temporary file and every purge an unlink, so several
worker processes share the folder without locks, and a reader never sees half an entry.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from kanwu.publishing.backends import Entry, PageStore, digest


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
        self.marker = self.root / "generation"
        self.entries.mkdir(parents=True, exist_ok=True)
        self.tags.mkdir(parents=True, exist_ok=True)
        if not self.marker.exists():
            self._bump()

    def _entry_path(self, key: str) -> Path:
        name = digest(key)
        return self.entries / name[:2] / name

    def _tag_dir(self, tag: str) -> Path:
        return self.tags / digest(tag)

    def get(self, key: str) -> Entry | None:
        try:
            return Entry.loads(self._entry_path(key).read_bytes())
        except FileNotFoundError:
            return None

    def set(self, key: str, entry: Entry) -> None:
        path = self._entry_path(key)
        # Index first: an entry on disk is always reachable from each of its tags.
        for tag in entry.tags:
            directory = self._tag_dir(tag)
            directory.mkdir(exist_ok=True)
            (directory / path.name).touch()
        write_atomically(path, entry.dumps())

    def purge(self, tags: list[str]) -> int:
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
        for folder in (self.entries, self.tags):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True, exist_ok=True)
        self._bump()

    def _bump(self) -> None:
        write_atomically(self.marker, str(time.time_ns()).encode())

    def generation(self) -> str:
        stat = self.marker.stat()
        return f"{stat.st_ino}:{stat.st_mtime_ns}"
