"""Reads of articles that readers see. Every public listing goes through `public_articles`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page

from kanwu.articles.models import (
    ArticlePage,
    ArticleQuerySet,
    ArticleSlot,
    ArticleTag,
    Flag,
    Recommendation,
    excerpt_of,
)
from kanwu.core.dependencies import shows, shows_pages, shows_until, slot_tag
from kanwu.core.visibility import visible, visible_sql

RELATED_COUNT = 6
THUMBNAIL_SPEC = "fill-240x160"
LIST_THUMBNAIL_SPEC = "fill-200x134"


def public_articles() -> ArticleQuerySet:
    """The articles readers may see (`core.visibility`): every public read of articles."""
    return visible(ArticlePage.objects.all())


def latest_articles(limit: int) -> list[ArticlePage]:
    """The `limit` newest public articles, as lists show them, in one query."""
    return list(public_articles().newest_first().for_lists()[:limit])


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


# 推荐位 ------------------------------------------------------------------------------------

# The flags that change how an article is shown in every list.
LIST_FLAGS = (Flag.BOLD, Flag.JUMP)


def _unexpired(prefix: str, now: datetime) -> Q:
    return Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": now})


# Up to this many holders of a flag, they are read from the slot index and sorted; beyond
# it, the articles are read newest first and each checked for the flag (the more holders,
# the sooner enough are found). Ten of them at 100,000 articles on SQLite (a loaded
# machine): 5 holders 1.5 ms the first way and 108 ms the second; 200 holders 7.5 ms either
# way; 5,000 holders 86-133 ms and 8 ms.
FEW_HOLDERS = 100


def slot_articles(flag: str, *, now: datetime | None = None) -> ArticleQuerySet:
    """Live articles holding the 推荐位 `flag` that has not expired, newest first.

    Each carries `slot_expires_at` (its slot's expiry, or None). Fast however many articles
    there are, and however many hold the flag (FEW_HOLDERS; tests/articles/test_slots.py
    checks both plans).
    """
    now = now or timezone.now()
    if ArticleSlot.objects.filter(flag=flag).count() <= FEW_HOLDERS:
        # One filter() call, so the flag and the expiry are conditions on the same slot row.
        return (
            public_articles()
            .filter(Q(slots__flag=flag) & _unexpired("slots__", now))
            .annotate(slot_expires_at=F("slots__expires_at"))
            .newest_first()
        )
    slot = ArticleSlot.objects.filter(_unexpired("", now), article_id=OuterRef("pk"), flag=flag)
    return (
        public_articles()
        .filter(Exists(slot))
        .annotate(slot_expires_at=Subquery(slot.values("expires_at")[:1]))
        .newest_first()
    )


def shows_slot(flag: str, articles: list[ArticlePage]) -> None:
    """Record that the page shows these holders of `flag`: purged when any slot of the flag
    or any of them changes, kept no longer than the first of their slots expires."""
    shows([slot_tag(flag)])
    shows_pages(article.pk for article in articles)
    expiries = [getattr(a, "slot_expires_at", None) for a in articles]
    shows_until(min((e for e in expiries if e is not None), default=None))


def list_flags(ids: Iterable[int], *, now: datetime | None = None) -> dict[int, set[str]]:
    """The list flags (加粗, 跳转) each of the articles `ids` holds, in one query; records the
    flags' tags and their expiries for the page being rendered."""
    now = now or timezone.now()
    shows(slot_tag(flag) for flag in LIST_FLAGS)
    held: dict[int, set[str]] = {}
    wanted = list(ids)
    if not wanted:
        return held
    # A plain query: a list of many titles would spend more on compiling `IN (…)` than on
    # the query itself.
    sql = (
        f"SELECT article_id, flag, expires_at FROM {ArticleSlot._meta.db_table} "  # noqa: S608
        f"WHERE flag IN ({', '.join(['%s'] * len(LIST_FLAGS))}) "
        f"AND article_id IN ({', '.join(['%s'] * len(wanted))}) "
        "AND (expires_at IS NULL OR expires_at > %s)"
    )
    field = ArticleSlot._meta.get_field("expires_at")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*LIST_FLAGS, *wanted, field.get_db_prep_value(now, connection)])
        rows = cursor.fetchall()
    for article_id, flag, expires_at in rows:
        held.setdefault(article_id, set()).add(flag)
        shows_until(db_datetime(expires_at))
    return held


def db_datetime(value: Any) -> datetime | None:
    """A date and time column read with a plain cursor (SQLite gives naive UTC text)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise TypeError(f"not a date and time: {value!r}")
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def db_datetime_required(value: Any) -> datetime:
    """`db_datetime` of a column that is never NULL."""
    found = db_datetime(value)
    if found is None:
        raise TypeError("a date and time is required")
    return found


def mark_list_flags(articles: list[ArticlePage], *, now: datetime | None = None) -> None:
    """Give each article of a list `list_bold` (加粗) and `list_jump` (its 跳转 URL, or ""),
    in one query for the whole list; record the flags' tags and expiries."""
    unmarked = {a.pk: a for a in articles if not hasattr(a, "list_bold")}
    if not unmarked:
        return
    held = list_flags(unmarked, now=now)
    for pk, article in unmarked.items():
        flags = held.get(pk, set())
        article.list_bold = Flag.BOLD in flags
        article.list_jump = article.jump_url if Flag.JUMP in flags else ""
