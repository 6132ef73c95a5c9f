"""Reads of articles that readers see. Every public listing goes through `public_articles`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page

from kanwu.articles.models import (
    ArticlePage,
    ArticleQuerySet,
    ArticleTag,
    Recommendation,
    excerpt_of,
)
from kanwu.core.visibility import visible, visible_sql

RELATED_COUNT = 6
THUMBNAIL_SPEC = "fill-240x160"
LIST_THUMBNAIL_SPEC = "fill-200x134"


def public_articles() -> ArticleQuerySet:
    """The articles readers may see (`core.visibility`): every public read of articles."""
    return visible(ArticlePage.objects.all())


def with_thumbnails(articles: ArticleQuerySet, spec: str) -> ArticleQuerySet:
    """Load cover images and their renditions in two queries, whatever the number of rows."""
    images = get_image_model().objects.prefetch_renditions(spec)
    return articles.prefetch_related(Prefetch("cover", queryset=images))


@dataclass(frozen=True)
class Teaser:
    """An article as a link in a list (为您推荐): plain values, no model instances."""

    pk: int
    title: str
    url_path: str
    excerpt: str
    cover_id: int | None


# Table names come from the models' meta, values always travel as parameters.
_PAGE = Page._meta.db_table
_ARTICLE = ArticlePage._meta.db_table
_TEASER_SQL = (
    f"SELECT p.id, p.title, p.url_path, a.summary, a.body, a.cover_id FROM {_PAGE} p "  # noqa: S608
    f"JOIN {_ARTICLE} a ON a.page_ptr_id = p.id"
)
# The article page is read on every uncached view; its stored recommendations come in one
# plain query (the ORM's compiling and model building cost more than the query itself).
_STORED_SQL = (
    f"{_TEASER_SQL} JOIN {Recommendation._meta.db_table} r ON r.recommended_id = p.id "
    "WHERE r.article_id = %s AND p.id <> %s AND {visible} ORDER BY r.rank"
)


def _teasers(sql: str, params: list[Any]) -> list[Teaser]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            Teaser(pk, title, url_path, excerpt_of(summary, body), cover_id)
            for pk, title, url_path, summary, body, cover_id in cursor.fetchall()
        ]


def related_articles(article: ArticlePage, limit: int = RELATED_COUNT) -> list[Teaser]:
    """为您推荐: the stored content-based recommendations (kanwu.articles.recommendations),
    then articles sharing tags, then from the same column, then the newest.

    Never the article itself, never one twice, never an unpublished one.
    """
    related: dict[int, Teaser] = {}
    gate, gate_params = visible_sql("p")
    stored = _STORED_SQL.format(visible=gate)
    for teaser in _teasers(stored, [article.pk, article.pk, *gate_params]):
        related.setdefault(teaser.pk, teaser)
    if len(related) >= limit:
        return list(related.values())[:limit]

    chosen = list(related)

    def take(candidates: ArticleQuerySet) -> None:
        need = limit - len(chosen)
        if need > 0:
            ids = candidates.exclude(pk__in=[article.pk, *chosen]).values_list("pk", flat=True)
            chosen.extend(ids[:need])

    # "id", not "pk": in a preview the tags are modelcluster's in-memory list (no "pk" there).
    if tag_ids := [pk for pk in article.tags.values_list("id", flat=True) if pk is not None]:
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

    if missing := [pk for pk in chosen if pk not in related]:
        marks = ", ".join(["%s"] * len(missing))
        sql = f"{_TEASER_SQL} WHERE p.id IN ({marks}) AND {gate}"
        for teaser in _teasers(sql, [*missing, *gate_params]):
            related[teaser.pk] = teaser
    return [related[pk] for pk in chosen if pk in related]


TAG_ARTICLES_PER_PAGE = 20


@dataclass(frozen=True)
class TagLink:
    name: str
    url: str


def tag_url(slug: str) -> str:
    return reverse("tag", args=[slug])


def tag_links(article: ArticlePage) -> list[TagLink]:
    """The article's tags, in the order the editor gave them, with their pages' addresses."""
    tag, link = ArticleTag.tag.field.related_model._meta.db_table, ArticleTag._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.name, t.slug FROM {tag} t JOIN {link} l ON l.tag_id = t.id "  # noqa: S608
            "WHERE l.content_object_id = %s ORDER BY l.id",
            [article.pk],
        )
        return [TagLink(name, tag_url(slug)) for name, slug in cursor.fetchall()]


def tagged_articles(tag: Tag) -> ArticleQuerySet:
    """Public articles with `tag`, newest first."""
    return public_articles().filter(tagged_items__tag=tag).newest_first()


def used_tags() -> QuerySet[Tag]:
    """Tags that at least one public article has: the ones with a page."""
    return Tag.objects.filter(
        articles_articletag_items__content_object__in=public_articles()
    ).distinct()


def column_articles(column: Page) -> ArticleQuerySet:
    """A column's articles, sub-columns included, newest first."""
    return public_articles().in_column(column).newest_first()
