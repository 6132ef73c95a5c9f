"""静态化: every public page, feed and sitemap written out as files, kept current.

Pages are rendered through Django exactly as a reader would get them, written atomically
(temporary file + rename), and indexed by the content they show (one SQLite file in
OUTDIR/.kanwu/), so that a change re-renders only the files that showed it. A whole export
renders in one process per core. Column (and 专题 index) pages beyond the first are written
as page-N.html, which deploy/nginx.conf maps from ?page=N. The worker keeps one export
current: the folder settings.KANWU_STATIC_DIR names (<data dir>/html by default).
"""

from __future__ import annotations

import gzip
import multiprocessing
import shutil
import signal
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from django.urls import reverse
from taggit.models import Tag
from wagtail.models import Page, Site

from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import (
    TAG_ARTICLES_PER_PAGE,
    public_articles,
    tag_url,
    tagged_articles,
    used_tags,
)
from kanwu.articles.sitemaps import page_sitemap_count
from kanwu.columns.models import ARTICLES_PER_PAGE, ColumnPage
from kanwu.core.dependencies import PRIVATE_TAG, SITE_TAG, recording
from kanwu.core.visibility import visible
from kanwu.publishing.backends.files import write_atomically
from kanwu.publishing.inprocess import call_wsgi
from kanwu.publishing.pagecache import EXPORT_FLAG
from kanwu.topics.models import TOPICS_PER_PAGE, TopicIndexPage, TopicPage
from kanwu.topics.selectors import public_topics

INDEX_DIR = ".kanwu"
WHOLE_EXPORT_STARTED = "whole-export-started"  # in INDEX_DIR: when the last whole export began
# Besides pages, column feeds and sitemaps-pages-N.xml: the site's feed, the sitemap index,
# the news sitemap and robots.txt.
EXTRA_URLS = ["/feed/", "/sitemap.xml", "/sitemap-news.xml", "/robots.txt"]


@dataclass
class ExportReport:
    written: int = 0
    removed: int = 0
    failed: list[str] = field(default_factory=list)


def file_for(url: str) -> Path:
    """Where the file for `url` goes inside the export folder (relative)."""
    path, _, query = url.partition("?")
    relative = unquote(path).lstrip("/")  # as nginx looks it up: /tag/%E7%BB%9F/ is tag/统/
    if query.startswith("page="):
        return Path(relative) / f"page-{query.removeprefix('page=')}.html"
    if relative.endswith((".xml", ".txt")):
        return Path(relative)
    if path.endswith("/feed/"):
        return Path(relative) / "index.xml"
    return Path(relative) / "index.html"


CHUNK = 50  # pages per task handed to an export process


class TagIndex:
    """Which exported URLs showed content with which tags."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "index.sqlite3"

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=60)
        connection.execute(
            "CREATE TABLE IF NOT EXISTS shown (tag TEXT NOT NULL, url TEXT NOT NULL, "
            "PRIMARY KEY (tag, url)) WITHOUT ROWID"
        )
        return connection

    def add(self, pages: Iterable[tuple[str, Iterable[str]]]) -> None:
        rows = [(tag, url) for url, tags in pages for tag in tags]
        connection = self._connect()
        try:
            with connection:
                connection.executemany("INSERT OR IGNORE INTO shown VALUES (?, ?)", rows)
        finally:
            connection.close()

    def take(self, tags: Iterable[str]) -> set[str]:
        """The URLs that showed any of `tags`, forgotten (their new rendering records anew)."""
        tags = list(tags)
        if not tags or not self.path.exists():
            return set()
        marks = ", ".join("?" * len(tags))  # placeholders only: the tags travel as parameters
        connection = self._connect()
        try:
            with connection:
                found = connection.execute(
                    f"SELECT DISTINCT url FROM shown WHERE tag IN ({marks})",  # noqa: S608
                    tags,
                ).fetchall()
                connection.execute(f"DELETE FROM shown WHERE tag IN ({marks})", tags)  # noqa: S608
        finally:
            connection.close()
        return {url for (url,) in found}

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


class Exporter:
    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.index = TagIndex(outdir / INDEX_DIR)
        self.handler = WSGIHandler()
        site = Site.objects.filter(is_default_site=True).first()
        self.host = site.hostname if site else "localhost"

    # Rendering ---------------------------------------------------------------------------
    def render(self, url: str) -> tuple[int, bytes, set[str]]:
        # The page cache middleware records too; an outer recording sees every tag. The files
        # are the cache here, so the page cache is not filled as well.
        with recording() as tags:
            # nginx serves the files over https when the site is (no redirect to it then).
            scheme = "https" if settings.SECURE_SSL_REDIRECT else "http"
            status, _, body = call_wsgi(
                self.handler, url, host=self.host,
                extra={EXPORT_FLAG: True, "wsgi.url_scheme": scheme},
            )  # fmt: skip
        return status, body, set(tags)

    def write_file(self, url: str) -> set[str] | None:
        """Render `url` into its file and return what it showed; None if the page is gone
        (its file is removed).

        A gzipped copy goes beside it, which nginx's gzip_static sends to browsers as it is:
        otherwise nginx would compress the page again for every reader.
        """
        target = self.outdir / file_for(url)
        gzipped = target.with_name(target.name + ".gz")
        status, body, tags = self.render(url)
        if status != 200 or PRIVATE_TAG in tags:
            target.unlink(missing_ok=True)
            gzipped.unlink(missing_ok=True)
            return None
        write_atomically(target, body)
        write_atomically(gzipped, gzip.compress(body, compresslevel=6, mtime=0))
        return tags

    def write(self, url: str) -> bool:
        """Render `url` into its file; remove the file if the page is gone. True if written."""
        tags = self.write_file(url)
        if tags is not None:
            self.index.add([(url, tags)])
        return tags is not None

    # What to write -----------------------------------------------------------------------
    def all_urls(self) -> Iterator[str]:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            return
        pages = visible(Page.objects.descendant_of(site.root_page, inclusive=True))
        for page in pages.specific(defer=True).iterator():
            url = page.get_url()
            if not url:
                continue
            yield url
            if isinstance(page, ColumnPage):
                yield from self.column_pages(page, url)
                yield f"{url}feed/"
            elif isinstance(page, TopicIndexPage):
                yield from self.more_pages(url, public_topics(page).count(), TOPICS_PER_PAGE)
            elif isinstance(page, TopicPage):
                yield f"{url}feed/"
        for tag in used_tags():
            yield from self.tag_pages(tag)
        for number in range(1, page_sitemap_count() + 1):
            yield reverse("sitemap-pages", args=[number])
        yield from EXTRA_URLS

    def column_pages(self, column: ColumnPage, url: str) -> Iterator[str]:
        count = public_articles().in_column(column).count()
        return self.more_pages(url, count, ARTICLES_PER_PAGE)

    def tag_pages(self, tag: Tag) -> Iterator[str]:
        url = tag_url(tag.slug)
        yield url
        yield from self.more_pages(url, tagged_articles(tag).count(), TAG_ARTICLES_PER_PAGE)

    @staticmethod
    def more_pages(url: str, count: int, per_page: int) -> Iterator[str]:
        """Pages 2… of a list of `count` articles at `url`."""
        for number in range(2, (count - 1) // per_page + 2):
            yield f"{url}?page={number}"

    def urls_showing(self, tags: Iterable[str]) -> set[str]:
        return self.index.take(tags)

    # Whole and incremental exports -------------------------------------------------------
    def export_all(
        self,
        progress: Callable[[int, int], None] | None = None,
        jobs: int = 1,
        chunk: int = CHUNK,
    ) -> ExportReport:
        """Write every public page; `jobs` processes render at once, `chunk` pages a task."""
        report = ExportReport()
        write_atomically(self._started_marker, repr(time.time()).encode())
        self.copy_assets()
        self.index.clear()
        urls = list(self.all_urls())
        self._render(report, urls, jobs, chunk, progress)
        report.removed += self._prune({file_for(url) for url in urls})
        return report

    def _render(
        self,
        report: ExportReport,
        urls: list[str],
        jobs: int,
        chunk: int = CHUNK,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """Write the files of `urls`, in `jobs` processes when there is more than a chunk."""
        chunks = [urls[start : start + chunk] for start in range(0, len(urls), chunk)]
        # Other processes could not see an open transaction's rows: render here then.
        if jobs > 1 and len(chunks) > 1 and not connections["default"].in_atomic_block:
            # Forked workers inherit the set-up Django; each opens its own connection.
            connections.close_all()
            with multiprocessing.get_context("fork").Pool(
                jobs, initializer=_start_worker, initargs=(self.outdir,)
            ) as pool:
                results = pool.imap_unordered(_export_chunk, chunks)
                self._collect(report, results, len(urls), progress)
        else:
            self._collect(
                report, (_export_urls(self, part) for part in chunks), len(urls), progress
            )

    def _prune(self, keep: set[Path]) -> int:
        """Remove the page files of an earlier export that this one did not write (pages
        unpublished, restricted or gone since, tags without public articles)."""
        removed = 0
        for path in self.outdir.rglob("*"):
            relative = path.relative_to(self.outdir)
            if relative.parts[0] in ("static", INDEX_DIR) or not path.is_file():
                continue
            page = relative.with_suffix("") if relative.suffix == ".gz" else relative
            if page.suffix in (".html", ".xml") and page not in keep:
                path.unlink(missing_ok=True)
                removed += relative.suffix != ".gz"
        return removed

    @property
    def _started_marker(self) -> Path:
        return self.outdir / INDEX_DIR / WHOLE_EXPORT_STARTED

    def whole_export_since(self, moment: float) -> bool:
        """Whether a whole export began after `moment` (a time.time()): it read the database
        after any change committed before then, so that change needs no work of its own."""
        try:
            return float(self._started_marker.read_text()) > moment
        except (FileNotFoundError, ValueError):
            return False

    def _collect(
        self,
        report: ExportReport,
        results: Iterable[list[tuple[str, set[str] | None, str]]],
        total: int,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        done = 0
        for chunk in results:
            written = []
            for url, tags, error in chunk:
                if error:
                    report.failed.append(f"{url}: {error}")
                elif tags is None:
                    report.removed += 1
                else:
                    report.written += 1
                    written.append((url, tags))
            self.index.add(written)
            done += len(chunk)
            if progress:
                progress(done, total)

    def refresh(self, tags: list[str], page_ids: Iterable[int] = (), jobs: int = 1) -> ExportReport:
        """Re-render the files that showed any of `tags`, plus the pages `page_ids` changed
        (a new article's own file, and its columns' and tags' pages, which may have grown);
        `jobs` processes render at once."""
        if SITE_TAG in tags:
            return self.export_all(jobs=jobs)
        urls = self.urls_showing(tags)
        for page in Page.objects.filter(pk__in=list(page_ids)).specific(defer=True):
            if url := page.get_url():
                urls.add(url)
                if isinstance(page, TopicPage):  # a new topic's feed
                    urls.add(f"{url}feed/")
            for column in visible(ColumnPage.objects.ancestor_of(page, inclusive=True)):
                if column_url := column.get_url():
                    urls.add(column_url)
                    urls.update(self.column_pages(column, column_url))
            if isinstance(page, ArticlePage):  # a tag's first article makes its page
                for tag in page.tags.all():
                    urls.update(self.tag_pages(tag))
        report = ExportReport()
        self._render(report, sorted(urls), jobs=1)
        return report

    def unexport(self, url: str) -> None:
        """Remove at once the files of the page at `url` and of every page below it (a view
        restriction now covers them): nginx then asks the app, which applies the restriction.
        The index forgets nothing: re-rendering a URL whose page is gone removes its file."""
        relative = unquote(url.partition("?")[0]).strip("/")
        if not relative:  # the home page: everything but the assets and the bookkeeping
            for child in self.outdir.iterdir():
                if child.name in ("static", INDEX_DIR):
                    continue
                if child.is_dir():
                    shutil.rmtree(child, ignore_errors=True)
                else:
                    child.unlink(missing_ok=True)
            return
        shutil.rmtree(self.outdir / relative, ignore_errors=True)

    def copy_assets(self) -> None:
        """Hashed, compressed static files, as collectstatic made them."""
        source = Path(settings.STATIC_ROOT)
        if source.is_dir():
            shutil.copytree(source, self.outdir / "static", dirs_exist_ok=True)


_worker: Exporter | None = None


def _export_urls(exporter: Exporter, urls: list[str]) -> list[tuple[str, set[str] | None, str]]:
    results: list[tuple[str, set[str] | None, str]] = []
    for url in urls:
        try:
            results.append((url, exporter.write_file(url), ""))
        except Exception as exc:  # one broken page must not stop the export
            results.append((url, None, str(exc) or type(exc).__name__))
    return results


def _start_worker(outdir: Path) -> None:
    global _worker
    # The pool ends its workers with SIGTERM: a handler inherited from the parent (`kanwu
    # worker` and `serve` install one to stop gracefully) would keep them alive and the pool's
    # exit would wait for them forever.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A connection the parent still holds must not be shared: drop the inherited handle (psycopg
    # leaves a forked copy alone) so this process opens its own. SQLite keeps it: an in-memory
    # database (the tests') exists only there, and a file database was closed before the fork.
    for connection in connections.all(initialized_only=True):
        if connection.vendor != "sqlite":
            connection.connection = None
    _worker = Exporter(outdir)


def _export_chunk(urls: list[str]) -> list[tuple[str, set[str] | None, str]]:
    if _worker is None:  # pragma: no cover (the pool's initializer sets it)
        raise RuntimeError("export worker not started")
    return _export_urls(_worker, urls)


def static_dir() -> Path | None:
    """The export folder the worker keeps current (settings.KANWU_STATIC_DIR), or None."""
    value = settings.KANWU_STATIC_DIR
    return Path(value) if value else None
