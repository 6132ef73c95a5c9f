"""The images of a WordPress import (issue 16, "Media"): each URL fetched once per run, hosts
that never answer given up, time budgets, and the images that could not be fetched put back
later by `--retry-media` and the run page's 重新获取图片."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from pytest_django.fixtures import Settings
from wagtail.images import get_image_model

from kanwu.articles.models import ArticlePage
from kanwu.importer.models import PendingMedia, WordPressImport
from kanwu.site.models import HomePage
from tests.importer.conftest import jpeg_bytes
from tests.importer.server import LocalServer, Response, SilentServer, silent_server
from tests.importer.wxr import Post, build_wxr

pytestmark = pytest.mark.django_db

NEWS = [("category", "news", "新闻")]
PENDING = re.compile(r'<embed embedtype="kanwu-pending-image" id="[0-9a-f]+" alt="([^"]*)"/>')
IMAGE = re.compile(r'<embed embedtype="image" id="(\d+)" format="fullwidth" alt="([^"]*)"/>')


@pytest.fixture
def dead(settings: Settings, server: LocalServer) -> Iterator[SilentServer]:
    """An image host that accepts connections and never answers; the fetcher may reach it
    (and the local `server`). Downloads give up after half a second instead of 15."""
    with silent_server() as srv:
        settings.KANWU_FETCH_ALLOW_PRIVATE = [f"127.0.0.1:{srv.port}", f"127.0.0.1:{server.port}"]
        settings.KANWU_FETCH_TIMEOUT = 0.5
        yield srv


def write_export(tmp_path: Path, posts: list[Post]) -> Path:
    path = tmp_path / "export.xml"
    path.write_text(build_wxr(posts), encoding="utf-8")
    return path


def import_wordpress(path: Path, *options: str) -> str:
    out = io.StringIO()
    call_command("import-wordpress", str(path), *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def paragraphs_with_images(post_id: int, urls: list[str]) -> Post:
    content = "".join(
        f'<p>第{n}段。</p><img src="{url}" alt="图{n}">' for n, url in enumerate(urls, start=1)
    )
    return Post(post_id, f"文章{post_id}", content + "<p>结尾。</p>", name=f"post-{post_id}",
                categories=NEWS)  # fmt: skip


def seven_references(dead: SilentServer) -> list[Post]:
    """Two images on the dead host, named seven times by five posts."""
    a, b = dead.url("/a.jpg"), dead.url("/b.jpg")
    refs = [[a, b], [a], [b], [a, b], [a]]
    return [paragraphs_with_images(n, urls) for n, urls in enumerate(refs, start=1)]


def test_a_host_that_never_answers_is_tried_once_per_url_then_given_up(
    home: HomePage, tmp_path: Path, dead: SilentServer
) -> None:
    posts = seven_references(dead)
    # A third image on the same host, in a later post: the host is given up by then.
    posts.append(paragraphs_with_images(6, [dead.url("/c.jpg")]))
    report = import_wordpress(write_export(tmp_path, posts))
    assert dead.attempts() == 2  # a.jpg and b.jpg once each, c.jpg never
    assert "文章：新导入 6，已存在 0，跳过 0" in report
    host = f"127.0.0.1:{dead.port}"
    assert f"主机 {host}（3 个）：" in report
    assert f"{dead.url('/a.jpg')}：抓取超时（超过 0.5 秒）" in report
    assert f"{dead.url('/c.jpg')}：主机 {host} 已有 2 次超时或无法连接，本次不再尝试" in report
    assert "有 8 处图片待重新获取" in report
    assert PendingMedia.objects.count() == 8
    # Each body keeps the images' places, in order, and readers see neither marker nor URL.
    first = ArticlePage.objects.get(title="文章1")
    assert PENDING.findall(first.body) == ["图1", "图2"]
    assert first.body.index("第1段") < first.body.index("kanwu-pending-image")
    html = Client().get(first.url).content.decode()
    assert "第2段" in html and "kanwu-pending-image" not in html and dead.url("/") not in html


def test_an_image_named_by_several_posts_is_downloaded_once(
    home: HomePage, tmp_path: Path, server: LocalServer
) -> None:
    server.routes["/shared.jpg"] = Response(jpeg_bytes(), content_type="image/jpeg")
    shared = server.url("/shared.jpg")
    posts = [paragraphs_with_images(n, [shared, shared]) for n in (1, 2, 3)]
    import_wordpress(write_export(tmp_path, posts))
    assert server.paths().count("/shared.jpg") == 1
    assert get_image_model().objects.count() == 1
    image_ids = {
        image_id
        for article in ArticlePage.objects.all()
        for image_id, _ in IMAGE.findall(article.body)
    }
    assert image_ids == {str(get_image_model().objects.get().pk)}
    assert not PendingMedia.objects.exists()


# Budgets of a few seconds: what the first download gets is the budget less the moment its
# thread took to start, which a loaded machine stretches.
BUDGET = 3.0


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        ("KANWU_IMPORT_MEDIA_HOST_SECONDS", "获取图片已用去 3 秒，本次不再尝试"),
        ("KANWU_IMPORT_MEDIA_RUN_SECONDS", "本次等待图片已满 3 秒，其余图片本次不再尝试"),
    ],
)
def test_spent_time_budgets_defer_the_remaining_images(
    home: HomePage,
    tmp_path: Path,
    dead: SilentServer,
    settings: Settings,
    budget: str,
    message: str,
) -> None:
    settings.KANWU_IMPORT_MEDIA_HOST_FAILURES = 100  # the breaker stays out of this
    settings.KANWU_FETCH_TIMEOUT = 2 * BUDGET  # the budget, not the fetcher, ends the wait
    setattr(settings, budget, BUDGET)
    posts = [
        paragraphs_with_images(1, [dead.url("/a.jpg")]),
        paragraphs_with_images(2, [dead.url("/b.jpg")]),
    ]
    report = import_wordpress(write_export(tmp_path, posts))
    assert dead.attempts() == 1
    # The first download gets what the budget left, and times out.
    assert re.search(r"抓取超时（超过 [0-9.]+ 秒）", report), report
    assert f"{dead.url('/b.jpg')}：" in report and message in report
    deferred = PendingMedia.objects.get(url=dead.url("/b.jpg"))
    assert (deferred.attempts, deferred.last_tried_at) == (0, None)
    assert PendingMedia.objects.get(url=dead.url("/a.jpg")).attempts == 1


def cover_and_bodies(dead: SilentServer) -> list[Post]:
    """The seven references, one post as a draft, and an attachment (a post's featured
    image) on the dead host."""
    posts = seven_references(dead)
    posts[1].status = "draft"
    posts[0].meta = {"_thumbnail_id": "50"}
    posts.insert(
        0,
        Post(50, "封面", post_type="attachment", status="inherit",
             attachment_url=dead.url("/wp-content/uploads/cover.jpg")),
    )  # fmt: skip
    return posts


def test_retry_media_puts_the_images_back_once_the_host_answers(
    home: HomePage, tmp_path: Path, dead: SilentServer, server: LocalServer
) -> None:
    path = write_export(tmp_path, cover_and_bodies(dead))
    report = import_wordpress(path)
    assert "[图片附件] #50《封面》：抓取超时（超过 0.5 秒）" in report
    assert PendingMedia.objects.count() == 8  # 7 body references and the cover
    first = ArticlePage.objects.get(title="文章1")
    draft = ArticlePage.objects.get(title="文章2")
    assert first.live and first.cover is None and not draft.live
    revisions = first.revisions.count()

    # The host comes back.
    for name, colour in [("/a.jpg", "#aa0000"), ("/b.jpg", "#00bb00"),
                         ("/wp-content/uploads/cover.jpg", "#0000cc")]:  # fmt: skip
        server.routes[name] = Response(jpeg_bytes(colour), content_type="image/jpeg")
    dead.answer(server)
    out = import_wordpress(path, "--retry-media")
    assert "重新获取图片完成：待获取 8 处（3 个网址），已放回 8 处，仍未获取 0 处" in out
    assert "更新的页面：发布新版本 4 个，保存为草稿 1 个" in out
    assert sorted(server.paths()) == ["/a.jpg", "/b.jpg", "/wp-content/uploads/cover.jpg"]
    assert not PendingMedia.objects.exists()
    assert get_image_model().objects.count() == 3

    first.refresh_from_db()
    assert first.live and not first.has_unpublished_changes
    assert first.revisions.count() == revisions + 1
    assert first.cover is not None and first.cover.title == "文章1"
    # Where the markers were, in the same order, with their alt text.
    assert PENDING.search(first.body) is None
    images = IMAGE.findall(first.body)
    assert [alt for _, alt in images] == ["图1", "图2"]
    assert first.body.index("第1段") < first.body.index("图1") < first.body.index("第2段")
    html = Client().get(first.url).content.decode()
    body = html.split('<div class="article-body rich-text">', 1)[1].split("</div>", 1)[0]
    assert body.count("<img") == 2 and 'alt="图1"' in body
    # The draft got a new draft revision, still unpublished.
    draft.refresh_from_db()
    latest = draft.get_latest_revision_as_object()
    assert not draft.live and PENDING.search(latest.body) is None
    assert [alt for _, alt in IMAGE.findall(latest.body)] == ["图1"]

    again = import_wordpress(path, "--retry-media")
    assert again.strip() == "没有待重新获取的图片。"
    assert len(server.paths()) == 3


def test_retry_media_never_publishes_an_editors_unpublished_changes(
    home: HomePage, tmp_path: Path, dead: SilentServer, server: LocalServer
) -> None:
    path = write_export(tmp_path, [paragraphs_with_images(1, [dead.url("/a.jpg")])])
    import_wordpress(path)
    article = ArticlePage.objects.get()
    draft = article.get_latest_revision_as_object()
    draft.title = "编辑改过、尚未发布的标题"
    draft.save_revision()
    server.routes["/a.jpg"] = Response(jpeg_bytes(), content_type="image/jpeg")
    dead.answer(server)
    out = import_wordpress(path, "--retry-media")
    assert "已放回 1 处" in out and "发布新版本 0 个，保存为草稿 1 个" in out
    article.refresh_from_db()
    assert article.title == "文章1" and PENDING.search(article.body)  # live: as it was
    latest = article.get_latest_revision_as_object()
    assert latest.title == "编辑改过、尚未发布的标题" and len(IMAGE.findall(latest.body)) == 1


def test_retry_media_that_still_fails_keeps_the_images_pending(
    home: HomePage, tmp_path: Path, dead: SilentServer
) -> None:
    path = write_export(tmp_path, seven_references(dead))
    import_wordpress(path)
    out = import_wordpress(path, "--retry-media")
    assert "待获取 7 处（2 个网址），已放回 0 处，仍未获取 7 处" in out
    assert f"主机 127.0.0.1:{dead.port}（2 个）：" in out
    assert "这些图片仍在待获取列表中，可稍后再次重新获取。" in out
    assert dead.attempts() == 4  # each URL once in the import, once in the retry
    assert {row.attempts for row in PendingMedia.objects.all()} == {2}


def test_retry_media_errors_are_explained_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="找不到文件"):
        import_wordpress(tmp_path / "missing.xml", "--retry-media")
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><item>", encoding="utf-8")
    with pytest.raises(CommandError, match="无法读取导出文件，未作任何改动：XML 格式错误"):
        import_wordpress(broken, "--retry-media")
    fine = write_export(tmp_path, [])
    with pytest.raises(CommandError, match="不能与 --media-dir 同用"):
        import_wordpress(fine, "--retry-media", "--media-dir", str(tmp_path))


@pytest.fixture
def admin_client(client: Client, django_user_model: type[User]) -> Client:
    user = django_user_model.objects.create_superuser("admin", "a@example.cn", "pw-123456")
    client.force_login(user)
    return client


def test_the_run_page_shows_the_pending_images_and_queues_a_retry(
    admin_client: Client,
    home: HomePage,
    dead: SilentServer,
    server: LocalServer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    upload = SimpleUploadedFile(
        "export.xml", build_wxr(seven_references(dead)).encode(), "text/xml"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/importer/wordpress/", {"export": upload})
    run = WordPressImport.objects.get()
    page = BeautifulSoup(admin_client.get(response["Location"]).content, "html.parser")
    assert page.select_one(".importer-pending-count").text == "7"
    form = page.select_one("form.importer-retry-media")
    assert form["action"] == f"/admin/importer/wordpress/{run.pk}/retry-media/"
    assert form.select_one("input[name=csrfmiddlewaretoken]") is not None
    assert form.select_one("button").text == "重新获取图片"
    report = page.select_one(".importer-report").text
    assert f"主机 127.0.0.1:{dead.port}（2 个）：" in report

    # The click queues a run of its own; a second click while it waits queues nothing more.
    server.routes["/a.jpg"] = Response(jpeg_bytes(), content_type="image/jpeg")
    server.routes["/b.jpg"] = Response(jpeg_bytes("#00ff00"), content_type="image/jpeg")
    dead.answer(server)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = admin_client.post(form["action"])
        again = admin_client.post(form["action"])
    retry = WordPressImport.objects.get(retry_media=True)
    assert retry.status == WordPressImport.Status.QUEUED and retry.source == run.source
    assert queued["Location"] == again["Location"] == f"/admin/importer/wordpress/{retry.pk}/"
    assert server.paths() == []  # nothing fetched in the request
    for callback in callbacks:
        callback()
    retry.refresh_from_db()
    assert retry.status == WordPressImport.Status.DONE
    assert not PendingMedia.objects.exists()
    done = BeautifulSoup(admin_client.get(queued["Location"]).content, "html.parser")
    assert "重新获取图片（export.xml）" in done.text
    assert "已放回 7 处" in done.select_one(".importer-report").text
    assert done.select_one("form.importer-retry-media") is None  # nothing left to fetch
    assert len(IMAGE.findall(ArticlePage.objects.get(title="文章1").body)) == 2


def test_the_retry_button_is_for_superusers_and_posts_only(
    client: Client, django_user_model: type[User], home: HomePage
) -> None:
    owner = django_user_model.objects.create_superuser("owner", "o@example.cn", "pw-123456")
    run = WordPressImport.objects.create(
        filename="site.xml", path="", source="wp:http://old.example.com", created_by=owner,
        status=WordPressImport.Status.DONE,
    )  # fmt: skip
    url = f"/admin/importer/wordpress/{run.pk}/retry-media/"
    editor = django_user_model.objects.create_user("bianji", "b@example.cn", "pw-123456")
    editor.groups.add(Group.objects.get(name="编辑"))
    client.force_login(editor)
    assert client.post(url).status_code == 403
    client.force_login(owner)
    assert client.get(url).status_code == 405
    # Nothing pending: said so, nothing queued.
    response = client.post(url, follow=True)
    assert "没有待重新获取的图片。" in response.content.decode()
    assert not WordPressImport.objects.filter(retry_media=True).exists()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    assert strict.post(url).status_code == 403  # no CSRF token
