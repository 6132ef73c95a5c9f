"""Migrating a DedeCMS 5.7 site: the `dedecms_import` service.

1. The site's tables (dede_arctype, dede_archives, dede_addonarticle, dede_feedback,
   dede_member) are read whole from its MySQL/MariaDB database or from a SQL dump into a
   private spill file (`source.py`): a database that cannot be reached, tables that are
   missing, a dump that is not SQL are refused before anything is written.
2. dede_arctype becomes the column tree (parents first; each column's slug the last part of
   its `typedir`, so /a/news/guonei becomes …/news/guonei/), created hidden from the
   navigation until an editor shows it.
3. Each article (channel 1: dede_archives + dede_addonarticle) becomes an `ArticlePage` in one
   transaction with its tags (keywords), 推荐位 (flag letters → `ArticleSlot`), view count
   (click → `PageViews`), comments (dede_feedback: ischeck 1 approved, else held for review)
   and 301s from every old address. arcrank -1 (待审核) and -2 (回收站) become drafts;
   a members-only article (arcrank > 0) is published behind a login restriction.
   Its cover (litpic) and body images are read from --media-root or fetched from --base-url
   by one `MediaFetcher` per run; an image that cannot be had is reported and, when it has a
   web address, kept as `PendingMedia` for `--retry-media`.

Every object made is recorded in the import ledger under "dede:" + the site's label (the DSN's
host/database, or the dump's database), so a second run skips what exists and brings over only
what is new (comments written since included).
"""

from __future__ import annotations

import ipaddress
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageViewRestriction

from kanwu.articles.models import ArticlePage, ArticleSlot, Flag
from kanwu.columns.models import ColumnPage
from kanwu.core.batching import batched
from kanwu.core.pages import unique_child_slug
from kanwu.importer.dedecms.source import (
    DedeSourceError,
    Row,
    Spill,
    spill_from_dump,
    spill_from_mysql,
)
from kanwu.importer.images import ImageError, image_create_from_bytes
from kanwu.importer.ledger import ledger_find, ledger_record
from kanwu.importer.media import MediaFailure, MediaFetcher
from kanwu.importer.models import PendingMedia
from kanwu.importer.oldlinks import old_path
from kanwu.importer.progress import Progress
from kanwu.importer.report import ImportReport
from kanwu.importer.richtext import PendingImage, plain_title, to_richtext
from kanwu.importer.wordpress.media import URL_MAX, pending_media_record
from kanwu.publishing.models import PageViews
from kanwu.site.services import site_ensure_tree

MAX_MEDIA_BYTES = 5 * 1024 * 1024
SUMMARY_MAX = 300
EMPTY_BODY = "<p></p>"
# DedeCMS writes dates in its $cfg_cli_time zone, UTC+8 unless changed: the YYYYMMDD folder
# of an article's address is that day.
DEDE_TIMEZONE = timezone(timedelta(hours=8))
DEFAULT_NAMERULE = "{typedir}/{Y}{M}{D}/{aid}.html"
ARTICLE_CHANNEL = 1
DRAFT_RANKS = {-1: "待审核", -2: "在回收站中"}
# DedeCMS's placeholder cover and the sources it fills in by default: not a real value.
PLACEHOLDER_PICTURES = {"/images/defaultpic.gif"}
UNKNOWN_SOURCES = {"", "未知"}
FLAGS = set(Flag.values)
_IMG_SRC = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
# DedeCMS's page break in a body, with the next page's title (its editor fills in 分页标题).
_PAGE_BREAK = re.compile(r"#p#(.*?)#e#", re.DOTALL)
PAGE_BREAK_PLACEHOLDER = "分页标题"
_KEYWORD_SPLIT = re.compile(r"[,，、;；\s]+")
_ASCII_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KIND_LABELS = {
    "column": "栏目",
    "article": "文章",
    "comment": "评论",
    "image": "图片",
    "redirect": "旧网址重定向",
    "tag": "文章标签",
    "other": "其他内容",
}


class DedeReport(ImportReport):
    PRODUCT = "DedeCMS"
    KIND_LABELS = KIND_LABELS
    RETRY_HINT = "稍后用同样的参数运行 kanwu import-dedecms 并加上 --retry-media"


def dede_source(label: str) -> str:
    """The name the import ledger files a site's objects under."""
    return "dede:" + label[:190]


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _timestamp(value: Any) -> datetime | None:
    seconds = _int(value)
    return datetime.fromtimestamp(seconds, UTC) if seconds > 0 else None


def _typedir(column: Row) -> str:
    """The column's folder as a site path: {cmspath} (the site's folder, "" by default) out."""
    typedir = str(column.get("typedir") or "").replace("{cmspath}", "").strip()
    return "/" + typedir.strip("/") if typedir.strip("/") else ""


def _page_break(match: re.Match[str]) -> str:
    """One article page for kanwu: the break's own title as a heading, else nothing."""
    title = match.group(1).strip()
    return f"<h2>{title}</h2>" if title and title != PAGE_BREAK_PLACEHOLDER else ""


def _label(archive: Row) -> str:
    return f"#{archive.get('id')}《{plain_title(str(archive.get('title') or '')) or '无标题'}》"


class _Importer:
    def __init__(
        self,
        *,
        spill: Spill,
        source: str,
        media_root: Path | None,
        base_url: str,
        media: MediaFetcher,
        progress: Callable[[Progress], None] | None,
        user: Any,
    ) -> None:
        self.spill = spill
        self.source = source
        self.media_root = media_root.resolve() if media_root else None
        self.base_url = base_url
        self.media = media
        self.progress = progress
        self.user = user
        self.report = DedeReport()
        self.home = site_ensure_tree()
        self.columns: dict[int, ColumnPage] = {}
        self.column_rows: dict[int, Row] = {}
        self.members = spill.members()
        self.item_pending: list[tuple[str, str]] = []  # (url, role) the current article lacks
        self.done = 0
        counts = spill.counts
        self.total = counts["arctype"] + counts["archives"]

    # ----- helpers -----
    def _find(self, key: str) -> Any | None:
        return ledger_find(source=self.source, key=key)

    def _record(self, key: str, obj: Any) -> None:
        ledger_record(source=self.source, key=key, obj=obj)

    def tick(self, items: int = 1) -> None:
        self.done += items
        if self.progress:
            self.progress(self.report.progress(self.done, self.total))

    def _member_name(self, mid: Any) -> str:
        member = self.members.get(_int(mid))
        if member is None:
            return ""
        return str(member.get("uname") or member.get("userid") or "").strip()

    # ----- arctype → columns -----
    def columns_import(self) -> None:
        rows = self.spill.columns()
        self.column_rows = {_int(row["id"]): row for row in rows}
        pending = list(rows)
        while pending:
            ready = [
                row for row in pending
                if _int(row.get("reid")) in self.columns
                or _int(row.get("reid")) not in self.column_rows
            ]  # fmt: skip
            if not ready:
                for row in pending:
                    self.report.skip("column", str(row.get("typename")), "上级栏目构成循环")
                    self.tick()
                return
            for row in ready:
                pending.remove(row)
                self._column(row)
                self.tick()

    def _column(self, row: Row) -> None:
        tid = _int(row["id"])
        name = plain_title(str(row.get("typename") or "")) or f"栏目 {tid}"
        if _int(row.get("ispart")) == 2:
            self.report.skip("column", name, "DedeCMS 的外部链接栏目，不导入")
            return
        key = f"arctype:{tid}"
        parent: Page = self.columns.get(_int(row.get("reid"))) or self.home
        if found := self._find(key):
            self.columns[tid] = found
            self.report.count("column", "existing")
            self._column_redirects(row, found)
            return
        typedir = _typedir(row)
        wanted = slugify(typedir.rsplit("/", 1)[-1]) if typedir else ""
        if wanted and _ASCII_SLUG.match(wanted):
            # A column the site already has under the same slug is this one's home.
            if same := ColumnPage.objects.child_of(parent).filter(slug=wanted).first():
                with transaction.atomic():
                    self._record(key, same)
                    self._column_redirects(row, same)
                self.columns[tid] = same
                self.report.count("column", "existing")
                return
        slug = unique_child_slug(parent, wanted or name)
        with transaction.atomic():
            column = ColumnPage(
                title=name[:255],
                slug=slug,
                intro=str(row.get("description") or "").strip(),
                seo_title=str(row.get("seotitle") or "").strip()[:255],
                show_in_menus=False,  # an editor decides what the navigation shows
            )
            parent.add_child(instance=column)
            column.save_revision(user=self.user).publish(user=self.user)
            self._record(key, column)
            self._column_redirects(row, column)
        self.columns[tid] = column
        self.report.count("column", "imported")

    def _column_redirects(self, row: Row, column: Page) -> None:
        """/plus/list.php?tid=N, the column's folder and its index file. Its list pages
        (list_N_2.html) are answered from the first by `oldlinks.OldAddressMiddleware`."""
        olds = [f"/plus/list.php?tid={_int(row['id'])}"]
        if typedir := _typedir(row):
            olds += [f"{typedir}/", f"{typedir}/{row.get('defaultname') or 'index.html'}"]
        for old in olds:
            self._redirect(old, column)

    def _redirect(self, old: str, page: Page) -> None:
        path = old_path(old)
        new_path = old_path(page.get_url() or page.url_path)
        if path in {"/", new_path}:
            return
        redirect, created = Redirect.objects.get_or_create(
            old_path=path, site=None, defaults={"redirect_page": page, "is_permanent": True}
        )
        if created:
            self.report.count("redirect", "imported")
        elif redirect.redirect_page_id != page.pk:
            self.report.skip("redirect", path, "该旧网址已重定向到其他页面")
        else:
            self.report.count("redirect", "existing")

    # ----- images -----
    def _locate(self, src: str) -> tuple[str, str]:
        """Where an image named `src` is: (URL to fetch, or ""; path under --media-root, or
        ""). A site path is read from --media-root when given, else fetched from --base-url."""
        src = unescape(src).strip()
        parts = urlsplit(src)
        if parts.scheme in {"http", "https"}:
            base = urlsplit(self.base_url) if self.base_url else None
            if self.media_root is not None and base is not None and parts.netloc == base.netloc:
                return "", parts.path
            return src, ""
        if parts.scheme or src.startswith("//"):
            return "", ""
        if self.media_root is not None:
            return "", "/" + parts.path.lstrip("/")
        if self.base_url:
            return urljoin(self.base_url, src), ""
        return "", ""

    def _ledger_key(self, src: str) -> str:
        url, relative = self._locate(src)
        return f"image:{relative or url or src}"

    def _read_file(self, relative: str) -> bytes:
        root = self.media_root or Path()
        target = (root / relative.lstrip("/")).resolve()
        if not target.is_relative_to(root):
            raise ImageError(f"图片路径越出了 --media-root：{relative}")
        if not target.is_file():
            raise ImageError(f"--media-root 中没有文件 {relative}")
        if target.stat().st_size > MAX_MEDIA_BYTES:
            raise ImageError(f"文件超过 5 MB 上限：{relative}")
        return target.read_bytes()

    def _prefetch(self, srcs: list[str]) -> dict[str, bytes | MediaFailure]:
        """The bytes of each image `srcs` names that is not imported yet, or why there are
        none; read and downloaded before the article's transaction (no network inside one)."""
        found: dict[str, bytes | MediaFailure] = {}
        fetch: dict[str, str] = {}  # URL → src
        for src in dict.fromkeys(srcs):
            if self._find(self._ledger_key(src)) is not None:
                continue
            url, relative = self._locate(src)
            if relative:
                if known := self.media.failure(relative):
                    found[src] = known
                    continue
                try:
                    found[src] = self._read_file(relative)
                except ImageError as exc:
                    found[src] = self.media.remember(relative, str(exc))
            elif url:
                fetch[url] = src
            else:
                found[src] = self.media.failure(src) or self.media.remember(
                    src, "没有给出 --media-root 或 --base-url，无法获取这张图片", tried=False
                )
        for url, content in self.media.fetch_all(fetch).items():
            found[fetch[url]] = content
        return found

    def _image(self, src: str, content: bytes | MediaFailure | None, title: str, role: str) -> Any:
        """The Wagtail image for `src` (stored now if fetched), a PendingImage to fetch later,
        or None (reported)."""
        key = self._ledger_key(src)
        if image := self._find(key):
            return image
        if isinstance(content, bytes):
            try:
                image = image_create_from_bytes(content=content, name=src, title=title)
            except ImageError as exc:
                content = self.media.remember(src, str(exc))
            else:
                self._record(key, image)
                self.report.count("image", "imported")
                return image
        url, _ = self._locate(src)
        if url and len(url) <= URL_MAX:
            self.item_pending.append((url, role))
            return PendingImage(url)
        return None

    # ----- archives → articles -----
    def articles_import(self) -> None:
        for archive, addon in self.spill.articles():
            self._article(archive, addon)
            self.tick()

    def _article(self, archive: Row, addon: Row | None) -> None:
        label = _label(archive)
        aid = _int(archive["id"])
        key = f"archive:{aid}"
        if existing := self._find(key):
            self.report.count("article", "existing")
            with transaction.atomic():
                self._redirects(archive, existing)
                self._comments(archive, existing)  # those written since the last run
            return
        channel = _int(archive.get("channel"))
        if channel != ARTICLE_CHANNEL:
            self.report.skip("article", label, f"内容模型 {channel} 不是普通文章，暂不导入")
            return
        if addon is None:
            self.report.skip("article", label, "dede_addonarticle 中没有这篇文章的正文")
            return
        column = self.columns.get(_int(archive.get("typeid")))
        if column is None:
            self.report.skip("article", label, f"所属栏目 {archive.get('typeid')} 不存在或未导入")
            return
        self.item_pending = []
        html = _PAGE_BREAK.sub(_page_break, str(addon.get("body") or ""))
        litpic = str(archive.get("litpic") or "").strip()
        if litpic in PLACEHOLDER_PICTURES:
            litpic = ""
        srcs = [unescape(src) for src in _IMG_SRC.findall(html)] + ([litpic] if litpic else [])
        fetched = self._prefetch(srcs)
        try:
            with transaction.atomic():
                page = self._store(archive, addon, column, html, litpic, fetched)
                self._record(key, page)
                for url, role in dict.fromkeys(self.item_pending):
                    failure = self.media.failure(url)
                    pending_media_record(
                        source=self.source,
                        page=page,
                        url=url,
                        role=role,
                        reason=failure.reason if failure else "",
                        tried=failure.tried if failure else False,
                    )
                    self.report.media_pending += 1
                self._redirects(archive, page)
                self._comments(archive, page)
        except (IntegrityError, ValueError, ValidationError) as exc:
            self.report.skip("article", label, f"保存失败：{exc}", failed=True)
            return
        self.report.count("article", "imported")
        rank = _int(archive.get("arcrank"))
        if rank in DRAFT_RANKS:
            self.report.notes.append(f"{label} 在 DedeCMS 中{DRAFT_RANKS[rank]}，已导入为草稿")
        elif rank > 0:
            self.report.notes.append(
                f"{label} 在 DedeCMS 中只对会员开放（阅读权限 {rank}），已导入为登录后可见"
            )

    def _store(
        self,
        archive: Row,
        addon: Row,
        column: ColumnPage,
        html: str,
        litpic: str,
        fetched: dict[str, bytes | MediaFailure],
    ) -> ArticlePage:
        title = (plain_title(str(archive.get("title") or "")) or "无标题")[:255]

        def resolve(src: str, alt: str) -> int | PendingImage | None:
            image = self._image(src, fetched.get(src), title, PendingMedia.Role.BODY)
            return int(image.pk) if image is not None and hasattr(image, "pk") else image

        body = to_richtext(html, resolve) if html.strip() else ""
        cover = None
        if litpic:
            found = self._image(litpic, fetched.get(litpic), title, PendingMedia.Role.COVER)
            cover = found if hasattr(found, "pk") else None
        date = _timestamp(archive.get("pubdate")) or _timestamp(archive.get("senddate"))
        flags = [letter for letter in str(archive.get("flag") or "").split(",") if letter in FLAGS]
        jump = str(addon.get("redirecturl") or "").strip()
        tags = list(
            dict.fromkeys(
                word[:100]
                for word in _KEYWORD_SPLIT.split(str(archive.get("keywords") or ""))
                if word
            )
        )
        source = str(archive.get("source") or "").strip()
        filename = str(archive.get("filename") or "").strip()
        slug_wanted = slugify(filename) if filename.isascii() else ""
        page = ArticlePage(
            title=title,
            slug=unique_child_slug(column, slug_wanted or title),
            subtitle=plain_title(str(archive.get("shorttitle") or ""))[:255],
            author=(
                str(archive.get("writer") or "").strip() or self._member_name(archive.get("mid"))
            )[:100],
            published_at=date or datetime.now(UTC),
            summary=" ".join(str(archive.get("description") or "").split())[:SUMMARY_MAX],
            body=body or EMPTY_BODY,
            cover=cover,
            source_name="" if source in UNKNOWN_SOURCES else source[:100],
            jump_url=jump[:500] if "j" in flags and urlsplit(jump).scheme in {"http", "https"}
            else "",
            live=False,
            owner=self.user,
        )  # fmt: skip
        page.slots = [ArticleSlot(flag=letter) for letter in dict.fromkeys(flags)]
        if tags:
            self.report.count_tags(tags)
            page.tags.add(*tags)
        column.add_child(instance=page)
        revision = page.save_revision(user=self.user, log_action=True)
        rank = _int(archive.get("arcrank"))
        if rank > 0:  # members only: never public, whatever the cache
            PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.LOGIN
            )
        if rank not in DRAFT_RANKS:
            revision.publish(user=self.user)
            if date is not None:
                Page.objects.filter(pk=page.pk).update(
                    first_published_at=date, last_published_at=date
                )
        if clicks := _int(archive.get("click")):
            PageViews.objects.update_or_create(page=page, defaults={"count": clicks})
        return page

    def _redirects(self, archive: Row, page: Page) -> None:
        """/plus/view.php?aid=N, and the static address DedeCMS wrote for the article under
        its column's naming rule, dated by its send date (and publication date, if another)."""
        aid = _int(archive["id"])
        olds = [f"/plus/view.php?aid={aid}"]
        column = self.column_rows.get(_int(archive.get("typeid")))
        if column is not None and (typedir := _typedir(column)):
            rule = str(column.get("namerule") or "").strip() or DEFAULT_NAMERULE
            rule = rule.lower()
            filename = str(archive.get("filename") or "").strip()
            if filename:
                rule = rule.rsplit("/", 1)[0] + f"/{filename}.html"
            for stamp in dict.fromkeys(_int(archive.get(name)) for name in ("senddate", "pubdate")):
                if stamp <= 0:
                    continue
                day = datetime.fromtimestamp(stamp, DEDE_TIMEZONE)
                address = (
                    rule.replace("{typedir}", typedir)
                    .replace("{y}", f"{day:%Y}")
                    .replace("{m}", f"{day:%m}")
                    .replace("{d}", f"{day:%d}")
                    .replace("{timestamp}", str(stamp))
                    .replace("{aid}", str(aid))
                )
                if "{" not in address:  # {cc}, {pinyin}: not worked out
                    olds.append("/" + address.lstrip("/"))
        for old in dict.fromkeys(olds):
            self._redirect(old, page)

    def _comments(self, archive: Row, page: Page) -> None:
        from kanwu.comments.models import Comment
        from kanwu.comments.services import CommentRefused, comment_import

        for row in self.spill.feedback_of(_int(archive["id"])):
            key = f"feedback:{_int(row['id'])}"
            if self._find(key):
                self.report.count("comment", "existing")
                continue
            label = f"{_label(archive)} 的评论 #{row['id']}"
            body = unescape(_TAGS.sub("", str(row.get("msg") or ""))).strip()
            if not body:
                self.report.skip("comment", label, "评论内容为空")
                continue
            ip = str(row.get("ip") or "").strip()
            try:
                ipaddress.ip_address(ip)
            except ValueError:
                ip = ""
            try:
                created = comment_import(
                    article=page,
                    parent=None,
                    author_name=str(row.get("username") or "").strip()
                    or self._member_name(row.get("mid"))
                    or "匿名",
                    author_email="",
                    body=body,
                    status=Comment.Status.APPROVED
                    if _int(row.get("ischeck")) == 1
                    else Comment.Status.PENDING,
                    created_at=_timestamp(row.get("dtime")) or datetime.now(UTC),
                    ip_address=ip or None,
                )
            except CommentRefused as exc:
                self.report.skip("comment", label, exc.message)
                continue
            self._record(key, created)
            self.report.count("comment", "imported")

    def orphan_comments(self) -> None:
        for row in self.spill.orphan_feedback():
            self.report.skip(
                "comment", f"#{row.get('id')}", f"所评论的文章 {row.get('aid')} 不在数据库中"
            )


@batched
def dedecms_import(
    *,
    source: str,
    charset: str = "",
    prefix: str = "",
    media_root: Path | None = None,
    base_url: str = "",
    progress: Callable[[Progress], None] | None = None,
    user: Any = None,
) -> DedeReport:
    """Import the DedeCMS site at `source` (a mysql:// DSN, or a SQL dump's path); raise
    DedeSourceError, with nothing written, when it or the options cannot be used.

    `progress` hears how far it got: once before the first item, then after each column and
    article."""
    started = time.monotonic()
    if media_root is not None and not media_root.is_dir():
        raise DedeSourceError(f"--media-root 不是一个文件夹：{media_root}")
    if base_url and urlsplit(base_url).scheme not in {"http", "https"}:
        raise DedeSourceError(f"--base-url 应是 http:// 或 https:// 开头的网址：{base_url}")
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    with tempfile.TemporaryDirectory(prefix="kanwu-dedecms-") as folder:
        spill = Spill(Path(folder))
        try:
            if re.match(r"^(mysql|mariadb)://", source, re.IGNORECASE):
                label = spill_from_mysql(spill, source, charset=charset, prefix=prefix)
            elif "://" in source:
                raise DedeSourceError("数据库地址应写成 mysql://用户名:密码@主机:端口/数据库名")
            else:
                label = spill_from_dump(spill, Path(source), charset=charset, prefix=prefix)
            with MediaFetcher() as media:
                importer = _Importer(
                    spill=spill,
                    source=dede_source(label),
                    media_root=media_root,
                    base_url=base_url,
                    media=media,
                    progress=progress,
                    user=user,
                )
                _import(importer)
        finally:
            spill.close()
    report = importer.report
    report.media_failures = list(media.failures.values())
    report.seconds = time.monotonic() - started
    return report


def _import(importer: _Importer) -> None:
    report, spill = importer.report, importer.spill
    report.items = importer.total
    if authors := len(importer.members):
        report.notes.append(f"会员 {authors} 位：作为文章的作者署名和评论者的名字，不创建后台账号")
    importer.tick(0)
    importer.columns_import()
    importer.articles_import()
    importer.orphan_comments()
    if new_columns := report.counts.get("column", Counter())["imported"]:
        report.notes.append(
            f"新导入的 {new_columns} 个栏目没有加入网站导航：请编辑在栏目的“推荐”选项卡中"
            "勾选“在菜单中显示”并发布后，栏目才会出现在导航中"
        )
    if spill.counts["feedback"] == 0:
        report.notes.append("数据库中没有评论（dede_feedback 为空或不存在）")
