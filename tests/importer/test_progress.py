"""A WordPress import's run page while the worker imports: the counts and the errors so far
appear in batches as it goes, the page and its JSON ask for more only while it runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kanwu.importer.models import WordPressImport
from kanwu.importer.progress import PROGRESS_EVERY_SECONDS, Progress, ProgressRecorder
from kanwu.importer.wordpress.runs import wordpress_import_queue, wordpress_import_run
from kanwu.site.models import HomePage
from tests.importer.conftest import jpeg_bytes
from tests.importer.server import LocalServer, Response
from tests.importer.wxr import Post, build_wxr

pytestmark = pytest.mark.django_db
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def admin_user(django_user_model: type[User]) -> User:
    return django_user_model.objects.create_superuser("admin", "a@example.cn", "pw-123456")


def upload(posts: list[Post], *, base: str, user: User) -> WordPressImport:
    """A checked upload, queued; the test runs it instead of the worker."""
    export = SimpleUploadedFile("site.xml", build_wxr(posts, base=base).encode(), "text/xml")
    return wordpress_import_queue(upload=export, user=user)


def snapshot(client: Client, run: WordPressImport) -> dict[str, Any]:
    """What the editor's browser gets: the run page and its JSON."""
    page = BeautifulSoup(client.get(f"/admin/importer/wordpress/{run.pk}/").content, "html.parser")
    box = page.select_one(".importer-run")
    progress = client.get(f"/admin/importer/wordpress/{run.pk}/progress/")
    bar = box.select_one("progress")
    return {
        "text": " ".join(box.text.split()),
        "bar": (bar.get("value"), bar.get("max")) if bar else None,
        "errors": [li.text for li in box.select(".importer-errors li")],
        "polls": box.get("data-import-progress"),
        "refresh": page.select_one("meta[http-equiv=refresh]") is not None,
        "json": progress.json(),
    }


def test_counts_and_errors_show_while_the_import_runs(
    client: Client, admin_user: User, home: HomePage, server: LocalServer
) -> None:
    base = server.url("")
    uploads = "/wp-content/uploads/2026/03"
    server.routes[f"{uploads}/ok.jpg"] = Response(jpeg_bytes(), content_type="image/jpeg")
    posts = [
        Post(10, "丢失的图片", post_type="attachment", status="inherit",
             attachment_url=f"{base}{uploads}/gone.jpg"),
        Post(11, "会场", post_type="attachment", status="inherit",
             attachment_url=f"{base}{uploads}/ok.jpg"),
        *[Post(100 + n, f"第{n}篇文章", f"<p>正文{n}。</p>", name=f"post-{n}",
               categories=[("category", "news", "新闻")]) for n in range(6)],
    ]  # fmt: skip
    client.force_login(admin_user)
    run = upload(posts, base=base, user=admin_user)
    queued = snapshot(client, run)
    assert "状态：排队中" in queued["text"] and "等待后台任务开始" in queued["text"]
    assert queued["polls"] == f"/admin/importer/wordpress/{run.pk}/progress/" and queued["refresh"]
    assert queued["json"]["finished"] is False and queued["json"]["status"] == "queued"

    seen: dict[int, dict[str, Any]] = {}
    with time_machine.travel(START, tick=False) as clock:

        def look(now: Progress) -> None:
            if now.done in {2, 3}:
                seen[now.done] = snapshot(client, run)
            if now.done == 2:
                # A second goes by: the next item's report is written.
                clock.shift(PROGRESS_EVERY_SECONDS)

        assert wordpress_import_run(run_id=run.pk, progress=look) == "done"

    # After two items nothing new was written yet (a batch is a second or 50 items): the page
    # shows what the import reported before its first item.
    assert "状态：导入中" in seen[2]["text"] and "已完成 0 / 共 8 条" in seen[2]["text"]
    assert seen[2]["bar"] == ("0", "8") and seen[2]["errors"] == []
    # A second later the third item's report is on the page, the failed download with it.
    mid = seen[3]
    assert "已完成 3 / 共 8 条" in mid["text"] and mid["bar"] == ("3", "8")
    assert "失败 1 项" in mid["text"] and "错误（到目前为止）" in mid["text"]
    assert len(mid["errors"]) == 1 and "丢失的图片" in mid["errors"][0]
    assert "HTTP 404" in mid["errors"][0]
    assert mid["polls"] and mid["refresh"]
    assert mid["json"]["status"] == "running" and mid["json"]["finished"] is False
    assert (mid["json"]["done"], mid["json"]["total"], mid["json"]["failed"]) == (3, 8, 1)
    assert "已完成 3 / 共 8 条" in mid["json"]["html"]

    done = snapshot(client, run)
    assert "状态：已完成" in done["text"] and "已完成 8 / 共 8 条" in done["text"]
    assert done["bar"] == ("8", "8") and "错误（到目前为止）" not in done["text"]
    assert len(done["errors"]) == 1
    assert "文章：新导入 6" in done["text"] and "图片附件：新导入 1" in done["text"]
    assert not done["polls"] and not done["refresh"]
    assert done["json"]["finished"] is True and done["json"]["status"] == "done"
    assert "导入报告" in done["json"]["html"]


def test_progress_is_written_in_batches(admin_user: User) -> None:
    run = WordPressImport.objects.create(filename="x.xml", path="", created_by=admin_user)
    recorder = ProgressRecorder(run, every_items=3, every_seconds=10)

    def stored() -> tuple[int, int, int, list[str]]:
        row = WordPressImport.objects.get(pk=run.pk)
        return row.done, row.total, row.failed, row.errors

    with time_machine.travel(START, tick=False) as clock:
        recorder(Progress(done=0, total=7))
        assert stored() == (0, 7, 0, [])  # the first report, at once
        recorder(Progress(done=1, total=7, failed=1, errors=["坏了"]))
        recorder(Progress(done=2, total=7, failed=1, errors=["坏了"]))
        assert stored() == (0, 7, 0, [])
        recorder(Progress(done=3, total=7, failed=1, errors=["坏了"]))
        assert stored() == (3, 7, 1, ["坏了"])  # three items on
        recorder(Progress(done=4, total=7, failed=1, errors=["坏了"]))
        clock.shift(10)
        recorder(Progress(done=5, total=7, failed=1, errors=["坏了"]))
        assert stored()[0] == 5  # ten seconds on
        recorder(Progress(done=6, total=7, failed=1, errors=["坏了"]))
        assert stored()[0] == 5
        recorder.flush()  # the import stopped here
        assert stored()[0] == 6
        recorder(Progress(done=7, total=7, failed=2, errors=["坏了", "又坏了"]))
        assert stored() == (7, 7, 2, ["坏了", "又坏了"])  # the last report, at once
