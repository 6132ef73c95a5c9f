"""Migrating a WordPress site from its WXR export: the `wordpress_import` service.

1. The whole file is read once (`wxr_check`): malformed, truncated or unsafe files (DTD,
   external entities, entity bombs) are refused before anything is written.
2. Categories become the column tree (parents first), each in its own transaction.
3. Attachments become Wagtail images, from --media-dir when given, else through the safe
   fetcher, a batch at a time (`media.MediaFetcher`: each URL once per run, several at once,
   hosts that do not answer given up, time budgets per host and per run).
4. Posts become articles, pages become simple pages, each item in one transaction with its
   tags, comments and redirects from every old permalink. The images their bodies name are
   downloaded first, concurrently; one that could not be fetched leaves a marker in the body
   (and a missing cover leaves none) and a `PendingMedia` row, so `--retry-media` can put it
   in place later (`wordpress/media.py`).

Every object made is recorded in the import ledger (ImportedItem) under the blog's own address
(`wp:base_blog_url`; two blogs of one network share `base_site_url`), so a second run, or a run
after an aborted one, skips what exists. WordPress "private" posts become unpublished drafts
(not a view restriction): the report lists each one so an editor can decide. A post with a
password (`wp:post_password`) gets a Wagtail password view restriction with that password,
made in the same transaction as the page, so it is never public for a moment.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from html import escape, unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.core import private
from kanwu.core.batching import batched
from kanwu.core.pages import unique_child_slug
from kanwu.core.slugs import pinyin_slug
from kanwu.importer.images import ImageError, image_create_from_bytes
from kanwu.importer.ledger import ledger_find, ledger_move, ledger_record
from kanwu.importer.media import MediaFailure, MediaFetcher
from kanwu.importer.models import PendingMedia
from kanwu.importer.oldlinks import old_path
from kanwu.importer.progress import Progress
from kanwu.importer.report import ImportReport
from kanwu.importer.richtext import PendingImage, plain_text, plain_title, to_richtext
from kanwu.importer.wordpress.markup import ATTACHMENT_SCHEME, convert_content
from kanwu.importer.wordpress.media import URL_MAX, pending_media_record
from kanwu.importer.wordpress.wxr import (
    WxrCategory,
    WxrChannel,
    WxrCheck,
    WxrComment,
    WxrError,
    WxrItem,
    iter_wxr,
    wxr_check,
)
from kanwu.site.models import SimplePage
from kanwu.site.services import site_ensure_tree

IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp"}
MAX_MEDIA_BYTES = 5 * 1024 * 1024
SUMMARY_MAX = 300
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
_IMG_SRC = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_ASCII_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KIND_LABELS = {
    "column": "栏目",
    "post": "文章",
    "page": "单页",
    "attachment": "图片附件",
    "comment": "评论",
    "ping": "引用通告（pingback/trackback）",
    "redirect": "旧网址重定向",
    "tag": "文章标签",
    "other": "其他内容",
}
DRAFT_STATUSES = {"draft", "pending", "private"}
# Rich text that shows nothing: an article's body is required, a WordPress post's may be empty.
EMPTY_BODY = "<p></p>"
PAGE_COMMENTS_REASON = "单页不能带评论（本站的评论只属于文章），未导入"
# WordPress's default category, whatever the site's language ("uncategorized" when English).
DEFAULT_CATEGORY_NAMES = {"uncategorized", "未分类", "未分類"}
# Attachments downloaded together (the fetcher's pool works on one batch at a time).
ATTACHMENT_BATCH = 16


class WxrReport(ImportReport):
    PRODUCT = "WordPress"
    KIND_LABELS = KIND_LABELS
    RETRY_HINT = (
        "稍后运行 kanwu import-wordpress 导出文件 --retry-media，或在后台导入页面点击“重新获取图片”"
    )


def wxr_source(channel: WxrChannel, path: Path) -> str:
    """The name the import ledger files a blog's objects under: "wp:" + the blog's address."""
    return (
        "wp:" + (channel.base_blog_url or channel.base_site_url or channel.link or path.name)[:190]
    )


def _parse_date(gmt: str, local: str) -> datetime | None:
    for value, is_gmt in ((gmt, True), (local, False)):
        if not value or value.startswith("0000"):
            continue
        try:
            parsed = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007
        except ValueError:
            continue
        if is_gmt:
            return parsed.replace(tzinfo=UTC)
        return timezone.make_aware(parsed)
    return None


def _slug(parent: Page, wanted: str, title: str) -> str:
    """The WordPress slug when it is a free ASCII slug; a slug in Chinese, Greek… (WordPress
    keeps it percent-encoded) transliterated, pinyin for Chinese, never what slugify leaves of
    it (the "2" of "καλημέρα-2"); the title's when the slug gives nothing."""
    text = unquote(wanted or "").strip()
    candidate = slugify(text)
    if text.isascii() and _ASCII_SLUG.match(candidate):
        if private.slug_is_available(candidate, parent):
            return candidate[:255]
    elif text and pinyin_slug(text) == "page":
        text = ""  # nothing readable in it
    return unique_child_slug(parent, text or title or "page")


def _item_label(item: WxrItem) -> str:
    return f"#{item.post_id}《{plain_title(item.title) or '无标题'}》"


class _Importer:
    def __init__(
        self,
        *,
        path: Path,
        check: WxrCheck,
        media_dir: Path | None,
        media: MediaFetcher,
        progress: Callable[[Progress], None] | None,
        user: Any,
    ) -> None:
        self.path = path
        self.check = check
        self.media_dir = media_dir.resolve() if media_dir else None
        self.media = media
        self.progress = progress
        self.user = user
        channel = check.channel
        self.source = wxr_source(channel, path)
        # Imports before the ledger was keyed by the blog wrote under the network's address.
        legacy = "wp:" + channel.base_site_url[:190] if channel.base_site_url else ""
        self.legacy_source = legacy if legacy != self.source else ""
        self.attachments_of: dict[str, list[str]] = {}  # WordPress post id → attachment ids
        self.attachment_links: dict[str, list[str]] = {}  # attachment id → its old addresses
        self.failed_attachments: dict[str, str] = {}  # attachment id → its URL, not fetched
        # The current item's images not fetched: (url, role, attachment id).
        self.item_pending: list[tuple[str, str, str]] = []
        self.report = WxrReport()
        self.home = site_ensure_tree()
        self.columns: dict[str, ColumnPage] = {}
        self.deferred_pages: list[tuple[int, str]] = []  # (our page id, WordPress parent id)
        self.done = 0
        self.total = sum(check.counts.values())

    # ----- helpers -----
    def _find(self, key: str, legacy_ok: Callable[[Any], bool] | None = None) -> Any | None:
        """What this blog's earlier imports made for `key`. An entry an older version wrote
        under the network's address counts when `legacy_ok` confirms it is this blog's (the
        network's other blogs wrote there too); it is then moved under the blog's address."""
        found = ledger_find(source=self.source, key=key)
        if found is None and legacy_ok is not None and self.legacy_source:
            old = ledger_find(source=self.legacy_source, key=key)
            if old is not None and legacy_ok(old):
                ledger_move(source=self.legacy_source, to=self.source, key=key)
                found = old
        return found

    def _is_this_items_page(self, item: WxrItem) -> Callable[[Any], bool]:
        """An older import's page is this item's when the item's permalink redirects to it
        (permalinks carry the blog's address) and it has the item's title."""

        def check(page: Any) -> bool:
            if not item.link:
                return False
            return Redirect.objects.filter(
                old_path=old_path(item.link), redirect_page_id=page.pk
            ).exists() and page.title in {item.title[:255], plain_title(item.title)}

        return check

    def _record(self, key: str, obj: Model) -> None:
        ledger_record(source=self.source, key=key, obj=obj)

    def tick(self, items: int = 1) -> None:
        """`items` more handled: tell `progress`."""
        self.done += items
        if self.progress:
            self.progress(self.report.progress(self.done, self.total))

    # ----- categories → columns -----
    def _default_category(self) -> WxrCategory | None:
        for category in self.check.categories:
            names = {unquote(category.nicename).lower(), category.name.strip().lower()}
            if names & DEFAULT_CATEGORY_NAMES:
                return category
        return None

    def categories(self) -> None:
        pending = list(self.check.categories)
        default = self._default_category()
        parents = {category.parent for category in pending}
        if (
            default is not None
            and not self.check.posts_in.get(default.nicename)
            and default.nicename not in parents
        ):
            pending.remove(default)
            self.report.skip("column", default.name, "WordPress 的默认分类，没有文章，不导入")
        known = {category.nicename for category in pending}
        while pending:
            ready = [
                c for c in pending if not c.parent or c.parent in self.columns
                or c.parent not in known  # a parent missing from the file: put it at the top
            ]  # fmt: skip
            if not ready:
                for category in pending:
                    self.report.skip("column", category.name, "上级分类构成循环，无法确定位置")
                return
            for category in ready:
                pending.remove(category)
                self._category(category)

    def _category(self, category: WxrCategory) -> None:
        key = f"category:{category.nicename}"
        if found := self._find(key):
            self.columns[category.nicename] = found
            self.report.count("column", "existing")
            return
        parent: Page = self.columns.get(category.parent) or self.home
        # A column the site already has under the same slug (a Chinese one in pinyin, as
        # `_slug` makes it) is the category's home.
        wanted = unquote(category.nicename)
        slug = slugify(wanted) if wanted.isascii() else pinyin_slug(wanted)
        same = ColumnPage.objects.child_of(parent).filter(slug=slug)
        if category.nicename and (column := same.first()):
            with transaction.atomic():
                self._record(key, column)
            self.columns[category.nicename] = column
            self.report.count("column", "existing")
            return
        with transaction.atomic():
            column = ColumnPage(
                title=(plain_title(category.name) or unquote(category.nicename))[:255],
                slug=_slug(parent, category.nicename, category.name),
                intro=category.description,
                show_in_menus=False,  # an editor decides what the navigation shows
            )
            parent.add_child(instance=column)
            column.save_revision(user=self.user).publish(user=self.user)
            self._record(key, column)
        self.columns[category.nicename] = column
        self.report.count("column", "imported")

    def _default_column(self) -> ColumnPage:
        default = self._default_category() or WxrCategory(
            "uncategorized", "未分类", "", "WordPress 中未分类的文章"
        )
        if column := self.columns.get(default.nicename):
            return column
        self._category(default)
        return self.columns[default.nicename]

    # ----- attachments → images -----
    @staticmethod
    def _media_bytes(media_dir: Path, relative: str) -> bytes:
        target = (media_dir / relative.lstrip("/")).resolve()
        if not target.is_relative_to(media_dir):
            raise ImageError(f"附件路径越出了 --media-dir：{relative}")
        if not target.is_file():
            raise ImageError(f"--media-dir 中没有文件 {relative}")
        if target.stat().st_size > MAX_MEDIA_BYTES:
            raise ImageError(f"文件超过 5 MB 上限：{relative}")
        return target.read_bytes()

    @staticmethod
    def _uploads_path(url: str) -> str:
        path = unquote(urlsplit(url).path)
        marker = "/wp-content/uploads/"
        return path.split(marker, 1)[1] if marker in path else ""

    def _images_bytes(self, wanted: dict[str, str]) -> dict[str, bytes | MediaFailure]:
        """The bytes of each image URL in `wanted` (URL → its path under --media-dir, "" to
        work it out), or why there are none: read from --media-dir when given, else fetched
        together by the run's fetcher."""
        if self.media_dir is None:
            return self.media.fetch_all(wanted)
        found: dict[str, bytes | MediaFailure] = {}
        for url, relative in wanted.items():
            if failure := self.media.failure(url):
                found[url] = failure
                continue
            try:
                relative = relative or self._uploads_path(url)
                if not relative:
                    raise ImageError("无法从网址确定附件在 --media-dir 中的位置")
                found[url] = self._media_bytes(self.media_dir, relative)
            except ImageError as exc:
                found[url] = self.media.remember(url, str(exc))
        return found

    def attachments(self, items: list[WxrItem]) -> None:
        """A batch of attachments: their files fetched together, then stored one by one."""
        urls = [self._attachment_wanted(item) for item in items]
        fetched = self._images_bytes(
            {
                url: item.meta.get("_wp_attached_file", "")
                for item, url in zip(items, urls, strict=True)
                if url
            }
        )
        for item, url in zip(items, urls, strict=True):
            if url:
                self._attachment_store(item, url, fetched[url])
            self.tick()

    def _attachment_wanted(self, item: WxrItem) -> str:
        """The URL of the attachment's file when it is to be imported, else "" (reported)."""
        label = _item_label(item)
        url = item.attachment_url or item.guid

        def same_file(image: Any) -> bool:  # upload URLs carry the blog's address
            found = self._find(f"attachment-url:{url}", legacy_ok=lambda _: True)
            return found is not None and found.pk == image.pk

        self.attachments_of.setdefault(item.post_parent, []).append(item.post_id)
        self.attachment_links[item.post_id] = [
            link for link in (item.link, f"/?attachment_id={item.post_id}") if link
        ]
        if self._find(f"attachment:{item.post_id}", legacy_ok=same_file):
            self.report.count("attachment", "existing")
            return ""
        extension = urlsplit(url).path.rsplit(".", 1)[-1].lower()
        if extension not in IMAGE_EXTENSIONS:
            self.report.skip("attachment", label, f"非图片附件（.{extension}）暂不导入")
            return ""
        return url

    def _attachment_store(self, item: WxrItem, url: str, content: bytes | MediaFailure) -> None:
        label = _item_label(item)
        if isinstance(content, MediaFailure):
            self.failed_attachments[item.post_id] = url
            self.report.skip("attachment", label, content.reason, failed=True)
            return
        try:
            with transaction.atomic():
                image = image_create_from_bytes(
                    content=content, name=url, title=plain_title(item.title)
                )
                self._record(f"attachment:{item.post_id}", image)
                self._record(f"attachment-url:{url}", image)
        except ImageError as exc:
            self.media.remember(url, str(exc))
            self.failed_attachments[item.post_id] = url
            self.report.skip("attachment", label, str(exc), failed=True)
            return
        except IntegrityError:
            self.report.skip("attachment", label, "同一附件网址已导入")
            return
        self.report.count("attachment", "imported")

    def _prefetch(self, html: str) -> dict[str, bytes]:
        """Download images the content uses that are not imported attachments, all together
        and before the item's transaction starts (no network inside a transaction)."""
        wanted: dict[str, str] = {}
        for raw in _IMG_SRC.findall(html):
            src = unescape(raw).strip()
            if src.startswith(ATTACHMENT_SCHEME) or self._image_for_url(src) is not None:
                continue
            if urlsplit(src).scheme not in {"http", "https"}:
                continue
            wanted[src] = ""
        found = self._images_bytes(wanted)
        return {url: content for url, content in found.items() if isinstance(content, bytes)}

    def _pending(self, url: str, role: str, attachment_id: str = "") -> PendingImage | None:
        """`url` could not be fetched: the current item keeps its place for --retry-media
        (not for a URL too long to keep: that image is left out)."""
        if len(url) > URL_MAX:
            return None
        self.item_pending.append((url, role, attachment_id))
        return PendingImage(url)

    def _image_for_url(self, url: str) -> Any | None:
        for candidate in (url, _SIZE_SUFFIX.sub("", url)):
            if image := self._find(f"attachment-url:{candidate}", legacy_ok=lambda _: True):
                return image
        return None

    def _resolver(self, fetched: dict[str, bytes], title: str) -> Callable[[str, str], Any]:
        attachment_ids = {url: pk for pk, url in self.failed_attachments.items()}
        body = PendingMedia.Role.BODY

        def resolve(src: str, alt: str) -> int | PendingImage | None:
            if src.startswith(ATTACHMENT_SCHEME):
                image = self._find(f"attachment:{src.removeprefix(ATTACHMENT_SCHEME)}")
                return image.pk if image is not None else None
            if image := self._image_for_url(src):
                return int(image.pk)
            if src in fetched:
                try:
                    image = image_create_from_bytes(content=fetched[src], name=src, title=title)
                except ImageError as exc:
                    self.media.remember(src, str(exc))
                    return self._pending(src, body)
                self._record(f"attachment-url:{src}", image)
                return int(image.pk)
            if self.media.failure(src) is not None:
                return self._pending(src, body, attachment_ids.get(src, ""))
            return None

        return resolve

    def _body(self, item: WxrItem) -> tuple[str, str, dict[str, bytes]]:
        converted = convert_content(item.content)

        def attachment_src(match: re.Match[str]) -> str:
            # An <img class="wp-image-N"> whose attachment was not imported falls back to its
            # URL: the attachment's own when this run could not fetch it (to fetch later).
            if self._find(f"attachment:{match.group(1)}"):
                return match.group(0)
            if failed := self.failed_attachments.get(match.group(1)):
                return f'src="{escape(failed)}"'
            return f'src="{match.group(2)}"'

        html = re.sub(
            rf'src="{ATTACHMENT_SCHEME}(\d+)" data-src="([^"]*)"', attachment_src, converted.html
        )
        fetched = self._prefetch(html)
        return html, converted.teaser, fetched

    # ----- posts and pages -----
    def item(self, item: WxrItem) -> None:
        kind = item.post_type
        if kind == "attachment":
            return
        if kind not in {"post", "page"}:
            self.report.skip("other", _item_label(item), f"不导入的内容类型 {kind or '未知'}")
            return
        key = f"{kind}:{item.post_id}"
        if existing := self._find(key, legacy_ok=self._is_this_items_page(item)):
            self.report.count(kind, "existing")
            with transaction.atomic():
                self._redirects(item, existing)  # old addresses later versions know
                if item.post_password and self._restrict(item, existing):
                    self.report.notes.append(
                        f"{_item_label(item)} 在 WordPress 中设有密码，已为之前导入的页面加上"
                        "同样的密码，读者输入密码后才能阅读"
                    )
                # Comments written since the last export still come over.
                self._comments(item, existing)
            return
        if item.status == "trash":
            self.report.skip(kind, _item_label(item), "已在 WordPress 回收站中")
            return
        if item.status in {"auto-draft", "inherit"}:
            self.report.skip(kind, _item_label(item), f"状态为 {item.status}，不是正式内容")
            return
        self.item_pending = []
        html, teaser, fetched = self._body(item)
        try:
            with transaction.atomic():
                page = self._store(item, html, teaser, fetched)
                self._record(key, page)
                self._record_pending(page)
                self._redirects(item, page)
                self._comments(item, page)
        except (IntegrityError, ValueError, ValidationError) as exc:
            self.report.skip(kind, _item_label(item), f"保存失败：{exc}", failed=True)
            return
        self.report.count(kind, "imported")
        if item.status == "private":
            self.report.notes.append(
                f"{_item_label(item)} 在 WordPress 中为私密，已导入为未发布的草稿"
            )
        elif item.status == "pending":
            self.report.notes.append(f"{_item_label(item)} 在 WordPress 中待审，已导入为草稿")
        if item.post_password:
            self.report.notes.append(
                f"{_item_label(item)} 在 WordPress 中设有密码，已导入为需要同一密码才能阅读的页面"
            )
        if page.body in {"", EMPTY_BODY}:
            self.report.notes.append(f"{_item_label(item)} 正文为空，已按空正文导入")

    def _record_pending(self, page: Page) -> None:
        """The images the item's page lacks, kept for --retry-media."""
        for url, role, attachment_id in dict.fromkeys(self.item_pending):
            failure = self.media.failure(url)
            pending_media_record(
                source=self.source,
                page=page,
                url=url,
                role=role,
                attachment_id=attachment_id,
                reason=failure.reason if failure else "",
                tried=failure.tried if failure else False,
            )
            self.report.media_pending += 1

    def _restrict(self, item: WxrItem, page: Page) -> bool:
        """Give `page` the item's password (a Wagtail view restriction); False if it had one."""
        if PageViewRestriction.objects.filter(page=page).exists():
            return False
        PageViewRestriction.objects.create(
            page=page,
            restriction_type=PageViewRestriction.PASSWORD,
            password=item.post_password[:255],
        )
        return True

    def _store(self, item: WxrItem, html: str, teaser: str, fetched: dict[str, bytes]) -> Page:
        date = _parse_date(item.post_date_gmt, item.post_date)
        title = (plain_title(item.title) or "无标题")[:255]
        body = to_richtext(html, self._resolver(fetched, title))
        page: Page
        if item.post_type == "post":
            categories = [slug for domain, slug, _ in item.categories if domain == "category"]
            column = (
                next((self.columns[slug] for slug in categories if slug in self.columns), None)
                or self._default_column()
            )
            tags = list(
                dict.fromkeys(
                    name for domain, _, name in item.categories if domain == "post_tag" and name
                )
            )
            self.report.count_tags(tags)
            excerpt = (
                " ".join(plain_text(to_richtext(item.excerpt)).split()) if item.excerpt else ""
            )
            author = self.check.authors.get(item.creator)
            cover = None
            if thumbnail := item.meta.get("_thumbnail_id"):
                cover = self._find(f"attachment:{thumbnail}")
                if cover is None and (failed := self.failed_attachments.get(thumbnail)):
                    self._pending(failed, PendingMedia.Role.COVER, thumbnail)
            page = ArticlePage(
                title=title,
                slug=_slug(column, item.post_name, title),
                author=(author.display_name if author else item.creator)[:100],
                published_at=date or timezone.now(),
                summary=(excerpt or teaser)[:SUMMARY_MAX],
                body=body or EMPTY_BODY,
                sticky=item.is_sticky,
                cover=cover,
                live=False,
                owner=self.user,
                # Written by kanwu's own export (`kanwu export-wordpress`).
                subtitle=item.meta.get("_kanwu_subtitle", "")[:255],
                is_repost=item.meta.get("_kanwu_is_repost") == "1",
                source_name=item.meta.get("_kanwu_source_name", "")[:100],
                source_url=item.meta.get("_kanwu_source_url", "")[:500],
            )
            if tags:
                page.tags.add(*tags)
            column.add_child(instance=page)
        else:
            parent: Page = self.home
            wp_parent = item.post_parent if item.post_parent not in {"", "0"} else ""
            if wp_parent and (found := self._find(f"page:{wp_parent}")):
                parent = found
            page = SimplePage(
                title=title,
                slug=_slug(parent, item.post_name, title),
                body=body,
                live=False,
                owner=self.user,
            )
            parent.add_child(instance=page)
            if wp_parent and parent == self.home:
                self.deferred_pages.append((page.pk, wp_parent))
        if item.post_password:
            self._restrict(item, page)  # before it is published: never public for a moment
        self._publish(item, page, date)
        return page

    def _publish(self, item: WxrItem, page: Page, date: datetime | None) -> None:
        if item.status == "future" and date is not None:
            page.go_live_at = date
        revision = page.save_revision(user=self.user, log_action=True)
        if item.status in {"publish", "future"}:
            revision.publish(user=self.user)
            if item.status == "publish" and date is not None:
                Page.objects.filter(pk=page.pk).update(
                    first_published_at=date, last_published_at=date
                )

    def _redirects(self, item: WxrItem, page: Page) -> None:
        query = "page_id" if item.post_type == "page" else "p"
        olds = [item.link, f"/?{query}={item.post_id}"]
        if "?" in item.guid:
            olds.append(item.guid)
        # The pages of the post's attachments (WordPress shows each under its post).
        for attachment_id in self.attachments_of.pop(item.post_id, []):
            olds += self.attachment_links.pop(attachment_id, [])
        # One redirect per stored address (the guid `http://host/?p=1` is `/?p=1` again).
        for old in {old_path(old): old for old in olds if old}.values():
            self._redirect(old, page=page)

    def _redirect(self, old: str, *, page: Page | None = None, link: str = "") -> None:
        """A 301 from the old address `old` to `page` (or to `link`), once."""
        path = old_path(old)
        if page is not None:
            target: dict[str, Any] = {"redirect_page": page}
            new_path = old_path(page.get_url() or page.url_path)
        else:
            target, new_path = {"redirect_link": link}, old_path(link)
        if path in {"/", new_path}:
            return
        redirect, created = Redirect.objects.get_or_create(
            old_path=path, site=None, defaults={**target, "is_permanent": True}
        )
        if created:
            self.report.count("redirect", "imported")
        elif (
            redirect.redirect_page_id != page.pk
            if page is not None
            else redirect.redirect_link != link
        ):
            self.report.skip("redirect", path, "该旧网址已重定向到其他页面")
        else:
            self.report.count("redirect", "existing")

    def term_redirects(self) -> None:
        """?cat=, /category/…/, ?tag= and /tag/…/: to the columns and tag pages."""
        from taggit.models import Tag

        from kanwu.articles.selectors import tag_url

        by_nicename = {category.nicename: category for category in self.check.categories}
        for category in self.check.categories:
            column = self.columns.get(category.nicename)
            if column is None:
                continue
            trail: list[str] = []
            seen: set[str] = set()
            current: WxrCategory | None = category
            while current is not None and current.nicename not in seen:
                seen.add(current.nicename)
                trail.insert(0, current.nicename)
                current = by_nicename.get(current.parent)
            with transaction.atomic():
                if category.term_id:
                    self._redirect(f"/?cat={category.term_id}", page=column)
                self._redirect(f"/category/{'/'.join(trail)}/", page=column)
        slugs = {
            tag.name: tag.slug for tag in Tag.objects.filter(name__in=self.report.tags_seen | {
                t.name for t in self.check.tags
            })
        }  # fmt: skip
        for wp_tag in self.check.tags:
            if (slug := slugs.get(wp_tag.name)) is None or not wp_tag.slug:
                continue  # on no imported post
            with transaction.atomic():
                self._redirect(f"/?tag={wp_tag.slug}", link=tag_url(slug))
                self._redirect(f"/tag/{wp_tag.slug}/", link=tag_url(slug))

    def attachment_redirects(self) -> None:
        """Attachments on no imported post: their old pages go to the image itself."""
        for attachment_id, olds in self.attachment_links.items():
            image = self._find(f"attachment:{attachment_id}")
            if image is None:
                continue
            with transaction.atomic():
                for old in olds:
                    self._redirect(old, link=image.file.url)

    def _comments(self, item: WxrItem, page: Page) -> None:
        from kanwu.comments.models import Comment
        from kanwu.comments.services import CommentRefused, comment_import

        statuses = {"1": Comment.Status.APPROVED, "0": Comment.Status.PENDING}
        by_id = {comment.comment_id: comment for comment in item.comments}
        made: dict[str, Comment] = {}
        skipped: set[str] = set()

        def parent_of(comment: WxrComment) -> Comment | None:
            # Replies to a skipped (spam/trash) comment hang on its nearest kept ancestor.
            seen: set[str] = set()
            current = comment.parent
            while current and current != "0" and current not in seen:
                seen.add(current)
                if current in made:
                    return made[current]
                parent = by_id.get(current)
                current = parent.parent if parent else ""
            return None

        ordered = sorted(item.comments, key=lambda c: int(c.comment_id or 0))
        for comment in ordered:
            label = f"{_item_label(item)} 的评论 #{comment.comment_id}"
            if comment.approved in {"spam", "trash"}:
                skipped.add(comment.comment_id)
                self.report.skip(
                    "comment", label, "垃圾评论" if comment.approved == "spam" else "已在回收站"
                )
                continue
            if comment.comment_type in {"pingback", "trackback"}:
                self.report.skip("ping", label, f"引用通告（{comment.comment_type}）不导入")
                continue
            if not isinstance(page, ArticlePage):
                self.report.skip("comment", label, PAGE_COMMENTS_REASON)
                continue
            key = f"comment:{comment.comment_id}"

            def on_this_page(found: Any, page: Page = page) -> bool:
                return bool(found.article_id == page.pk)

            if found := self._find(key, legacy_ok=on_this_page):
                made[comment.comment_id] = found
                self.report.count("comment", "existing")
                continue
            try:
                created = comment_import(
                    article=page,
                    parent=parent_of(comment),
                    author_name=comment.author or "匿名",
                    author_email=comment.email,
                    author_url=comment.url,
                    body=comment.content,
                    status=statuses.get(comment.approved, Comment.Status.PENDING),
                    created_at=_parse_date(comment.date_gmt, comment.date) or timezone.now(),
                )
            except CommentRefused as exc:
                self.report.skip("comment", label, exc.message)
                continue
            self._record(key, created)
            made[comment.comment_id] = created
            self.report.count("comment", "imported")

    def fix_page_parents(self) -> None:
        for page_id, wp_parent in self.deferred_pages:
            parent = self._find(f"page:{wp_parent}")
            page = SimplePage.objects.filter(pk=page_id).first()
            if parent is None or page is None:
                continue
            with transaction.atomic():
                page.slug = _slug(parent, page.slug, page.title)
                page.save(update_fields=["slug"], clean=False)
                page.move(parent, pos="last-child", user=self.user)


@batched
def wordpress_import(
    *,
    path: Path,
    media_dir: Path | None = None,
    progress: Callable[[Progress], None] | None = None,
    user: Any = None,
) -> WxrReport:
    """Import a WXR file; raise WxrError (nothing written) if the file or options are bad.

    `progress` hears how far it got: once before the first item (0 of the file's items), then
    after each item. The search index, recommendations, Wagtail's indexes and the static
    export hear of the items in batches (`core.batching`), also of those saved before an
    error stops the import."""
    started = time.monotonic()
    if media_dir is not None and not media_dir.is_dir():
        raise WxrError(f"--media-dir 不是一个文件夹：{media_dir}")
    check = wxr_check(path)
    with MediaFetcher() as media:
        importer = _Importer(
            path=path, check=check, media_dir=media_dir, media=media, progress=progress, user=user
        )
        _import(importer, path)
    report = importer.report
    report.media_failures = list(media.failures.values())
    report.seconds = time.monotonic() - started
    return report


def _import(importer: _Importer, path: Path) -> None:
    check, report = importer.check, importer.report
    report.items = sum(check.counts.values())
    if check.authors:
        report.notes.append(
            f"作者 {len(check.authors)} 位：导入为文章的作者署名（显示名），不创建后台账号"
        )
    importer.tick(0)
    importer.categories()
    batch: list[WxrItem] = []
    for obj in iter_wxr(path):
        if isinstance(obj, WxrItem) and obj.post_type == "attachment":
            batch.append(obj)
            if len(batch) >= ATTACHMENT_BATCH:
                importer.attachments(batch)
                batch = []
    if batch:
        importer.attachments(batch)
    for obj in iter_wxr(path):
        if isinstance(obj, WxrItem) and obj.post_type != "attachment":
            importer.item(obj)
            importer.tick()
    importer.fix_page_parents()
    importer.term_redirects()
    importer.attachment_redirects()
    if new_columns := report.counts.get("column", Counter())["imported"]:
        report.notes.append(
            f"新导入的 {new_columns} 个栏目没有加入网站导航：请编辑在栏目的“推荐”选项卡中"
            "勾选“在菜单中显示”并发布后，栏目才会出现在导航中"
        )
