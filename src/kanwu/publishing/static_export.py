"""静态化: every public page, feed and sitemap written out as files, kept current.

Pages are rendered through Django exactly as a reader would get them, written atomically
(temporary file + rename), and indexed by the content they show, so that a change re-renders
only the files that showed it. Column pages beyond the first are written as page-N.html, which
deploy/nginx.conf maps from ?page=N.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from wagtail.models import Page, Site

from kanwu.columns.models import ARTICLES_PER_PAGE, ColumnPage
from kanwu.core.dependencies import SITE_TAG, recording
from kanwu.publishing.backends import digest
from kanwu.publishing.backends.files import write_atomically
from kanwu.publishing.inprocess import call_wsgi
from kanwu.publishing.pagecache import EXPORT_FLAG

INDEX_DIR = ".kanwu"
EXTRA_URLS = ["/feed/", "/sitemap.xml"]


@dataclass
class ExportReport:
    written: int = 0
    removed: int = 0
    failed: list[str] = field(default_factory=list)


def file_for(url: str) -> Path:
    """Where the file for `url` goes inside the export folder (relative)."""
    path, _, query = url.partition("?")
    relative = path.lstrip("/")
    if query.startswith("page="):
        return Path(relative) / f"page-{query.removeprefix('page=')}.html"
    if relative.endswith((".xml",)):
        return Path(relative)
    if path.endswith("/feed/"):
        return Path(relative) / "index.xml"
    return Path(relative) / "index.html"


class Exporter:
    def __init__(self, outdir: Path) -> None:
        self.outdir = outdir
        self.index = outdir / INDEX_DIR / "tags"
        self.handler = WSGIHandler()
        site = Site.objects.filter(is_default_site=True).first()
        self.host = site.hostname if site else "localhost"

    # Rendering ---------------------------------------------------------------------------
    def render(self, url: str) -> tuple[int, bytes, set[str]]:
        # The page cache middleware records too; an outer recording sees every tag. The files
        # are the cache here, so the page cache is not filled as well.
        with recording() as tags:
            status, _, body = call_wsgi(
                self.handler, url, host=self.host, extra={EXPORT_FLAG: True}
            )
        return status, body, set(tags)

    def write(self, url: str) -> bool:
        """Render `url` into its file; remove the file if the page is gone. True if written."""
        target = self.outdir / file_for(url)
        status, body, tags = self.render(url)
        if status != 200:
            target.unlink(missing_ok=True)
            return False
        write_atomically(target, body)
        for tag in tags:
            folder = self.index / digest(tag)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / digest(url)).write_text(url, encoding="utf-8")
        return True

    # What to write -----------------------------------------------------------------------
    def all_urls(self) -> Iterator[str]:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            return
        pages = Page.objects.live().public().descendant_of(site.root_page, inclusive=True)
        for page in pages.specific(defer=True).iterator():
            url = page.get_url()
            if not url:
                continue
            yield url
            if isinstance(page, ColumnPage):
                yield from self.column_pages(page, url)
        yield from EXTRA_URLS

    def column_pages(self, column: ColumnPage, url: str) -> Iterator[str]:
        from kanwu.articles.selectors import public_articles

        count = public_articles().in_column(column).count()
        for number in range(2, (count - 1) // ARTICLES_PER_PAGE + 2):
            yield f"{url}?page={number}"

    def urls_showing(self, tags: Iterable[str]) -> set[str]:
        urls: set[str] = set()
        for tag in tags:
            folder = self.index / digest(tag)
            if folder.is_dir():
                for entry in folder.iterdir():
                    urls.add(entry.read_text(encoding="utf-8"))
                shutil.rmtree(folder, ignore_errors=True)
        return urls

    # Whole and incremental exports -------------------------------------------------------
    def export_all(self, progress: Callable[[int, int], None] | None = None) -> ExportReport:
        report = ExportReport()
        self.copy_assets()
        shutil.rmtree(self.index, ignore_errors=True)
        urls = list(self.all_urls())
        for number, url in enumerate(urls, 1):
            self._write_into(report, url)
            if progress:
                progress(number, len(urls))
        return report

    def refresh(self, tags: list[str], page_ids: Iterable[int] = ()) -> ExportReport:
        """Re-render the files that showed any of `tags`, plus the pages `page_ids` changed
        (a new article's own file, and its columns' listing pages, which may have grown)."""
        if SITE_TAG in tags:
            return self.export_all()
        urls = self.urls_showing(tags)
        for page in Page.objects.filter(pk__in=list(page_ids)).specific(defer=True):
            if url := page.get_url():
                urls.add(url)
            for column in ColumnPage.objects.live().ancestor_of(page, inclusive=True):
                if column_url := column.get_url():
                    urls.add(column_url)
                    urls.update(self.column_pages(column, column_url))
        report = ExportReport()
        for url in sorted(urls):
            self._write_into(report, url)
        return report

    def _write_into(self, report: ExportReport, url: str) -> None:
        try:
            if self.write(url):
                report.written += 1
            else:
                report.removed += 1
        except Exception as exc:  # one broken page must not stop the export
            report.failed.append(f"{url}: {exc}")

    def copy_assets(self) -> None:
        """Hashed, compressed static files, as collectstatic made them."""
        source = Path(settings.STATIC_ROOT)
        if source.is_dir():
            shutil.copytree(source, self.outdir / "static", dirs_exist_ok=True)


def _remembered() -> Path:
    return Path(settings.DATA_DIR) / "static-export-dir"


def static_dir() -> Path | None:
    """The export folder to keep current: KANWU_STATIC_DIR, else the last `publish-static`."""
    if value := os.environ.get("KANWU_STATIC_DIR"):
        return Path(value)
    remembered = _remembered()
    if remembered.exists():
        return Path(remembered.read_text(encoding="utf-8").strip())
    return None


def remember(outdir: Path) -> None:
    write_atomically(_remembered(), str(outdir.resolve()).encode())


def forget() -> None:
    _remembered().unlink(missing_ok=True)
