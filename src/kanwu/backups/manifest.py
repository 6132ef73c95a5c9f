"""The manifest: what a backup holds and what made it, the archive's last member.

It names the kanwu version and database vendor, the applied migrations per app, the rows of
every table (and where its database-neutral copy is), and the SHA-256 and size of every other
member. A restore reads and checks it, and every member against it, before writing anything.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from kanwu.backups.archive import BackupError, Member

FORMAT = 1


def kanwu_version() -> str:
    try:
        return version("kanwu")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def version_key(text: str) -> tuple[int, ...]:
    """(1, 2, 3) for "1.2.3" (anything after the numbers, e.g. "rc1", is ignored)."""
    numbers = []
    for part in text.split("."):
        match = re.match(r"\d+", part)
        if match is None:
            break
        numbers.append(int(match.group()))
    return tuple(numbers)


@dataclass(frozen=True)
class Table:
    """One table of the database: its rows, and its neutral copy (None if it has none)."""

    rows: int
    member: str | None = None
    model: str = ""
    columns: list[str] = field(default_factory=list)


@dataclass
class Manifest:
    kanwu_version: str
    created_at: str
    vendor: str
    database_member: str
    migrations: dict[str, list[str]]
    tables: dict[str, Table]
    members: dict[str, Member]
    media_files: int = 0
    private_files: int = 0
    format: int = FORMAT

    def to_json(self) -> bytes:
        data = asdict(self)
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data: dict[str, Any] = json.loads(raw)
            fmt = int(data.get("format", 0))
            if fmt > FORMAT:
                raise BackupError(
                    f"备份清单格式 {fmt} 比本版本 kanwu 支持的格式 {FORMAT} 新，请先升级 kanwu"
                )
            return cls(
                kanwu_version=str(data["kanwu_version"]),
                created_at=str(data["created_at"]),
                vendor=str(data["vendor"]),
                database_member=str(data["database_member"]),
                migrations={
                    str(app): [str(n) for n in names] for app, names in data["migrations"].items()
                },
                tables={
                    str(name): Table(
                        rows=int(t["rows"]),
                        member=t.get("member"),
                        model=str(t.get("model", "")),
                        columns=[str(c) for c in t.get("columns", [])],
                    )
                    for name, t in data["tables"].items()
                },
                members={
                    str(name): Member(sha256=str(m["sha256"]), size=int(m["size"]))
                    for name, m in data["members"].items()
                },
                media_files=int(data.get("media_files", 0)),
                private_files=int(data.get("private_files", 0)),
                format=fmt,
            )
        except BackupError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupError(f"备份清单 manifest.json 无法解析：{exc}") from exc

    @property
    def total_rows(self) -> int:
        return sum(table.rows for table in self.tables.values())
