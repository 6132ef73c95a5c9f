"""Signal receivers: they only enqueue tasks once the transaction commits."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from wagtail.signals import page_published, page_unpublished

from kanwu.articles.models import ArticlePage, Recommendation


def _enqueue_published(article_id: int) -> None:
    from kanwu.search.tasks import article_published

    article_published.enqueue(article_id)


def _enqueue_withdrawn(article_id: int, recommended_by: list[int] | None = None) -> None:
    from kanwu.search.tasks import article_withdrawn

    article_withdrawn.enqueue(article_id, recommended_by or [])


def on_page_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, ArticlePage):
        pk = instance.pk
        transaction.on_commit(lambda: _enqueue_published(pk))


def on_page_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, ArticlePage):
        pk = instance.pk
        transaction.on_commit(lambda: _enqueue_withdrawn(pk))


def on_article_deleting(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Its Recommendation rows are deleted with it (CASCADE): note who pointed at it first.
    instance._kanwu_recommended_by = list(
        Recommendation.objects.filter(recommended_id=instance.pk).values_list(
            "article_id", flat=True
        )
    )


def on_article_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    # The index row goes with the article (CASCADE); the task recomputes the articles that
    # recommended it.
    pk = instance.pk
    sources = [s for s in getattr(instance, "_kanwu_recommended_by", []) if s != pk]
    transaction.on_commit(lambda: _enqueue_withdrawn(pk, sources))


def connect() -> None:
    page_published.connect(on_page_published, dispatch_uid="search_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="search_unpublished")
    pre_delete.connect(on_article_deleting, sender=ArticlePage, dispatch_uid="search_deleting")
    post_delete.connect(on_article_deleted, sender=ArticlePage, dispatch_uid="search_deleted")
