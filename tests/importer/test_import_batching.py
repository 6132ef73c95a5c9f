"""An import queues its background work in batches (`core.batching`), and loses none of it.

The tasks go to the database task backend, as on a site without Redis, and are then run by
the worker's own command (`db_worker`): what readers and editors see afterwards is checked,
not how the work was split.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult
from wagtail.models import ReferenceIndex
from wagtail.search.models import IndexEntry

from kanwu.articles.models import ArticlePage
from kanwu.core.batching import tasks_batched
from kanwu.importer.progress import Progress
from kanwu.importer.wordpress.importer import wordpress_import
from kanwu.publishing.static_export import file_for
from kanwu.site.models import HomePage
from tests.importer.wxr import Post, build_wxr, comment

pytestmark = pytest.mark.django_db(transaction=True)

POSTS = 24
PER_ITEM_TASKS = {
    "kanwu.search.tasks.article_published",
    "kanwu.search.tasks.article_withdrawn",
    "wagtail.tasks.update_reference_index_task",
    "modelsearch.tasks.insert_or_update_object_task",
}
BATCHED_TASKS = {
    "kanwu.search.tasks.articles_changed",
    "kanwu.core.tasks.wagtail_references_update",
    "kanwu.core.tasks.wagtail_search_update",
    "kanwu.publishing.tasks.refresh_static_export",
}
CATEGORIES = [
    ("news", "", "新闻", ""),
    ("local", "news", "本地", ""),
    ("culture", "", "文化", ""),
]


def marker(number: int) -> str:
    """A word only post `number` has."""
    return f"pz{number:04d}q"


def number_of(article: ArticlePage) -> int:
    return int(article.title.removeprefix("批量导入的第").removesuffix("篇稿件"))


def posts(count: int) -> list[Post]:
    nicenames = [nice for nice, *_ in CATEGORIES]
    return [
        Post(
            200 + n,
            f"批量导入的第{n}篇稿件",
            f"<p>第{n}篇的正文，编号 {marker(n)}。</p>",
            name=f"post-{n}",
            link=f"http://old.example.com/{n}/",
            categories=[
                ("category", nicenames[n % 3], CATEGORIES[n % 3][2]),
                ("post_tag", f"tag{n % 4}", f"标签{n % 4}"),
            ],
            comments=[comment(1000 + 2 * n, f"评论{n}"), comment(1001 + 2 * n, f"回复{n}")],
        )
        for n in range(count)
    ]


@pytest.fixture
def queue(settings: Any, tmp_path: Path) -> Path:
    """The database task backend and a kept static export; returns the export folder."""
    settings.TASKS = {"default": {"BACKEND": "kanwu.core.taskqueue.DatabaseBackend"}}
    settings.KANWU_STATIC_DIR = tmp_path / "html"
    return tmp_path / "html"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "export.xml"
    path.write_text(build_wxr(posts(POSTS), categories=CATEGORIES), encoding="utf-8")
    return path


def queued() -> Counter[str]:
    return Counter(DBTaskResult.objects.values_list("task_path", flat=True))


def run_worker() -> None:
    """What `kanwu worker` runs, until the queue is empty."""
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*",
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    assert not DBTaskResult.objects.failed().exists(), [
        r.traceback for r in DBTaskResult.objects.failed()
    ]


def searched(client: Client, query: str) -> str:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def assert_ready_for_readers(client: Client, outdir: Path, articles: list[ArticlePage]) -> None:
    """Each article is found by /search/, has its file in the static export, its references
    in Wagtail's reference index and its entry in Wagtail's (admin) search index."""
    page_type = ContentType.objects.get_for_model(ArticlePage)
    for article in articles:
        number = number_of(article)
        url = article.get_url()
        assert url is not None
        assert url in searched(client, marker(number)), article.title
        assert article.title in (outdir / file_for(url)).read_text(), article.title
        assert ReferenceIndex.get_references_for_object(article).exists(), article.title
        entry = IndexEntry.objects.get(content_type=page_type, object_id=str(article.pk))
        assert marker(number) in entry.body


def test_an_import_queues_one_task_per_kind_and_nothing_is_lost(
    home: HomePage, queue: Path, export: Path, client: Client, settings: Any
) -> None:
    settings.KANWU_TASK_BATCH = 10_000  # one chunk: the whole import
    call_command("import-wordpress", str(export), stdout=io.StringIO(), stderr=io.StringIO())

    counts = queued()
    assert not set(counts) & PER_ITEM_TASKS
    assert counts == dict.fromkeys(BATCHED_TASKS, 1)
    run_worker()
    articles = list(ArticlePage.objects.live().order_by("pk"))
    assert len(articles) == POSTS
    assert_ready_for_readers(client, queue, articles)
    # Comments came over, and the recommendations were worked out with every article known.
    assert "回复3" in (queue / file_for(articles[3].get_url() or "")).read_text()


def test_a_long_import_sends_its_batches_while_it_runs(
    home: HomePage, queue: Path, export: Path, client: Client, settings: Any
) -> None:
    settings.KANWU_TASK_BATCH = 10
    during: list[int] = []

    def progress(now: Progress) -> None:
        if now.done < now.total:
            during.append(sum(queued().values()))

    wordpress_import(path=export, progress=progress)

    counts = queued()
    assert not set(counts) & PER_ITEM_TASKS
    assert max(during) > 0  # chunks went out before the import ended
    # Each kind's tasks are bounded by the chunks, not the posts: one per 10 pages it kept
    # (the posts and the columns), plus the last.
    for path in BATCHED_TASKS:
        assert 1 <= counts[path] <= math.ceil((POSTS + len(CATEGORIES)) / 10) + 1, (path, counts)
    assert sum(counts.values()) < POSTS
    run_worker()
    assert_ready_for_readers(client, queue, list(ArticlePage.objects.live()))


def test_an_import_that_fails_half_way_still_sends_the_work_of_what_it_saved(
    home: HomePage, queue: Path, export: Path, client: Client, settings: Any
) -> None:
    settings.KANWU_TASK_BATCH = 10_000

    def progress(now: Progress) -> None:
        if now.done == 10:
            raise RuntimeError("the disk is full")

    with pytest.raises(RuntimeError):
        wordpress_import(path=export, progress=progress)

    saved = list(ArticlePage.objects.live())
    assert 0 < len(saved) < POSTS
    assert not set(queued()) & PER_ITEM_TASKS
    run_worker()
    assert_ready_for_readers(client, queue, saved)


def test_changes_inside_a_batch_end_as_they_are_and_outside_it_go_one_by_one(
    home: HomePage, queue: Path, export: Path, client: Client, settings: Any
) -> None:
    call_command("import-wordpress", str(export), stdout=io.StringIO(), stderr=io.StringIO())
    run_worker()
    withdrawn, edited, *rest = ArticlePage.objects.live().order_by("pk")
    gone = withdrawn.get_url() or ""

    with tasks_batched():
        withdrawn.unpublish()
        edited.body = "<p>改写后的正文 newwordzq。</p>"
        edited.save_revision().publish()
    assert not set(queued()) & PER_ITEM_TASKS
    run_worker()
    assert gone not in searched(client, marker(number_of(withdrawn)))
    assert not (queue / file_for(gone)).exists()
    assert edited.get_url() in searched(client, "newwordzq")
    assert "newwordzq" in (queue / file_for(edited.get_url() or "")).read_text()

    # Outside a batch an editor's publish queues its own tasks, as always.
    DBTaskResult.objects.all().delete()
    rest[0].title = "编辑单独修改的标题"
    rest[0].save_revision().publish()
    one_by_one = {
        "kanwu.search.tasks.article_published",
        "wagtail.tasks.update_reference_index_task",
    }
    assert one_by_one <= set(queued())
    run_worker()
    assert rest[0].get_url() in searched(client, "编辑单独修改的标题")
    assert "编辑单独修改的标题" in (queue / file_for(rest[0].get_url() or "")).read_text()
