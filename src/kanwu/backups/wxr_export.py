"""The whole site as a WordPress export (WXR 1.2), written as a stream.

WordPress's importer (and kanwu's `import-wordpress`) read it: columns become categories
(nicename = slug, `wp:category_parent` keeps the tree), articles become posts (source, subtitle
and repost flag as `_kanwu_*` postmeta, the cover as an attachment item and `_thumbnail_id`),
tags become tags, approved comments keep their threading (`wp:comment_parent`), 单页 become
`page` items under their parents (`wp:post_parent`), and every image is an attachment item.

Nothing is built whole in memory: `XmlWriter` writes each element as it goes, articles are
read in primary-key batches with their tags, comments and images, and text goes into CDATA
sections (a `]]>` inside is split across two sections), with characters XML 1.0 cannot carry
removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from typing import IO, Any
from xml.sax.saxutils import quoteattr  # nosec B406 (writes XML: no parsing)

from django.db.models import Max
from django.utils import timezone
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.rich_text.rewriters import extract_attrs

from kanwu.articles.models import ArticlePage, ArticleTag
from kanwu.columns.models import ColumnPage
from kanwu.comments.models import ArticleCommentState, Comment
from kanwu.site.models import SimplePage, SiteSettings

WXR_VERSION = "1.2"
NAMESPACES = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
}
BATCH = 500
# Characters XML 1.0 does not allow, even in CDATA.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EMBED = re.compile(r"<embed(\b[^>]*?)\s*/?>")
_LINK = re.compile(r"<a(\b[^>]*\blinktype=\"[^\"]*\"[^>]*)>")

Progress = Callable[[int, int], None]


def clean(text: str) -> str:
    return _INVALID.sub("", text)


def cdata(text: str) -> str:
    """`text` as CDATA; a `]]>` inside ends one section and starts the next."""
    return "<![CDATA[" + clean(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


class XmlWriter:
    """A minimal incremental writer: elements go to `out` as soon as they are written."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.open_tags: list[str] = []

    def start(self, tag: str, attrs: dict[str, str] | None = None) -> None:
        attributes = "".join(f" {k}={quoteattr(clean(v))}" for k, v in (attrs or {}).items())
        self.out.write(f"<{tag}{attributes}>\n")
        self.open_tags.append(tag)

    def end(self, tag: str) -> None:
        if self.open_tags.pop() != tag:  # pragma: no cover - a bug in this module
            raise ValueError(f"</{tag}> closes another element")
        self.out.write(f"</{tag}>\n")

    def element(
        self,
        tag: str,
        text: str | int = "",
        *,
        raw: bool = False,
        attrs: dict[str, str] | None = None,
    ) -> None:
        """<tag>text</tag>: escaped, or as CDATA when `raw` (text that may hold markup)."""
        attributes = "".join(f" {k}={quoteattr(clean(v))}" for k, v in (attrs or {}).items())
        value = str(text)
        body = cdata(value) if raw else escape(clean(value), quote=False)
        self.out.write(f"<{tag}{attributes}>{body}</{tag}>\n")


@dataclass
class ExportCounts:
    columns: int = 0
    articles: int = 0
    pages: int = 0
    comments: int = 0
    images: int = 0
    tags: int = 0
    authors: int = 0
    extra: dict[str, int] = field(default_factory=dict)


def _wp_date(value: datetime | None) -> tuple[str, str]:
    """(local, GMT) as WordPress writes post_date and post_date_gmt."""
    if value is None:
        return "0000-00-00 00:00:00", "0000-00-00 00:00:00"
    local = timezone.localtime(value)
    return f"{local:%Y-%m-%d %H:%M:%S}", f"{value.astimezone(UTC):%Y-%m-%d %H:%M:%S}"


class _Exporter:
    def __init__(self, out: IO[str], progress: Progress | None) -> None:
        self.xml = XmlWriter(out)
        self.progress = progress
        self.counts = ExportCounts()
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        self.base = (site.root_url if site else "http://localhost").rstrip("/")
        self.home_path = site.root_page.url_path if site else "/"
        self.site_name = self._site_name(site)
        top = Page.objects.aggregate(top=Max("pk"))["top"] or 0
        # Attachments are posts too in WordPress: their ids follow the pages' ids.
        self.attachment_offset = top
        self.authors: dict[str, str] = {}
        self.category_names: dict[int, str] = {}
        self.total = 0
        self.done = 0

    @staticmethod
    def _site_name(site: Site | None) -> str:
        if site is None:
            return "kanwu"
        settings = SiteSettings.objects.filter(site=site).first()
        return (settings.site_name if settings else "") or site.site_name or "kanwu"

    def url(self, url_path: str) -> str:
        if url_path.startswith(self.home_path):
            url_path = "/" + url_path[len(self.home_path) :]
        return self.base + url_path

    def media_url(self, url: str) -> str:
        return self.base + url if url.startswith("/") else url

    def tick(self) -> None:
        self.done += 1
        if self.progress and (self.done % 100 == 0 or self.done == self.total):
            self.progress(self.done, self.total)

    # ----- the document -----
    def write(self) -> ExportCounts:
        xml = self.xml
        xml.out.write('<?xml version="1.0" encoding="UTF-8" ?>\n')
        names = " ".join(f"xmlns:{prefix}={quoteattr(uri)}" for prefix, uri in NAMESPACES.items())
        xml.out.write(f'<rss version="2.0" {names}>\n')
        xml.start("channel")
        xml.element("title", self.site_name)
        xml.element("link", self.base)
        xml.element("description", f"{self.site_name}（由 kanwu 导出）")
        xml.element("pubDate", format_datetime(timezone.now().astimezone(UTC), usegmt=True))
        xml.element("language", "zh-CN")
        xml.element("wp:wxr_version", WXR_VERSION)
        xml.element("wp:base_site_url", self.base)
        xml.element("wp:base_blog_url", self.base)
        articles = ArticlePage.objects.all()
        self.total = articles.count() + SimplePage.objects.count()
        self.write_authors()
        self.write_categories()
        self.write_tags()
        xml.element("generator", "kanwu")
        self.write_attachments()
        self.write_pages()
        self.write_articles()
        xml.end("channel")
        xml.out.write("</rss>\n")
        return self.counts

    def write_authors(self) -> None:
        names = (
            ArticlePage.objects.exclude(author="")
            .order_by("author")
            .values_list("author", flat=True)
            .distinct()
        )
        for number, name in enumerate(names, start=1):
            login = f"author-{number}"
            self.authors[name] = login
            self.xml.start("wp:author")
            self.xml.element("wp:author_id", number)
            self.xml.element("wp:author_login", login, raw=True)
            self.xml.element("wp:author_email", "", raw=True)
            self.xml.element("wp:author_display_name", name, raw=True)
            self.xml.element("wp:author_first_name", "", raw=True)
            self.xml.element("wp:author_last_name", "", raw=True)
            self.xml.end("wp:author")
        self.counts.authors = len(self.authors)

    def write_categories(self) -> None:
        columns = list(
            ColumnPage.objects.order_by("path").values("pk", "slug", "title", "intro", "path")
        )
        by_path = {c["path"]: c for c in columns}
        used: set[str] = set()
        for column in columns:
            nicename = column["slug"]
            number = 2
            while nicename in used:
                nicename = f"{column['slug']}-{number}"
                number += 1
            used.add(nicename)
            self.category_names[column["pk"]] = nicename
        for number, column in enumerate(columns, start=1):
            parent = by_path.get(column["path"][: -Page.steplen])
            self.xml.start("wp:category")
            self.xml.element("wp:term_id", number)
            self.xml.element("wp:category_nicename", self.category_names[column["pk"]], raw=True)
            self.xml.element(
                "wp:category_parent",
                self.category_names[parent["pk"]] if parent else "",
                raw=True,
            )
            self.xml.element("wp:cat_name", column["title"], raw=True)
            self.xml.element("wp:category_description", column["intro"], raw=True)
            self.xml.end("wp:category")
        self.counts.columns = len(columns)
        self.column_titles = {c["pk"]: c["title"] for c in columns}

    def write_tags(self) -> None:
        tags = Tag.objects.filter(pk__in=ArticleTag.objects.values("tag_id")).order_by("name")
        first = self.counts.columns + 1
        for number, tag in enumerate(tags.iterator(), start=first):
            self.xml.start("wp:tag")
            self.xml.element("wp:term_id", number)
            self.xml.element("wp:tag_slug", tag.slug, raw=True)
            self.xml.element("wp:tag_name", tag.name, raw=True)
            self.xml.end("wp:tag")
            self.counts.tags += 1

    # ----- items -----
    def _item_start(
        self, *, title: str, link: str, post_id: int, date: datetime | None, creator: str
    ) -> None:
        xml = self.xml
        xml.start("item")
        xml.element("title", title, raw=True)
        xml.element("link", link)
        xml.element(
            "pubDate", format_datetime((date or timezone.now()).astimezone(UTC), usegmt=True)
        )
        xml.element("dc:creator", creator, raw=True)
        xml.element("guid", f"{self.base}/?p={post_id}", attrs={"isPermaLink": "false"})
        xml.element("description", "")

    def _post_fields(
        self, *, post_id: int, date: datetime | None, modified: datetime | None, name: str,
        status: str, parent: int, kind: str, comments_open: bool = True, sticky: bool = False,
    ) -> None:  # fmt: skip
        xml = self.xml
        xml.element("wp:post_id", post_id)
        local, gmt = _wp_date(date)
        xml.element("wp:post_date", local, raw=True)
        xml.element("wp:post_date_gmt", gmt, raw=True)
        local, gmt = _wp_date(modified or date)
        xml.element("wp:post_modified", local, raw=True)
        xml.element("wp:post_modified_gmt", gmt, raw=True)
        xml.element("wp:comment_status", "open" if comments_open else "closed", raw=True)
        xml.element("wp:ping_status", "closed", raw=True)
        xml.element("wp:post_name", name, raw=True)
        xml.element("wp:status", status, raw=True)
        xml.element("wp:post_parent", parent)
        xml.element("wp:menu_order", 0)
        xml.element("wp:post_type", kind, raw=True)
        xml.element("wp:post_password", "", raw=True)
        xml.element("wp:is_sticky", int(sticky))

    def _meta(self, key: str, value: str) -> None:
        self.xml.start("wp:postmeta")
        self.xml.element("wp:meta_key", key, raw=True)
        self.xml.element("wp:meta_value", value, raw=True)
        self.xml.end("wp:postmeta")

    @staticmethod
    def _status(page: Page) -> str:
        if page.live:
            return "publish"
        if page.go_live_at and page.go_live_at > timezone.now():
            return "future"
        return "draft"

    def write_attachments(self) -> None:
        images = get_image_model().objects.order_by("pk")
        for image in images.iterator(chunk_size=BATCH):
            url = self.media_url(image.file.url)
            post_id = self.attachment_offset + image.pk
            self._item_start(
                title=image.title, link=url, post_id=post_id, date=image.created_at, creator=""
            )
            self.xml.element("content:encoded", "", raw=True)
            self.xml.element("excerpt:encoded", "", raw=True)
            self._post_fields(
                post_id=post_id, date=image.created_at, modified=None,
                name=f"image-{image.pk}", status="inherit", parent=0, kind="attachment",
            )  # fmt: skip
            self.xml.element("wp:attachment_url", url, raw=True)
            self._meta("_wp_attached_file", image.file.name)
            self.xml.end("item")
            self.counts.images += 1

    def _links(
        self, bodies: Iterable[str]
    ) -> tuple[dict[int, Any], dict[int, str], dict[int, str]]:
        """Images, page URLs and document URLs the rich text of `bodies` refers to."""
        images: set[int] = set()
        pages: set[int] = set()
        documents: set[int] = set()
        for body in bodies:
            for match in _EMBED.finditer(body):
                attrs = extract_attrs(match.group(1))
                if attrs.get("embedtype") == "image" and attrs.get("id", "").isdigit():
                    images.add(int(attrs["id"]))
            for match in _LINK.finditer(body):
                attrs = extract_attrs(match.group(1))
                if attrs.get("id", "").isdigit():
                    target = {"page": pages, "document": documents}.get(attrs.get("linktype", ""))
                    if target is not None:
                        target.add(int(attrs["id"]))
        found_images = get_image_model().objects.in_bulk(images)
        page_urls = {
            pk: self.url(path)
            for pk, path in Page.objects.filter(pk__in=pages).values_list("pk", "url_path")
        }
        document_urls = {
            doc.pk: self.media_url(doc.url)
            for doc in get_document_model().objects.filter(pk__in=documents)
        }
        return found_images, page_urls, document_urls

    def html(self, body: str, links: tuple[dict[int, Any], dict[int, str], dict[int, str]]) -> str:
        """Rich text as the HTML WordPress stores: images as <img class="wp-image-N">."""
        images, page_urls, document_urls = links

        def embed(match: re.Match[str]) -> str:
            attrs = extract_attrs(match.group(1))
            kind = attrs.get("embedtype")
            if kind == "image":
                image = images.get(int(attrs["id"])) if attrs.get("id", "").isdigit() else None
                if image is None:
                    return ""
                src = escape(self.media_url(image.file.url))
                alt = escape(attrs.get("alt", ""))
                number = self.attachment_offset + image.pk
                return (
                    f'<figure class="wp-block-image"><img class="wp-image-{number}" '
                    f'src="{src}" alt="{alt}" /></figure>'
                )
            if kind == "media" and attrs.get("url"):
                url = escape(attrs["url"])
                return f'<p><a href="{url}">{url}</a></p>'
            return ""

        def link(match: re.Match[str]) -> str:
            attrs = extract_attrs(match.group(1))
            pk = int(attrs["id"]) if attrs.get("id", "").isdigit() else 0
            href = {"page": page_urls, "document": document_urls}.get(
                attrs.get("linktype", ""), {}
            ).get(pk)
            return f'<a href="{escape(href)}">' if href else "<a>"

        return _LINK.sub(link, _EMBED.sub(embed, body))

    def write_pages(self) -> None:
        pages = list(SimplePage.objects.order_by("path"))
        simple_paths = {page.path: page.pk for page in pages}
        links = self._links(page.body for page in pages)
        for page in pages:
            date = page.first_published_at or page.latest_revision_created_at
            self._item_start(
                title=page.title, link=self.url(page.url_path), post_id=page.pk, date=date,
                creator="",
            )  # fmt: skip
            self.xml.element("content:encoded", self.html(page.body, links), raw=True)
            self.xml.element("excerpt:encoded", "", raw=True)
            self._post_fields(
                post_id=page.pk, date=date, modified=page.last_published_at, name=page.slug,
                status=self._status(page), parent=simple_paths.get(page.path[: -Page.steplen], 0),
                kind="page",
            )  # fmt: skip
            self.xml.end("item")
            self.counts.pages += 1
            self.tick()

    def write_articles(self) -> None:
        last = 0
        while True:
            batch = list(
                ArticlePage.objects.filter(pk__gt=last)
                .order_by("pk")
                .select_related("cover")[:BATCH]
            )
            if not batch:
                return
            last = batch[-1].pk
            ids = [a.pk for a in batch]
            tags: dict[int, list[Tag]] = {}
            for item in ArticleTag.objects.filter(content_object_id__in=ids).select_related("tag"):
                tags.setdefault(item.content_object_id, []).append(item.tag)
            closed = set(
                ArticleCommentState.objects.filter(article_id__in=ids, closed=True).values_list(
                    "article_id", flat=True
                )
            )
            comments: dict[int, list[Comment]] = {}
            for comment in Comment.objects.filter(article_id__in=ids).order_by("pk"):
                comments.setdefault(comment.article_id, []).append(comment)
            links = self._links(a.body for a in batch)
            columns = self._parents(batch)
            for article in batch:
                self.write_article(
                    article,
                    tags.get(article.pk, []),
                    comments.get(article.pk, []),
                    columns.get(article.pk),
                    article.pk not in closed,
                    links,
                )
                self.tick()

    @staticmethod
    def _parents(articles: list[ArticlePage]) -> dict[int, int]:
        paths = {a.path[: -Page.steplen]: a.pk for a in articles}
        parents = Page.objects.filter(path__in=list(paths)).values_list("path", "pk")
        by_path = dict(parents)
        return {
            a.pk: by_path[a.path[: -Page.steplen]]
            for a in articles
            if a.path[: -Page.steplen] in by_path
        }

    def write_article(
        self,
        article: ArticlePage,
        tags: list[Tag],
        comments: list[Comment],
        column_id: int | None,
        comments_open: bool,
        links: tuple[dict[int, Any], dict[int, str], dict[int, str]],
    ) -> None:
        xml = self.xml
        self._item_start(
            title=article.title, link=self.url(article.url_path), post_id=article.pk,
            date=article.published_at, creator=self.authors.get(article.author, ""),
        )  # fmt: skip
        xml.element("content:encoded", self.html(article.body, links), raw=True)
        xml.element("excerpt:encoded", article.summary, raw=True)
        self._post_fields(
            post_id=article.pk, date=article.published_at, modified=article.last_published_at,
            name=article.slug, status=self._status(article), parent=0, kind="post",
            comments_open=comments_open, sticky=article.sticky,
        )  # fmt: skip
        if column_id in self.category_names:
            xml.element(
                "category",
                self.column_titles[column_id],
                raw=True,
                attrs={"domain": "category", "nicename": self.category_names[column_id]},
            )
        for tag in tags:
            xml.element(
                "category", tag.name, raw=True, attrs={"domain": "post_tag", "nicename": tag.slug}
            )
        if article.cover_id:
            self._meta("_thumbnail_id", str(self.attachment_offset + article.cover_id))
        for key, value in (
            ("_kanwu_subtitle", article.subtitle),
            ("_kanwu_source_name", article.source_name),
            ("_kanwu_source_url", article.source_url),
            ("_kanwu_is_repost", "1" if article.is_repost else ""),
        ):
            if value:
                self._meta(key, value)
        self.write_comments(comments)
        xml.end("item")
        self.counts.articles += 1

    def write_comments(self, comments: list[Comment]) -> None:
        """Approved comments; a reply to one that is not shown hangs on its nearest shown
        ancestor (or the article)."""
        by_id = {c.pk: c for c in comments}
        approved = {c.pk for c in comments if c.status == Comment.Status.APPROVED}

        def parent_of(comment: Comment) -> int:
            seen: set[int] = set()
            current = comment.parent_id
            while current is not None and current not in seen:
                seen.add(current)
                if current in approved:
                    return current
                parent = by_id.get(current)
                current = parent.parent_id if parent else None
            return 0

        xml = self.xml
        for comment in comments:
            if comment.pk not in approved:
                continue
            local, gmt = _wp_date(comment.created_at)
            xml.start("wp:comment")
            xml.element("wp:comment_id", comment.pk)
            xml.element("wp:comment_author", comment.author_name, raw=True)
            xml.element("wp:comment_author_email", comment.author_email, raw=True)
            xml.element("wp:comment_author_url", comment.author_url)
            xml.element("wp:comment_author_IP", comment.ip_address or "")
            xml.element("wp:comment_date", local, raw=True)
            xml.element("wp:comment_date_gmt", gmt, raw=True)
            xml.element("wp:comment_content", comment.body, raw=True)
            xml.element("wp:comment_approved", "1", raw=True)
            xml.element("wp:comment_type", "comment", raw=True)
            xml.element("wp:comment_parent", parent_of(comment))
            xml.element("wp:comment_user_id", 0)
            xml.end("wp:comment")
            self.counts.comments += 1


def write_wxr(out: IO[str], progress: Progress | None = None) -> ExportCounts:
    """Write the whole site to `out` as WXR 1.2; return what was written."""
    return _Exporter(out, progress).write()
