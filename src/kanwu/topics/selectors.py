"""What a 专题 shows, read through the articles' visibility gate (`public_articles`).

A topic's sections cost the same few queries however many there are: one for the tags the
sections name, one for the newest articles of each tag (a window function ranks them per
tag), one for the articles shown, and one for their 加粗/跳转 flags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from taggit.models import Tag

from kanwu.articles.assembly import Thumb, rendition
from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import mark_list_flags, public_articles
from kanwu.articles.tags import tags_from_string
from kanwu.core.dependencies import shows, shows_pages, tag_listing_tag
from kanwu.core.visibility import visible
from kanwu.topics.blocks import DEFAULT_COUNT, MAX_COUNT
from kanwu.topics.models import TopicIndexPage, TopicPage

BANNER_SPEC = "fill-1180x360"
BANNER_SMALL_SPEC = "fill-640x195"
TOPIC_LIST_FIELDS = (
    "title", "url_path", "path", "depth", "live", "banner", "intro", "first_published_at",
)  # fmt: skip


@dataclass(frozen=True)
class SectionSpec:
    """One section as the editor asked for it: read from the stored data, no query."""

    heading: str
    tag_names: tuple[str, ...]
    count: int
    picked: tuple[int, ...]


@dataclass(frozen=True)
class Section:
    heading: str
    articles: list[ArticlePage]


@dataclass(frozen=True)
class Banner:
    large: Thumb
    small: Thumb | None


def public_topics(index: TopicIndexPage) -> QuerySet[TopicPage]:
    """The topics under `index` that readers may see, newest first."""
    topics = visible(TopicPage.objects.child_of(index).type(TopicPage))  # see ColumnPage
    return topics.order_by("-first_published_at", "-pk").only(*TOPIC_LIST_FIELDS)


def topic_banner(image_id: int | None) -> Banner | None:
    """The banner in two widths (desktop, phone), remembered per process (`rendition`)."""
    large = rendition(image_id, BANNER_SPEC)
    if large is None:
        return None
    return Banner(large, rendition(image_id, BANNER_SMALL_SPEC))


def _page_id(item: Any) -> int | None:
    # A list block item is stored as {"type": "item", "value": id, "id": uuid}; older data as
    # the bare id.
    value = item.get("value") if isinstance(item, Mapping) else item
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return None


def section_specs(topic: TopicPage) -> list[SectionSpec]:
    """The topic's sections from its stored stream data (the page chooser's own conversion
    would load every chosen page, drafts included, before the gate)."""
    specs = []
    for block in topic.sections.raw_data:
        value = block.get("value") if block.get("type") == "section" else None
        if not isinstance(value, Mapping):
            continue
        picked = (_page_id(item) for item in value.get("articles") or [])
        try:
            count = int(value.get("count") or DEFAULT_COUNT)
        except (TypeError, ValueError):
            count = DEFAULT_COUNT
        specs.append(
            SectionSpec(
                heading=str(value.get("heading") or ""),
                tag_names=tuple(dict.fromkeys(tags_from_string(str(value.get("tags") or "")))),
                count=min(max(count, 1), MAX_COUNT),
                picked=tuple(dict.fromkeys(pk for pk in picked if pk is not None)),
            )
        )
    return specs


def _tags_named(names: Iterable[str]) -> dict[str, int]:
    """Tag ids by case-folded name (tags are case-insensitive: TAGGIT_CASE_INSENSITIVE)."""
    query = Q()
    for name in names:
        query |= Q(name__iexact=name)
    if not query:
        return {}
    found = Tag.objects.filter(query).values_list("pk", "name")
    shows(tag_listing_tag(name) for _, name in found)
    return {name.casefold(): pk for pk, name in found}


Ranked = list[tuple[datetime, int]]  # (published_at, article id), newest first


def _newest_by_tag(tag_ids: list[int], limit: int) -> dict[int, Ranked]:
    """The `limit` newest public articles of each tag, in one query."""
    if not tag_ids:
        return {}
    tag = F("tagged_items__tag_id")
    rows = (
        public_articles()
        .filter(tagged_items__tag_id__in=tag_ids)
        .annotate(
            tag=tag,
            rank=Window(
                RowNumber(), partition_by=tag, order_by=[F("published_at").desc(), F("pk").desc()]
            ),
        )
        .filter(rank__lte=limit)
        .values_list("tag", "published_at", "pk")
    )
    ranked: dict[int, Ranked] = {}
    for tag_id, published_at, pk in rows:
        ranked.setdefault(tag_id, []).append((published_at, pk))
    return ranked


def _choose(
    specs: list[SectionSpec], tags: dict[str, int], ranked: dict[int, Ranked]
) -> list[list[int]]:
    """Each section's article ids: its hand-picked ones (the first section picking an
    article gets it), then the newest of its tags' that no section shows yet."""
    picked_anywhere = {pk for spec in specs for pk in spec.picked}
    used: set[int] = set()
    chosen = []
    for spec in specs:
        ids = [pk for pk in spec.picked if pk not in used]
        used.update(ids)
        candidates = {
            entry
            for name in spec.tag_names
            if (tag_id := tags.get(name.casefold())) is not None
            for entry in ranked.get(tag_id, [])
        }
        taken = 0
        for _, pk in sorted(candidates, reverse=True):
            if taken == spec.count:
                break
            if pk not in used and pk not in picked_anywhere:
                ids.append(pk)
                used.add(pk)
                taken += 1
        chosen.append(ids)
    return chosen


def topic_sections(topic: TopicPage, *, for_lists: bool = True) -> list[Section]:
    """The topic's sections as readers see them: public articles only, none twice on the
    page, sections left without any omitted. The page then depends on the sections' tags,
    the hand-picked articles (shown or not: publishing a draft one shows it) and every
    article shown. `for_lists=False` loads the articles whole (the feed's author)."""
    specs = section_specs(topic)
    picked = [pk for spec in specs for pk in spec.picked]
    names = list(dict.fromkeys(name for spec in specs for name in spec.tag_names))
    shows(tag_listing_tag(name) for name in names)
    shows_pages(picked)
    tags = _tags_named(names)
    # Enough rows per tag for any section to fill its count past the articles that earlier
    # sections and hand-picking take (each can take at most this many).
    limit = len(picked) + sum(spec.count for spec in specs if spec.tag_names)
    chosen = _choose(specs, tags, _newest_by_tag(sorted(set(tags.values())), limit))

    wanted = {pk for ids in chosen for pk in ids}
    articles = public_articles().filter(pk__in=wanted)
    if for_lists:
        articles = articles.for_lists()
    found = {article.pk: article for article in articles} if wanted else {}
    shows_pages(found)
    sections = [
        Section(spec.heading, [found[pk] for pk in ids if pk in found])
        for spec, ids in zip(specs, chosen, strict=True)
    ]
    sections = [section for section in sections if section.articles]
    if for_lists:  # 加粗 and 跳转 for every list on the page, in one query
        mark_list_flags([article for section in sections for article in section.articles])
    return sections


def topic_articles(topic: TopicPage, limit: int) -> list[ArticlePage]:
    """The topic's articles, newest first (its feed)."""
    articles = [a for section in topic_sections(topic, for_lists=False) for a in section.articles]
    return sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)[:limit]
