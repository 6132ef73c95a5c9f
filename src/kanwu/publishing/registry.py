"""What each change invalidates: one table, read by every layer that keeps copies.

Each row names a change readers can notice, the signals that announce it, and its effects:
which page-cache tags it purges (and so which static-export files are rendered again), which
pages' own files and listings the export refreshes, whether the per-process memo of site-wide
values (`core.memo`: sites, settings, the breadcrumb trail, navigation, renditions, view
restrictions) is forgotten, and which exported files go at once. `connect()` wires the
signals; `kanwu.publishing.invalidation.apply` carries the effects out after commit.

Two changes arrive as calls rather than signals, because only their own app can tell when
readers see a difference: `invalidation.comments_changed` (a comment approved or withdrawn, an
article's comments closed: `comments.services`) and `invalidation.new_day` (midnight in
China: the 每日一读 pick). They are listed in `EVENTS` so the table is complete.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
from taggit.models import Tag
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.images.models import AbstractImage
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_unpublished, post_page_move

from kanwu.articles.models import ArticlePage, ArticleSlot
from kanwu.core.dependencies import (
    FEEDS_TAG,
    FRIEND_LINKS_TAG,
    SITE_TAG,
    image_tag,
    listing_tag,
    page_tag,
    slot_tag,
    tag_listing_tag,
)
from kanwu.core.memo import is_container
from kanwu.site.models import FriendLink

# Fields Wagtail writes when an editor saves a draft (or locks a page): nothing readers see.
REVISION_BOOKKEEPING = frozenset(
    {
        "latest_revision", "latest_revision_created_at", "draft_title", "has_unpublished_changes",
        "locked", "locked_at", "locked_by",
    }
)  # fmt: skip
# Fields Wagtail writes about an image while making a rendition.
IMAGE_BOOKKEEPING = frozenset({"file_size", "file_hash"})


@dataclass(frozen=True)
class Effects:
    tags: list[str] = field(default_factory=list)  # page-cache tags purged, export re-rendered
    page_ids: list[int] = field(default_factory=list)  # pages whose own files are refreshed
    memo: bool = False  # every process forgets its site-wide memo
    unexport: list[int] = field(default_factory=list)  # pages whose exported files go at once


@dataclass(frozen=True)
class Row:
    change: str
    signals: tuple[Signal, ...]
    model: type[Any]
    effects: Callable[[Any, dict[str, Any]], Effects | None]  # None: readers see no change


def container_tags(page: Page) -> list[str]:
    """A home page, column or 单页 is in the navigation or breadcrumbs of every page."""
    return [SITE_TAG]


def leaf_tags(page: Page) -> list[str]:
    """Tags of every cached page that may show the article (or other leaf page) `page`."""
    tags = [page_tag(page.pk), FEEDS_TAG]
    # Its columns' listings, found by tree path so this works for a deleted page too.
    step = Page.steplen
    ancestor_paths = [page.path[:end] for end in range(step, len(page.path), step)]
    ancestors = Page.objects.filter(path__in=ancestor_paths).values_list("pk", flat=True)
    tags += [listing_tag(pk) for pk in ancestors]
    # The pages of the tags it has now (those it had show it, and go with page:<id>): from
    # the instance, as modelcluster writes tags after post_save.
    if hasattr(page, "tags") and hasattr(page.tags, "all"):
        tags += [tag_listing_tag(tag.name) for tag in page.tags.all()]
    return tags


def page_tags(page: Page) -> list[str]:
    """Tags of every cached page that may show `page`."""
    model = page.specific_class or type(page)
    return container_tags(page) if is_container(model) else leaf_tags(page)


def _page_saved(page: Page, kwargs: dict[str, Any]) -> Effects | None:
    if kwargs.get("raw"):
        return None
    if kwargs.get("signal") is post_save:
        fields = kwargs.get("update_fields")
        if not page.live or (fields and REVISION_BOOKKEEPING.issuperset(fields)):
            return None  # a draft: unpublishing announces itself with page_unpublished
    # The memo holds the container pages' trail and which pages are aliases.
    memo = is_container(page.specific_class or type(page)) or page.alias_of_id is not None
    tags = page_tags(page)
    if not memo and _alone_in_top_column(page):
        # Its top column just gained its first public page or lost its last: the navigation
        # (in every page, remembered in the memo) shows or hides the column.
        memo = True
        tags.append(SITE_TAG)
    return Effects(tags, [page.pk], memo=memo)


def _alone_in_top_column(page: Page) -> bool:
    """Whether no other live page is under the top-level column (depth 3, below a site's
    home page) holding `page`: publishing `page` made the column occupied, unpublishing or
    deleting it left the column empty. (Editing a column's only article counts too.)"""
    top_depth = 3
    if page.depth <= top_depth:
        return False
    top = page.path[: top_depth * Page.steplen]
    below = Page.objects.filter(live=True, path__startswith=top, depth__gt=top_depth)
    return not below.exclude(pk=page.pk).exists()


def _page_moved(page: Page, kwargs: dict[str, Any]) -> Effects:
    return Effects([SITE_TAG], [page.pk], memo=True)


def _restriction_changed(restriction: PageViewRestriction, kwargs: dict[str, Any]) -> Effects:
    removed = kwargs.get("signal") is post_delete
    return Effects([SITE_TAG], memo=True, unexport=[] if removed else [restriction.page_id])


def _site_wide(instance: Any, kwargs: dict[str, Any]) -> Effects | None:
    return None if kwargs.get("raw") else Effects([SITE_TAG], memo=True)


def _image_changed(image: AbstractImage, kwargs: dict[str, Any]) -> Effects | None:
    fields = kwargs.get("update_fields")
    if (
        kwargs.get("raw")
        or kwargs.get("created")
        or (fields and IMAGE_BOOKKEEPING.issuperset(fields))
    ):
        return None  # a new image is on no page yet; bookkeeping while making a rendition
    return Effects([image_tag(image.pk)], memo=True)


def _slot_changed(slot: ArticleSlot, kwargs: dict[str, Any]) -> Effects | None:
    """A 推荐位 set, changed or removed (the editor publishing, or the 设置推荐位 bulk action):
    pages showing the flag's holders, and the lists showing the article (加粗, 跳转)."""
    if kwargs.get("raw"):
        return None
    article = ArticlePage.objects.filter(pk=slot.article_id).only("path", "live").first()
    if article is None or not article.live:
        return Effects([slot_tag(slot.flag)]) if article is None else None
    return Effects([slot_tag(slot.flag), *leaf_tags(article)], [article.pk])


def _tag_changed(tag: Tag, kwargs: dict[str, Any]) -> Effects | None:
    if kwargs.get("raw") or kwargs.get("created"):
        return None  # a new tag is on no page yet (its first article's save purges)
    return Effects([SITE_TAG])  # renamed or deleted: on articles, tag pages and their URLs


def _friend_link_changed(link: FriendLink, kwargs: dict[str, Any]) -> Effects | None:
    return None if kwargs.get("raw") else Effects([FRIEND_LINKS_TAG])


PAGE_SIGNALS = (post_save, post_delete, page_unpublished)
SAVED = (post_save, post_delete)

REGISTRY: list[Row] = [
    Row("a page published, edited while live, unpublished, taken down or deleted "
        "(article: its page, feeds, its columns' listings, its tags' pages; "
        "home, column or 单页: every page, and the memo)", PAGE_SIGNALS, Page, _page_saved),
    Row("a page moved", (post_page_move,), Page, _page_moved),
    Row("a view restriction added, changed or removed", SAVED, PageViewRestriction,
        _restriction_changed),
    Row("a site's host name or root changed", SAVED, Site, _site_wide),
    Row("site-wide settings saved (站点设置, 评论设置, …)", (post_save,), BaseSiteSetting,
        _site_wide),
    Row("an image's file replaced or the image deleted", SAVED, AbstractImage, _image_changed),
    Row("a tag renamed or deleted", SAVED, Tag, _tag_changed),
    Row("a 推荐位 set, changed or removed on a live article (its flag's pages, the lists "
        "showing the article)", SAVED, ArticleSlot, _slot_changed),
    Row("a 友情链接 added, edited, reordered or removed (the home page's block)", SAVED,
        FriendLink, _friend_link_changed),
]  # fmt: skip

EVENTS = {
    "invalidation.comments_changed": "a comment approved or withdrawn, comments closed or "
    "reopened: comments:<article> (the article's own page)",
    "invalidation.new_day": "midnight in China: the 每日一读 pick (daily)",
    "invalidation.slots_lapsed": "a 推荐位 expired: slot:<flag> and the article's leaf tags "
    "(cached pages lapse by themselves; this renders the exported files again)",
    "hot.hot_refresh": "a 热门 list worked out again from the view counts came out different: "
    "hot:<column> or hot:site",
}


def effects_of(signal: Signal, instance: Any, **kwargs: Any) -> list[Effects]:
    """What the rows matching this signal and instance say it invalidates."""
    found = []
    for row in REGISTRY:
        if signal in row.signals and isinstance(instance, row.model):
            effects = row.effects(instance, {**kwargs, "signal": signal})
            if effects is not None:
                found.append(effects)
    return found


def connect(apply: Callable[[Effects], None]) -> None:
    """Wire every row's signals to `apply` (the invalidation layer)."""

    def receiver(signal: Signal, sender: Any, **kwargs: Any) -> None:
        instance = kwargs.pop("instance", None)
        if instance is not None:
            for effects in effects_of(signal, instance, **kwargs):
                apply(effects)

    signals = {signal for row in REGISTRY for signal in row.signals}
    for signal in signals:
        signal.connect(receiver, weak=False, dispatch_uid=f"kanwu-registry-{id(signal)}")
