"""Reads of articles that readers see. Every public listing goes through `public_articles`."""

from __future__ import annotations

from django.db.models import Count, Prefetch
from wagtail.images import get_image_model
from wagtail.models import Page

from kanwu.articles.models import ArticlePage, ArticleQuerySet, Recommendation

RELATED_COUNT = 6
THUMBNAIL_SPEC = "fill-240x160"
LIST_THUMBNAIL_SPEC = "fill-200x134"


def public_articles() -> ArticleQuerySet:
    """Published articles: the one gate for what readers may see."""
    return ArticlePage.objects.live()


def with_thumbnails(articles: ArticleQuerySet, spec: str) -> ArticleQuerySet:
    """Load cover images and their renditions in two queries, whatever the number of rows."""
    images = get_image_model().objects.prefetch_renditions(spec)
    return articles.prefetch_related(Prefetch("cover", queryset=images))


def related_articles(article: ArticlePage, limit: int = RELATED_COUNT) -> list[ArticlePage]:
    """为您推荐: the stored content-based recommendations (kanwu.articles.recommendations),
    then articles sharing tags, then from the same column, then the newest.

    Never the article itself, never one twice, never an unpublished one.
    """
    chosen: list[int] = []

    def take(candidates: ArticleQuerySet) -> None:
        need = limit - len(chosen)
        if need > 0:
            ids = candidates.exclude(pk__in=[article.pk, *chosen]).values_list("pk", flat=True)
            chosen.extend(ids[:need])

    # A join on the live flag, not `IN (public_articles())`, which SQLite evaluates over every
    # live article; the rows fetched at the end still pass through public_articles().
    stored = Recommendation.objects.filter(article_id=article.pk, recommended__live=True).exclude(
        recommended_id=article.pk
    )
    for pk in stored.order_by("rank").values_list("recommended_id", flat=True)[:limit]:
        if pk not in chosen:
            chosen.append(pk)
    if len(chosen) < limit and (tag_ids := list(article.tags.values_list("pk", flat=True))):
        take(
            public_articles()
            .filter(tagged_items__tag_id__in=tag_ids)
            .annotate(shared_tags=Count("tagged_items"))
            .order_by("-shared_tags", "-published_at", "-pk")
        )
    siblings = public_articles().filter(
        path__startswith=article.path[: -ArticlePage.steplen], depth=article.depth
    )
    take(siblings.newest_first())
    take(public_articles().newest_first())

    rows = with_thumbnails(public_articles().filter(pk__in=chosen), THUMBNAIL_SPEC)
    by_id = {row.pk: row for row in rows}
    return [by_id[pk] for pk in chosen if pk in by_id]


def column_articles(column: Page) -> ArticleQuerySet:
    """A column's articles, sub-columns included, newest first."""
    return with_thumbnails(public_articles().in_column(column).newest_first(), LIST_THUMBNAIL_SPEC)
