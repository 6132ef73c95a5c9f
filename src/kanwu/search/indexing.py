"""Writes to the search index: one article, a deletion, or everything."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils.html import strip_tags

from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import public_articles
from kanwu.core.analysis import analyse
from kanwu.search.backends import get_backend
from kanwu.search.dictionary import site_dictionary_load
from kanwu.search.models import SearchDocument

BATCH = 500


def article_plain_text(article: ArticlePage) -> str:
    """The body as text (tags stripped, entities decoded)."""
    return " ".join(html.unescape(strip_tags(article.body or "")).split())


def _body_text(article: ArticlePage, tags: Iterable[str]) -> str:
    return "\n".join(
        part
        for part in (
            article.subtitle,
            article.summary,
            article_plain_text(article),
            " ".join(tags),
            article.author,
        )
        if part
    )


def document_for(article: ArticlePage, tags: Iterable[str]) -> SearchDocument:
    title = analyse(article.title)
    body = analyse(_body_text(article, tags))
    return SearchDocument(
        article_id=article.pk,
        title_words=title.words,
        title_grams=title.grams,
        body_words=body.words,
        body_grams=body.grams,
    )


def _write(documents: list[SearchDocument]) -> None:
    ids = [document.article_id for document in documents]
    # Delete then insert (not update_or_create): one statement each, and the FTS triggers
    # see plain deletes and inserts.
    # _raw_delete: no model signals or cascades hang on index rows; skip the collector.
    SearchDocument.objects.filter(article_id__in=ids)._raw_delete(SearchDocument.objects.db)
    SearchDocument.objects.bulk_create(documents)


def search_index_articles(*, article_ids: Iterable[int]) -> int:
    """(Re-)index these articles if readers may see them, drop them from the index if not."""
    wanted = list(article_ids)
    site_dictionary_load()
    articles = list(public_articles().filter(pk__in=wanted).prefetch_related("tags"))
    with transaction.atomic():
        SearchDocument.objects.filter(article_id__in=wanted).delete()
        SearchDocument.objects.bulk_create(
            [document_for(a, [t.name for t in a.tags.all()]) for a in articles]
        )
    return len(articles)


def search_unindex_articles(*, article_ids: Iterable[int]) -> None:
    SearchDocument.objects.filter(article_id__in=list(article_ids)).delete()


def search_rebuild(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Re-index every public article, in batches of BATCH, each its own transaction.

    Safe to interrupt: every batch is complete or absent, and a second run rewrites all.
    Returns the number of articles indexed.
    """
    site_dictionary_load()
    ids = list(public_articles().order_by("pk").values_list("pk", flat=True))
    SearchDocument.objects.exclude(article_id__in=public_articles().values("pk")).delete()
    done = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        articles = public_articles().filter(pk__in=batch).prefetch_related("tags")
        documents = [document_for(a, [t.name for t in a.tags.all()]) for a in articles]
        with transaction.atomic():
            _write(documents)
        done += len(documents)
        if progress:
            progress(done, len(ids))
    get_backend().optimize()
    return done
