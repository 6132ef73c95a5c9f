"""Reposting an article from a web page: fetch → decode → extract → store as a draft."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.core.pages import unique_child_slug
from kanwu.importer.decode import decode_html
from kanwu.importer.duplicates import (
    REFRESH_PER_IMPORT,
    article_with_source,
    fingerprint_save,
    fingerprints_refresh,
    near_duplicates,
)
from kanwu.importer.extract import ExtractError, extract_article
from kanwu.importer.images import ImageError, image_create_from_bytes, image_download
from kanwu.importer.ledger import ledger_find, ledger_record
from kanwu.importer.richtext import plain_text, to_richtext
from kanwu.importer.simhash import simhash
from kanwu.safefetch import Accept, FetchError, fetch

SOURCE = "url"
IMAGE_SOURCE = "image-url"


class Status(enum.Enum):
    IMPORTED = "imported"
    SKIPPED = "skipped"
    FAILED = "failed"


STATUS_LABELS = {Status.IMPORTED: "已导入", Status.SKIPPED: "已跳过", Status.FAILED: "失败"}


@dataclass
class UrlOutcome:
    url: str
    status: Status
    message: str = ""
    page: ArticlePage | None = None
    existing: ArticlePage | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    def as_line(self) -> dict[str, Any]:
        """The outcome as the results table shows it (and a queued run stores it as JSON)."""
        page = self.page or self.existing
        return {
            "url": self.url,
            "status": self.status.value,
            "label": self.label,
            "message": self.message,
            "warnings": list(self.warnings),
            "title": page.title if page is not None else "",
            "edit_url": admin_edit_url(page) if page is not None else "",
            "existing": self.existing is not None,
        }


def admin_edit_url(page: Any) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def _already(url: str, page: ArticlePage, why: str) -> UrlOutcome:
    return UrlOutcome(
        url=url,
        status=Status.SKIPPED,
        message=f"{why}：《{page.title}》（{admin_edit_url(page)}）",
        existing=page,
    )


def _aware(value: datetime | None) -> datetime:
    if value is None:
        return timezone.now()
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def article_import_from_url(
    *,
    url: str,
    column: ColumnPage,
    big5_to_simplified: bool = False,
    remote_images: bool | None = None,
    user: Any = None,
) -> UrlOutcome:
    """Import the article at `url` as a draft repost under `column`; never raises for bad
    input: the outcome says what happened and why."""
    url = url.strip()
    if remote_images is None:
        remote_images = bool(getattr(settings, "KANWU_IMPORT_REMOTE_IMAGES", False))
    done = ledger_find(source=SOURCE, key=url)
    if isinstance(done, ArticlePage):
        return _already(url, done, "此网址已导入过")
    if existing := article_with_source([url]):
        return _already(url, existing, "相同来源网址的文章已存在")
    try:
        result = fetch(url, accept=Accept.PAGE)
        decoded = decode_html(result.content, result.charset, big5_to_simplified=big5_to_simplified)
        extracted = extract_article(decoded.text, result.url)
    except (FetchError, ExtractError) as exc:
        return UrlOutcome(url=url, status=Status.FAILED, message=str(exc))
    keys = [key for key in dict.fromkeys([url, result.url, extracted.canonical_url]) if key]
    for key in keys[1:]:
        done = ledger_find(source=SOURCE, key=key)
        if isinstance(done, ArticlePage):
            return _already(url, done, "此网址已导入过")
    if existing := article_with_source(keys):
        return _already(url, existing, "相同来源网址的文章已存在")

    warnings: list[str] = []
    if decoded.traditional_converted:
        warnings.append("原文为繁体（Big5），已转换为简体")
    fingerprints_refresh(limit=REFRESH_PER_IMPORT)
    for similar in near_duplicates(extracted.text):
        warnings.append(
            f"正文与已有文章《{similar.title}》高度相似（{admin_edit_url(similar)}），请核对"
        )
    downloaded: dict[str, bytes] = {}
    if not remote_images:
        for image_url in extracted.image_urls:
            try:
                downloaded[image_url] = image_download(image_url)
            except FetchError as exc:
                warnings.append(f"图片未能下载，已略去：{exc}")

    try:
        with transaction.atomic():
            page = _store(
                url=url,
                keys=keys,
                column=column,
                extracted=extracted,
                downloaded=downloaded,
                remote_images=remote_images,
                warnings=warnings,
                user=user,
            )
    except IntegrityError:
        # Another import of the same URL finished first.
        done = ledger_find(source=SOURCE, key=url)
        if isinstance(done, ArticlePage):
            return _already(url, done, "此网址已导入过")
        return UrlOutcome(url=url, status=Status.FAILED, message="保存时发生冲突，请重试")
    return UrlOutcome(url=url, status=Status.IMPORTED, page=page, warnings=warnings)


def _store(
    *,
    url: str,
    keys: list[str],
    column: ColumnPage,
    extracted: Any,
    downloaded: dict[str, bytes],
    remote_images: bool,
    warnings: list[str],
    user: Any,
) -> ArticlePage:
    images: dict[str, Any] = {}
    for image_url, content in downloaded.items():
        reused = ledger_find(source=IMAGE_SOURCE, key=image_url)
        if reused is not None:
            images[image_url] = reused
            continue
        try:
            image = image_create_from_bytes(
                content=content, name=image_url, title=extracted.title[:200]
            )
        except ImageError as exc:
            warnings.append(f"图片无法使用，已略去（{image_url}）：{exc}")
            continue
        ledger_record(source=IMAGE_SOURCE, key=image_url, obj=image)
        images[image_url] = image

    def resolve(src: str, alt: str) -> int | str | None:
        if remote_images:
            return src
        image = images.get(src)
        return image.pk if image is not None else None

    body = to_richtext(extracted.body_html, resolve)
    first_image = next(iter(images.values()), None)
    page = ArticlePage(
        title=extracted.title,
        # Drafts skip full_clean (Wagtail only runs minimal_clean), so the slug is made here.
        slug=unique_child_slug(column, extracted.title),
        author=extracted.author,
        published_at=_aware(extracted.published_at),
        body=body,
        cover=first_image,
        is_repost=True,
        source_name=extracted.source_name,
        source_url=(extracted.canonical_url or url)[:500],
        live=False,
        owner=user,
    )
    column.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    for key in keys:
        ledger_record(source=SOURCE, key=key, obj=page)
    fingerprint_save(page=page, value=simhash(plain_text(body)))
    return page
