"""Background work that keeps the search index and the recommendations current."""

from __future__ import annotations

from django_tasks import task

from kanwu.articles.recommendations import (
    recommendations_refresh_pointing_at,
    recommendations_update,
)
from kanwu.search.indexing import search_index_articles, search_unindex_articles


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
def reindex_all() -> None:
    """The admin's re-index action (after a site dictionary change)."""
    from kanwu.search.services import search_rebuild_all

    search_rebuild_all()
