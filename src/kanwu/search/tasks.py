"""Background work that keeps the search index and the recommendations current."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from kanwu.articles.recommendations import (
    recommendations_refresh_pointing_at,
    recommendations_update,
    recommendations_update_many,
)
from kanwu.core.batching import Collector, batch_kind
from kanwu.search.indexing import BATCH, search_index_articles, search_unindex_articles


@task()
def article_published(article_id: int) -> None:
    """Index the article as published now and store its recommendations."""
    search_index_articles(article_ids=[article_id])
    recommendations_update(article_id=article_id)


@task()
def article_withdrawn(article_id: int, recommended_by: list[int] | None = None) -> None:
    """Unpublished or deleted: out of the index, and out of everyone's recommendations.

    `recommended_by`: for a deleted article, the articles that recommended it (their rows
    went with it).
    """
    search_unindex_articles(article_ids=[article_id])
    recommendations_update(article_id=article_id)
    recommendations_refresh_pointing_at(article_ids=[article_id])
    for pk in recommended_by or ():
        recommendations_update(article_id=pk)


@task()
def articles_changed(
    article_ids: list[int], withdrawn: list[int], recommended_by: list[int]
) -> int:
    """An import's batch of `article_published` and `article_withdrawn`: the articles
    `article_ids` indexed as they are now (out of the index if readers may not see them)
    with their recommendations, in bulk; those `withdrawn` also out of everyone's
    recommendations, and the articles `recommended_by` (deleted ones' recommenders)
    recomputed. Returns the number of articles indexed."""
    indexed = 0
    for start in range(0, len(article_ids), BATCH):
        indexed += search_index_articles(article_ids=article_ids[start : start + BATCH])
    recommendations_update_many(article_ids=article_ids)
    if withdrawn:
        recommendations_refresh_pointing_at(article_ids=withdrawn)
    if others := sorted(set(recommended_by) - set(article_ids)):
        recommendations_update_many(article_ids=others)
    return indexed


@task()
def reindex_all() -> None:
    """The admin's re-index action (after a site dictionary change)."""
    from kanwu.search.services import search_rebuild_all

    search_rebuild_all()


class ArticleChanges(Collector):
    """What `article_published` / `article_withdrawn` calls a batch kept."""

    def __init__(self) -> None:
        self.changed: dict[int, None] = {}
        self.withdrawn: set[int] = set()
        self.recommended_by: set[int] = set()

    def add(self, task_path: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if task_path == WITHDRAWN:
            named = dict(zip(("article_id", "recommended_by"), args, strict=False)) | kwargs
            self.withdrawn.add(int(named["article_id"]))
            self.recommended_by.update(int(pk) for pk in named.get("recommended_by") or ())
        else:
            named = dict(zip(("article_id",), args, strict=False)) | kwargs
        self.changed[int(named["article_id"])] = None

    def __len__(self) -> int:
        return len(self.changed)

    def send(self) -> None:
        articles_changed.enqueue(
            list(self.changed), sorted(self.withdrawn), sorted(self.recommended_by)
        )
        self.changed.clear()
        self.withdrawn.clear()
        self.recommended_by.clear()


PUBLISHED = article_published.module_path
WITHDRAWN = article_withdrawn.module_path


def connect_batches() -> None:
    batch_kind(kind="search", tasks=[PUBLISHED, WITHDRAWN], collector=ArticleChanges)
