"""core.batching through the task queue: what a batch keeps, when it sends it, and that the
batched tasks do what the per-item ones would have done."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from wagtail.models import ReferenceIndex
from wagtail.search.models import IndexEntry

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.core.batching import batched, current_batch, tasks_batched
from kanwu.search.models import SearchDocument
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

PER_ITEM = {
    "kanwu.search.tasks.article_published",
    "wagtail.tasks.update_reference_index_task",
    "modelsearch.tasks.insert_or_update_object_task",
}


@pytest.fixture
def queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "kanwu.core.taskqueue.DatabaseBackend"}}


def queued() -> Counter[str]:
    return Counter(DBTaskResult.objects.values_list("task_path", flat=True))


def kept_articles() -> set[int]:
    """The articles the queued batched search tasks name."""
    rows = DBTaskResult.objects.filter(task_path="kanwu.search.tasks.articles_changed")
    return {pk for row in rows for pk in row.args_kwargs["args"][0]}


def run_worker() -> None:
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*",
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    assert not DBTaskResult.objects.failed().exists()


def drafts(news: ColumnPage, count: int) -> list[ArticlePage]:
    made = [
        ArticleFactory(
            parent=news, title=f"分批稿件{n}", body=f"<p>正文 zx{n}q</p>", live=False, tags=["分批"]
        )
        for n in range(count)
    ]
    DBTaskResult.objects.all().delete()  # what creating them queued, one by one
    return made


def test_chunks_are_sent_once_the_transaction_commits(queue: None, news: ColumnPage) -> None:
    articles = drafts(news, 5)
    with tasks_batched(chunk=2):
        with transaction.atomic():
            for article in articles[:3]:
                article.save_revision().publish()
            assert not DBTaskResult.objects.exists()  # kept, and not before the commit
        assert kept_articles()  # a full chunk went out when the transaction committed
        for article in articles[3:]:
            article.save_revision().publish()
    assert kept_articles() == {a.pk for a in articles}  # and the rest at the end
    assert not queued().keys() & PER_ITEM

    run_worker()
    assert set(SearchDocument.objects.values_list("article_id", flat=True)) == {
        a.pk for a in articles
    }
    for article in articles:
        entry = IndexEntry.objects.get(object_id=str(article.pk))
        assert f"zx{articles.index(article)}q" in entry.body
        assert ReferenceIndex.get_references_for_object(article).exists()


def test_a_block_that_is_rolled_back_sends_nothing(queue: None, news: ColumnPage) -> None:
    articles = drafts(news, 2)
    with pytest.raises(RuntimeError), transaction.atomic(), tasks_batched():
        for article in articles:
            article.save_revision().publish()
        raise RuntimeError("stop")
    assert not DBTaskResult.objects.exists()


def test_nested_blocks_and_decorated_functions_share_one_batch(
    queue: None, news: ColumnPage
) -> None:
    articles = drafts(news, 3)

    @batched
    def publish(article: ArticlePage) -> Any:
        article.save_revision().publish()
        return current_batch()

    with tasks_batched() as outer:
        assert {publish(article) for article in articles} == {outer}
        assert not DBTaskResult.objects.exists()
    assert queued()["kanwu.search.tasks.articles_changed"] == 1
    assert current_batch() is None
