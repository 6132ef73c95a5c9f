"""Images a WordPress import could not fetch: kept as `PendingMedia`, fetched again later.

The import leaves a marker in the body where such an image goes (`richtext.PendingImage`,
which readers never see) and a row naming the page, the URL and why. `wordpress_media_retry`
(`kanwu import-wordpress FILE --retry-media`, the run page's 重新获取图片) fetches the
pending URLs with the same per-run fetcher as the import (once each, concurrently, the same
breaker and budgets), stores each image once, puts it where its markers are (or makes it the
cover), and saves one new revision per page: published when the page was live with nothing
unpublished (or scheduled, and the scheduled revision is its latest), else a draft, so an
editor's unpublished work is never published by a retry.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page

from kanwu.core.batching import batched
from kanwu.importer.images import ImageError, image_create_from_bytes
from kanwu.importer.ledger import ledger_find, ledger_record
from kanwu.importer.media import MediaFailure, MediaFetcher, media_failure_lines
from kanwu.importer.models import PendingMedia
from kanwu.importer.progress import Progress
from kanwu.importer.richtext import pending_replace

URL_MAX = PendingMedia._meta.get_field("url").max_length or 2000
# URLs handed to the fetcher together.
RETRY_BATCH = 16


def pending_media_record(
    *,
    source: str,
    page: Page,
    url: str,
    role: str,
    reason: str,
    tried: bool,
    attachment_id: str = "",
) -> PendingMedia:
    """Remember that `page` lacks the image at `url` (its body has the marker, or it has no
    cover), and why."""
    row, created = PendingMedia.objects.get_or_create(
        source=source,
        page=page,
        role=role,
        url=url,
        defaults={
            "attachment_id": attachment_id[:20],
            "reason": reason[:500],
            "attempts": int(tried),
            "last_tried_at": timezone.now() if tried else None,
        },
    )
    if not created:
        _note_failure(row, reason=reason, tried=tried)
    return row


def _note_failure(row: PendingMedia, *, reason: str, tried: bool) -> None:
    row.reason = reason[:500] or row.reason
    fields = ["reason"]
    if tried:
        row.attempts += 1
        row.last_tried_at = timezone.now()
        fields += ["attempts", "last_tried_at"]
    row.save(update_fields=fields)


def pending_media_count(source: str) -> int:
    """How many images pages of the blog `source` still lack."""
    return PendingMedia.objects.filter(source=source).count() if source else 0


@dataclass
class MediaRetryReport:
    pending: int = 0  # rows waiting when the retry began
    urls: int = 0  # distinct URLs among them
    placed: int = 0  # rows done: the image is in the body, or the cover
    left: int = 0  # rows still waiting
    published: int = 0  # pages given a new published (or scheduled) revision
    drafts: int = 0  # pages given a new draft revision
    notes: list[str] = field(default_factory=list)
    failures: list[MediaFailure] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        if not self.pending:
            return ["没有待重新获取的图片。"]
        lines = [
            f"重新获取图片完成：待获取 {self.pending} 处（{self.urls} 个网址），"
            f"已放回 {self.placed} 处，仍未获取 {self.left} 处，用时 {self.seconds:.1f} 秒。"
        ]
        if self.published or self.drafts:
            lines.append(
                f"  更新的页面：发布新版本 {self.published} 个，保存为草稿 {self.drafts} 个"
                "（有未发布修改或未发布的页面只更新草稿）"
            )
        lines += [f"  说明：{note}" for note in self.notes]
        if self.failures:
            lines.append(f"仍未能获取的图片 {len(self.failures)} 个（按主机列出）：")
            lines += media_failure_lines(self.failures)
        if self.left:
            lines.append("这些图片仍在待获取列表中，可稍后再次重新获取。")
        return lines


def _known_image(source: str, url: str, attachment_id: str) -> Any | None:
    """The image an import (or an earlier retry) already made from `url`."""
    found = ledger_find(source=source, key=f"attachment-url:{url}")
    if found is None and attachment_id:
        found = ledger_find(source=source, key=f"attachment:{attachment_id}")
    return found


def _store_image(
    source: str, url: str, content: bytes, title: str, attachment_id: str
) -> Any | None:
    """Save the fetched bytes as an image under the blog's ledger; None if it is no image."""
    try:
        with transaction.atomic():
            image = image_create_from_bytes(content=content, name=url, title=title)
            ledger_record(source=source, key=f"attachment-url:{url}", obj=image)
            if attachment_id:
                ledger_record(source=source, key=f"attachment:{attachment_id}", obj=image)
    except IntegrityError:
        return _known_image(source, url, attachment_id)  # made meanwhile by another run
    return image


def _place(
    page_id: int,
    rows: list[PendingMedia],
    images: dict[str, Any],
    user: Any,
    report: MediaRetryReport,
) -> None:
    """Put the fetched images of one page in place: one new revision for the page. If the
    page cannot be saved, nothing of it changes and its rows stay pending."""
    placed, notes = 0, []
    with transaction.atomic():
        base = Page.objects.filter(pk=page_id).first()
        if base is None:
            return  # deleted meanwhile; its rows went with it
        page = base.specific
        scheduled = page.scheduled_revision
        publish = (page.live and not page.has_unpublished_changes) or (
            scheduled is not None and scheduled.pk == page.latest_revision_id
        )
        target = page.get_latest_revision_as_object()
        for row in rows:
            image = images[row.url]
            if row.role == PendingMedia.Role.COVER:
                if getattr(target, "cover_id", True) is None:
                    target.cover = image
                    placed += 1
                else:
                    notes.append(f"《{page.title}》已有封面，取回的图片未替换它")
            else:
                body, count = pending_replace(target.body or "", row.url, image.pk)
                if count:
                    target.body = body
                    placed += 1
                else:
                    notes.append(
                        f"《{page.title}》的正文中已找不到这张图片的位置（正文可能已被编辑），"
                        f"图片已存入图片库：{row.url}"
                    )
            row.delete()
        if placed:
            revision = target.save_revision(user=user, log_action=True)
            if publish:
                revision.publish(user=user)
    report.placed += placed
    report.notes += notes
    if placed and publish:
        report.published += 1
    elif placed:
        report.drafts += 1


@batched
def wordpress_media_retry(
    *,
    source: str,
    user: Any = None,
    progress: Callable[[Progress], None] | None = None,
) -> MediaRetryReport:
    """Fetch the images pages of the blog `source` lack and put them in place.

    `progress` hears how many of the pending URLs are done."""
    started = time.monotonic()
    report = MediaRetryReport()
    rows = list(PendingMedia.objects.filter(source=source).order_by("pk"))
    report.pending = len(rows)
    urls = list(dict.fromkeys(row.url for row in rows))
    report.urls = len(urls)
    attachment_of = {row.url: row.attachment_id for row in rows if row.attachment_id}
    page_titles = dict(
        Page.objects.filter(pk__in={row.page_id for row in rows}).values_list("pk", "title")
    )
    title_of = {row.url: page_titles.get(row.page_id, "") for row in reversed(rows)}
    done = 0

    def tick(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            failed = len(report.failures)
            progress(Progress(done=done, total=len(urls), failed=failed))

    tick(0)
    images: dict[str, Any] = {}
    for url in urls:
        if image := _known_image(source, url, attachment_of.get(url, "")):
            images[url] = image
    todo = [url for url in urls if url not in images]
    tick(len(urls) - len(todo))
    with MediaFetcher() as media:
        for start in range(0, len(todo), RETRY_BATCH):
            batch = todo[start : start + RETRY_BATCH]
            fetched = media.fetch_all(batch)
            for url in batch:
                content = fetched[url]
                if isinstance(content, bytes):
                    try:
                        image = _store_image(
                            source, url, content, title_of[url], attachment_of.get(url, "")
                        )
                    except ImageError as exc:
                        media.remember(url, str(exc))
                    else:
                        if image is not None:
                            images[url] = image
            report.failures = list(media.failures.values())
            tick(len(batch))
    by_page: dict[int, list[PendingMedia]] = {}
    for row in rows:
        by_page.setdefault(row.page_id, []).append(row)
    for page_id, page_rows in by_page.items():
        ready = [row for row in page_rows if row.url in images]
        if ready:
            try:
                _place(page_id, ready, images, user, report)
            except (ValidationError, IntegrityError, ValueError) as exc:
                title = page_titles.get(page_id, str(page_id))
                report.notes.append(f"《{title}》保存失败，图片仍待放回：{exc}")
        for row in page_rows:
            if row.url not in images and (failure := media.failure(row.url)):
                _note_failure(row, reason=failure.reason, tried=failure.tried)
    report.left = PendingMedia.objects.filter(source=source).count()
    report.seconds = time.monotonic() - started
    return report
