"""What an import run counts and tells the editor at its end, whichever site it reads."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import ClassVar

from kanwu.importer.media import MediaFailure, media_failure_lines
from kanwu.importer.progress import Progress


@dataclass
class ImportReport:
    """Counts per kind and outcome, what was skipped and why, and the images still missing.

    A subclass names the product it imports from, the kinds it counts (in report order, with
    their Chinese labels) and how to fetch the missing images again.
    """

    PRODUCT: ClassVar[str] = ""
    KIND_LABELS: ClassVar[dict[str, str]] = {}
    RETRY_HINT: ClassVar[str] = ""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # kind, item, reason
    # Of `skipped`, what went wrong (a download, a save) rather than what is left out by rule.
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    items: int = 0
    seconds: float = 0.0
    # Images not fetched, and how many of them wait in PendingMedia for --retry-media.
    media_failures: list[MediaFailure] = field(default_factory=list)
    media_pending: int = 0
    tags_seen: set[str] = field(default_factory=set)

    def label(self, kind: str) -> str:
        return self.KIND_LABELS.get(kind, kind)

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += n

    def skip(self, kind: str, item: str, reason: str, *, failed: bool = False) -> None:
        self.count(kind, "skipped")
        self.skipped.append((kind, item, reason))
        if failed:
            self.errors.append(f"[{self.label(kind)}] {item}：{reason}")

    def count_tags(self, names: list[str]) -> None:
        """Each tag once per run (not once per post it is on): new to the site, or existing."""
        from taggit.models import Tag

        new = [name for name in names if name not in self.tags_seen]
        if not new:
            return
        self.tags_seen.update(new)
        known = set(Tag.objects.filter(name__in=new).values_list("name", flat=True))
        self.count("tag", "existing", len(known))
        self.count("tag", "imported", len(new) - len(known))

    def progress(self, done: int, total: int) -> Progress:
        """How far a run is, for its progress bar: `done` of `total` items so far."""
        errors = self.errors
        return Progress(
            done=done,
            total=total,
            skipped=len(self.skipped) - len(errors),
            failed=len(errors),
            errors=list(errors),
        )

    def lines(self) -> list[str]:
        lines = [f"{self.PRODUCT} 导入完成：共 {self.items} 项，用时 {self.seconds:.1f} 秒。"]
        for kind, label in self.KIND_LABELS.items():
            if counter := self.counts.get(kind):
                lines.append(
                    f"  {label}：新导入 {counter['imported']}，已存在 {counter['existing']}，"
                    f"跳过 {counter['skipped']}"
                )
        lines += [f"  说明：{note}" for note in self.notes]
        if self.skipped:
            lines.append("跳过的项目：")
            lines += [
                f"  [{self.label(kind)}] {item}：{reason}" for kind, item, reason in self.skipped
            ]
        if self.media_failures:
            lines.append(f"未能获取的图片 {len(self.media_failures)} 个（按主机列出）：")
            lines += media_failure_lines(self.media_failures)
        if self.media_pending:
            lines.append(
                f"有 {self.media_pending} 处图片待重新获取（正文中已留好位置）：{self.RETRY_HINT}"
            )
        return lines
