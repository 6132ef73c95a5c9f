"""静态化: the whole site as files, kept current as content changes."""

from __future__ import annotations

import gzip
import multiprocessing
import shutil
import signal
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kanwu.columns import models as column_models
from kanwu.columns.models import ColumnPage
from kanwu.publishing import static_export
from kanwu.publishing.jobs import export_static_if_missing
from kanwu.publishing.static_export import Exporter, file_for, static_dir
from kanwu.publishing.tasks import refresh_static_export
from kanwu.site.models import SiteSettings
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def outdir(tmp_path: Path, settings: Any) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.KANWU_STATIC_DIR = tmp_path / "html"  # the folder the worker keeps current
    return tmp_path / "html"


def read(outdir: Path, url: str) -> str:
    return (outdir / file_for(url)).read_text(encoding="utf-8")


def test_file_names() -> None:
    assert file_for("/") == Path("index.html")
    assert file_for("/news/a/") == Path("news/a/index.html")
    assert file_for("/news/?page=3") == Path("news/page-3.html")
    assert file_for("/sitemap.xml") == Path("sitemap.xml")
    assert file_for("/feed/") == Path("feed/index.xml")
    assert file_for("/news/feed/") == Path("news/feed/index.xml")
    assert file_for("/sitemap-pages-1.xml") == Path("sitemap-pages-1.xml")
    assert file_for("/robots.txt") == Path("robots.txt")


def test_export_writes_every_public_page_feed_sitemap_and_assets(
    outdir: Path, news: ColumnPage, history: ColumnPage, site_settings: SiteSettings,
    monkeypatch: pytest.MonkeyPatch, settings: Any,
) -> None:  # fmt: skip
    monkeypatch.setattr(column_models, "ARTICLES_PER_PAGE", 2)
    monkeypatch.setattr("kanwu.publishing.static_export.ARTICLES_PER_PAGE", 2)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.KANWU_BASE_URL = "http://news.example.cn"
    articles = [ArticleFactory(parent=history, title=f"静态文章{n}") for n in range(5)]
    tagged = ArticleFactory(parent=news, title="有标签的文章", tags=["统战"])
    hidden = ArticleFactory(parent=news, title="草稿文章", tags=["草稿"])
    hidden.unpublish()

    call_command("publish-static")  # into the kept folder

    assert "静态文章4" in read(outdir, "/")
    assert "统战史话" in read(outdir, "/news/history/")
    assert (outdir / "news/history/page-3.html").exists()
    assert not (outdir / "news/history/page-4.html").exists()
    for article in articles:
        assert article.title in read(outdir, article.url)
    assert not (outdir / file_for(hidden.url)).exists()
    # Tag pages, where nginx looks for them: /tag/%E7%BB%9F%E6%88%98/ is tag/统战/index.html.
    assert tagged.title in (outdir / "tag/统战/index.html").read_text(encoding="utf-8")
    assert not (outdir / "tag/草稿").exists()
    assert "静态文章4" in read(outdir, "/feed/")
    # The sitemap index names the pages' sitemap and the news sitemap, all exported, on the
    # configured address (KANWU_BASE_URL), as is robots.txt.
    assert "http://news.example.cn/sitemap-pages-1.xml" in read(outdir, "/sitemap.xml")
    assert f"http://news.example.cn{articles[0].url}" in read(outdir, "/sitemap-pages-1.xml")
    assert "静态文章4" in read(outdir, "/sitemap-news.xml")
    assert "Sitemap: http://news.example.cn/sitemap.xml" in read(outdir, "/robots.txt")
    # Each column's feed.
    assert "静态文章4" in read(outdir, "/news/history/feed/")
    assert "<title>统战史话 - 测试新闻网</title>" in read(outdir, "/news/history/feed/")
    css = next((outdir / "static/kanwu").glob("site.*.css"))  # hashed assets
    assert f"/static/kanwu/{css.name}" in read(outdir, "/")
    assert static_dir() == outdir
    assert (outdir / "index.html").stat().st_mode & 0o777 == 0o644  # nginx's user reads it
    # Pre-compressed beside each page, for nginx's gzip_static.
    for url in ["/", articles[0].url, "/feed/"]:
        page = outdir / file_for(url)
        assert gzip.decompress(page.with_name(page.name + ".gz").read_bytes()) == page.read_bytes()


def test_changes_rewrite_exactly_the_affected_files(
    outdir: Path, home: Any, news: ColumnPage, history: ColumnPage, site_settings: SiteSettings,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    first = ArticleFactory(parent=history, title="原来的标题")
    call_command("publish-static", str(outdir), "--skip-collectstatic")
    untouched = outdir / file_for("/news/")
    other = ColumnPage(title="通知", slug="notice")
    home.add_child(instance=other)  # a column: the whole site's navigation changes
    call_command("publish-static", str(outdir), "--skip-collectstatic")
    mtime = (outdir / file_for(other.url)).stat().st_mtime_ns

    with django_capture_on_commit_callbacks(execute=True):
        first.title = "新的标题"
        first.save_revision().publish()
    assert "新的标题" in read(outdir, first.url)
    assert "新的标题" in read(outdir, history.url)
    assert "新的标题" in read(outdir, "/")
    assert untouched.exists()
    assert (outdir / file_for(other.url)).stat().st_mtime_ns == mtime  # not re-rendered

    with django_capture_on_commit_callbacks(execute=True):
        second = ArticleFactory(parent=history, title="新发布的文章", tags=["新标签"])
    assert "新发布的文章" in read(outdir, second.url)
    assert "新发布的文章" in read(outdir, history.url)
    assert "新发布的文章" in read(outdir, "/tag/新标签/")  # the tag's first article

    with django_capture_on_commit_callbacks(execute=True):
        first.unpublish()
    assert not (outdir / file_for(first.url)).exists()
    assert not (outdir / f"{file_for(first.url)}.gz").exists()
    assert "新的标题" not in read(outdir, history.url)


def test_the_worker_makes_the_first_export_by_itself(
    outdir: Path, news: ColumnPage, history: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(parent=history, title="第一次导出")
    export_static_if_missing()  # a scheduler tick; tasks run at once in tests
    assert "第一次导出" in read(outdir, article.url)
    assert "第一次导出" in read(outdir, "/")
    written = (outdir / "index.html").stat().st_mtime_ns
    export_static_if_missing()  # there is one now: left alone
    assert (outdir / "index.html").stat().st_mtime_ns == written

    shutil.rmtree(outdir)  # someone deleted it: made again
    export_static_if_missing()
    assert "第一次导出" in read(outdir, article.url)


def test_changes_queued_before_a_whole_export_cost_nothing(
    outdir: Path, news: ColumnPage, history: ColumnPage, site_settings: SiteSettings
) -> None:
    article = ArticleFactory(parent=history, title="旧标题")
    before = time.time()
    call_command("publish-static", "--skip-collectstatic")
    article.title = "新标题"
    article.save_revision().publish()  # its purge waits for a commit that never comes here

    tags = [f"page:{article.pk}"]
    stale = refresh_static_export.enqueue(tags, [article.pk], before)
    assert stale.return_value == 0  # the whole export began later: nothing to do
    assert "旧标题" in read(outdir, article.url)
    fresh = refresh_static_export.enqueue(tags, [article.pk], time.time())
    assert fresh.return_value >= 1
    assert "新标题" in read(outdir, article.url)


def test_a_one_off_export_elsewhere_and_turned_off(
    outdir: Path, tmp_path: Path, news: ColumnPage, site_settings: SiteSettings, settings: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    call_command("publish-static", str(tmp_path / "copy"), "--skip-collectstatic")
    assert "一次性导出" in capsys.readouterr().out
    assert (tmp_path / "copy/index.html").exists()
    assert not outdir.exists()

    settings.KANWU_STATIC_DIR = None
    with pytest.raises(CommandError, match="静态化已关闭"):
        call_command("publish-static", "--skip-collectstatic")
    export_static_if_missing()
    assert not outdir.exists()


def test_export_refuses_an_unusable_folder(tmp_path: Path, home: Any) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(Exception, match="无法创建输出目录"):
        call_command("publish-static", str(blocker / "sub"), "--skip-collectstatic")


def test_exporter_renders_through_django(
    outdir: Path, news: ColumnPage, site_settings: Any
) -> None:
    status, body, tags = Exporter(outdir).render(news.url)
    assert status == 200
    assert "新闻" in body.decode()
    assert f"listing:{news.pk}" in tags


def test_exporter_renders_pages_not_redirects_when_the_site_is_https(
    outdir: Path, news: ColumnPage, site_settings: Any, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    status, body, _ = Exporter(outdir).render(news.url)
    assert status == 200
    assert "新闻" in body.decode()


@pytest.mark.django_db(transaction=True)
def test_export_in_several_processes_writes_the_same_files(
    outdir: Path, news: ColumnPage, history: ColumnPage, site_settings: SiteSettings
) -> None:
    articles = [ArticleFactory(parent=history, title=f"并行文章{n}") for n in range(8)]
    one = Exporter(outdir / "one").export_all(jobs=1, chunk=3)
    two = Exporter(outdir / "two").export_all(jobs=2, chunk=3)

    assert one.written == two.written >= len(articles) + 4 and not one.failed and not two.failed
    files = sorted(p.relative_to(outdir / "one") for p in (outdir / "one").rglob("*.html"))
    assert files == sorted(p.relative_to(outdir / "two") for p in (outdir / "two").rglob("*.html"))
    for article in articles:
        assert article.title in read(outdir / "two", article.url)
    # Both know which files show an article, for the incremental updates.
    index = Exporter(outdir / "two")
    assert articles[0].url in index.urls_showing([f"page:{articles[0].pk}"])
    assert history.url in index.urls_showing([f"listing:{history.pk}"])


def _sigterm_is_default() -> bool:
    return signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_export_workers_die_on_sigterm_whatever_the_parent_installed(outdir: Path) -> None:
    """`kanwu worker` stops gracefully on SIGTERM. The export's pool ends its workers with
    SIGTERM; a handler they inherited by fork kept one alive, holding the pool's queue, and the
    export never returned (seen as a hung test run)."""
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        with multiprocessing.get_context("fork").Pool(
            1, initializer=static_export._start_worker, initargs=(outdir,)
        ) as pool:
            assert pool.apply(_sigterm_is_default)
    finally:
        signal.signal(signal.SIGTERM, previous)
