"""Build the demo site: columns, generated articles, covers, tags, 专题 and every site setting.

Articles are written in bulk (tree paths computed here, rows inserted in batches) because
creating 100,000 Wagtail pages one by one takes hours; columns and settings go through the
normal Wagtail API.
"""

from __future__ import annotations

import io
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from typing import Any

import segno
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from kanwu.articles.models import ArticlePage, ArticleSlot, ArticleTag, Flag
from kanwu.columns.models import ColumnPage
from kanwu.core import private
from kanwu.core.slugs import pinyin_slug
from kanwu.demo.covers import make_cover
from kanwu.demo.textgen import ArticleText, body_html, generate_article
from kanwu.search.services import search_rebuild_all
from kanwu.site.models import FriendLink, HomePage, SiteSettings
from kanwu.topics.models import TopicIndexPage, TopicPage

BATCH = 500
COVER_COUNT = 24
SITE_NAME = "刊物新闻网"


@dataclass(frozen=True)
class TopicSpec:
    """A 专题: its title, the text topic its introduction is written on, and its sections as
    (heading, tags); the first section also gets the two oldest articles of its first tag."""

    title: str
    slug: str
    topic: str
    sections: tuple[tuple[str, str], ...]


TOPIC_SPECS = (
    TopicSpec("百年统战 红色记忆", "hong-se-ji-yi", "history", (
        ("峥嵘岁月", "统战史话，红色记忆"),
        ("旧址寻踪", "革命旧址，纪念馆"),
        ("人物春秋", "爱国民主人士，历史人物"),
    )),
    TopicSpec("协商民主 凝心聚力", "xie-shang-min-zhu", "theory", (
        ("协商议政", "协商民主，政协"),
        ("建言献策", "建言献策，民主党派"),
        ("理论前沿", "新型政党制度，统战理论"),
    )),
    TopicSpec("乡村振兴 同心同行", "xiang-cun-zhen-xing", "grassroots", (
        ("振兴之路", "乡村振兴，共同富裕"),
        ("志愿服务", "志愿服务，同心工程"),
        ("基层治理", "基层治理，社区"),
    )),
)  # fmt: skip
TOPIC_ARTICLES = 6  # the newest articles each section takes by tag


@dataclass(frozen=True)
class ColumnSpec:
    title: str
    slug: str
    topic: str
    children: tuple[ColumnSpec, ...] = ()


COLUMNS = (
    ColumnSpec("新闻动态", "news", "news", (
        ColumnSpec("本地要闻", "local", "news"),
        ColumnSpec("图片新闻", "photos", "photo"),
    )),
    ColumnSpec("统战史话", "history", "history"),
    ColumnSpec("政策法规", "policy", "policy"),
    ColumnSpec("理论研究", "theory", "theory", (ColumnSpec("学习园地", "study", "theory"),)),
    ColumnSpec("基层风采", "grassroots", "grassroots"),
    ColumnSpec("通知公告", "notice", "notice"),
)  # fmt: skip


class DemoExistsError(Exception):
    """The database already holds articles; the demo never writes over real content."""


def build_demo(
    *,
    articles: int = 300,
    seed: int = 2026,
    progress: Callable[[str, int, int], None] | None = None,
) -> HomePage:
    """Fill an empty site; `progress(stage, done, total)` hears of each step (stages:
    "articles", then the search rebuild's "index", "keywords", "recommendations")."""
    if ArticlePage.objects.exists():
        raise DemoExistsError("数据库中已有文章，演示数据只会写入空站点。")
    rng = random.Random(seed)
    home = HomePage.objects.get()
    with transaction.atomic():
        columns = _create_columns(home)
        covers = _create_covers(rng)
        _fill_settings(home, columns, rng)
    create_articles(
        rng, columns, covers, articles, (lambda done: progress("articles", done, articles))
        if progress else None
    )  # fmt: skip
    with transaction.atomic():
        topics = _create_topics(home, rng)
    _arrange_home(home, columns, TopicPage.objects.child_of(topics).first())
    search_rebuild_all(progress=progress)  # bulk-made articles skip signals: index, recommend
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Statistics for the planner after the bulk load: without them (autovacuum may be off,
        # or not yet run) PostgreSQL plans for an empty site, e.g. 为您推荐 by a full scan.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return home


FRIEND_LINKS = (
    ("中国政府网", "https://www.gov.cn/"),
    ("人民网", "http://www.people.com.cn/"),
    ("新华网", "http://www.xinhuanet.com/"),
    ("中国统一战线新闻网", "http://tzb.people.com.cn/"),
    ("中国共产党新闻网", "http://cpc.people.com.cn/"),
    ("光明网", "https://www.gmw.cn/"),
)
# 推荐位 the demo's home shows: 头条, 幻灯 (with covers), 滚动.
SLIDES = 5


def _arrange_home(
    home: HomePage, columns: list[tuple[ColumnPage, str]], topic: TopicPage | None
) -> None:
    """The home page of a provincial portal: a 头条, 幻灯 beside the newest articles, a 专题
    banner (the first topic's), a block per top column, 通知公告 beside 热门, 友情链接."""
    newest = ArticlePage.objects.order_by("-published_at", "-pk")
    covered = list(newest.filter(cover__isnull=False).values_list("pk", flat=True)[: SLIDES + 1])
    slots = [ArticleSlot(article_id=pk, flag=Flag.SLIDESHOW) for pk in covered[1:]]
    if covered:
        slots.append(ArticleSlot(article_id=covered[0], flag=Flag.HEADLINE))
    ArticleSlot.objects.bulk_create(slots)
    FriendLink.objects.bulk_create(
        FriendLink(name=name, url=url, sort_order=number)
        for number, (name, url) in enumerate(FRIEND_LINKS)
    )
    by_topic = {topic: column for column, topic in columns if column.depth == home.depth + 1}
    notice = by_topic.get("notice")

    def chosen(*pks: int) -> list[dict[str, Any]]:
        return [{"type": "item", "value": pk, "id": str(uuid.uuid4())} for pk in pks]

    grid = [c.pk for t, c in by_topic.items() if t != "notice"]
    banner = (
        {"image": topic.banner_id, "page": topic.pk, "title": f"专题：{topic.title}"}
        if topic is not None and topic.banner_id
        else None
    )
    blocks: list[tuple[str, Any]] = [
        ("headline", None),
        ("slides", {"count": SLIDES}),
        ("latest", {"title": "要闻", "count": 8}),
        *([("banner", banner)] if banner else []),
        ("columns", {"columns": chosen(*grid), "count": 6, "width": "3"}),
        ("notices", {"title": "通知公告", "column": notice.pk if notice else None, "count": 8}),
        ("hot", {"title": "热门", "count": 10}),
        ("links", None),
    ]
    home.body = [{"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in blocks]
    home.save_revision().publish()


def _create_columns(home: HomePage) -> list[tuple[ColumnPage, str]]:
    created: list[tuple[ColumnPage, str]] = []

    def add(parent: Page, spec: ColumnSpec) -> None:
        column = ColumnPage(title=spec.title, slug=spec.slug, intro=f"{spec.title}栏目的最新文章。")
        parent.add_child(instance=column)
        column.save_revision().publish()
        created.append((column, spec.topic))
        for child in spec.children:
            add(column, child)

    for spec in COLUMNS:
        add(home, spec)
    return created


def _create_topics(home: HomePage, rng: random.Random) -> TopicIndexPage:
    """The 专题 index and a few topics over the generated articles' tags, with banners drawn
    like the covers."""
    index = TopicIndexPage(title="专题", slug="zhuanti", intro="围绕重大主题汇集的系列报道。")
    home.add_child(instance=index)
    index.save_revision().publish()
    for number, spec in enumerate(TOPIC_SPECS, start=1):
        banner = get_image_model()(title=f"演示专题头图 {number}")
        data = make_cover(rng, width=1180, height=360)
        banner.file = ImageFile(io.BytesIO(data), name=f"demo-topic-{number}.jpg")
        banner.save()
        first_tag = spec.sections[0][1].split("，")[0]
        oldest = ArticlePage.objects.live().filter(tags__name=first_tag).order_by("published_at")
        sections = [
            ("section", {
                "heading": heading, "tags": tags, "count": TOPIC_ARTICLES,
                "articles": list(oldest[:2]) if position == 0 else [],
            })
            for position, (heading, tags) in enumerate(spec.sections)
        ]  # fmt: skip
        intro = generate_article(rng, spec.topic).summary
        topic = TopicPage(
            title=spec.title, slug=spec.slug, banner=banner, intro=f"<p>{escape(intro)}</p>",
            sections=sections,
        )  # fmt: skip
        index.add_child(instance=topic)
        topic.save_revision().publish()
    return index


def _create_covers(rng: random.Random) -> list[int]:
    image_model = get_image_model()
    ids = []
    for number in range(1, COVER_COUNT + 1):
        data = make_cover(rng)
        image = image_model(title=f"演示封面 {number}")
        image.file = ImageFile(io.BytesIO(data), name=f"demo-cover-{number}.jpg")
        image.save()
        ids.append(image.pk)
    return ids


def _fill_settings(
    home: HomePage, columns: list[tuple[ColumnPage, str]], rng: random.Random
) -> None:
    site = Site.objects.get(is_default_site=True)
    site.site_name = SITE_NAME
    site.save()
    qr = io.BytesIO()
    segno.make(site.root_url + "/", error="m").save(qr, kind="png", scale=8, border=2)
    image = get_image_model()(title="微信公众号二维码（演示）")
    image.file = ImageFile(io.BytesIO(qr.getvalue()), name="demo-wechat-qr.png")
    image.save()
    history = next(column for column, topic in columns if topic == "history")
    settings = SiteSettings.for_site(site)
    settings.site_name = SITE_NAME
    settings.webmaster_qq = str(rng.randint(10_000_000, 99_999_999))
    settings.wechat_qr = image
    settings.submission_email = "tougao@example.cn"
    settings.takedown_email = "qinquan@example.cn"
    settings.contact_email = "contact@example.cn"
    settings.daily_reading_title = "党史天天读"
    settings.daily_reading_column = history
    settings.icp_number = "京ICP备20260001号-1"
    settings.police_number = "京公网安备11010502026001号"
    settings.footer_text = f"Copyright © 2026 {SITE_NAME} 版权所有 · 演示站点，内容由程序生成"
    settings.save()


def create_articles(
    rng: random.Random,
    columns: list[tuple[ColumnPage, str]],
    covers: list[int],
    total: int,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write `total` generated, published articles round-robin into `columns` (column, topic)."""
    content_type = ContentType.objects.get_for_model(ArticlePage)
    now = timezone.now()
    tags: dict[str, int] = {}
    done = 0
    # Continue numbering after each column's existing children (its sub-columns).
    children = {column.pk: _child_count(column) for column, _ in columns}
    for batch in _batches(total):
        with transaction.atomic():
            pages: list[Page] = []
            texts: list[ArticleText] = []
            for number in batch:
                column, topic = columns[number % len(columns)]
                text = generate_article(rng, topic)
                children[column.pk] += 1
                published = now - timedelta(minutes=37 * (total - number) + rng.randint(0, 30))
                pages.append(
                    _page_row(column, children[column.pk], text, number, content_type, published)
                )
                texts.append(text)
            Page.objects.bulk_create(pages)
            _insert_articles(pages, texts, covers, rng)
            _tag_articles(pages, texts, tags)
        done += len(batch)
        if progress:
            progress(done)
    for column, _ in columns:
        Page.objects.filter(pk=column.pk).update(numchild=_child_count(column))


def _child_count(column: Page) -> int:
    return Page.objects.filter(path__startswith=column.path, depth=column.depth + 1).count()


def _batches(total: int) -> Iterator[range]:
    for start in range(0, total, BATCH):
        yield range(start, min(start + BATCH, total))


def _page_row(
    column: ColumnPage,
    position: int,
    text: ArticleText,
    number: int,
    content_type: ContentType,
    published: datetime,
) -> Page:
    slug = f"{pinyin_slug(text.title, max_length=60)}-{number + 1}"
    return Page(
        title=text.title,
        draft_title=text.title,
        slug=slug,
        content_type=content_type,
        path=private.tree_path(column.path, column.depth + 1, position),
        depth=column.depth + 1,
        numchild=0,
        url_path=f"{column.url_path}{slug}/",
        live=True,
        has_unpublished_changes=False,
        first_published_at=published,
        last_published_at=published,
        locale_id=column.locale_id,
        translation_key=uuid.uuid4(),
    )


def _insert_articles(
    pages: list[Page], texts: list[ArticleText], covers: list[int], rng: random.Random
) -> None:
    rows = []
    for page, text in zip(pages, texts, strict=True):
        body = body_html(text)
        if covers and rng.random() < 0.2:
            image_id = rng.choice(covers)
            alt = escape(text.title)
            body += f'<embed alt="{alt}" embedtype="image" format="fullwidth" id="{image_id}"/>'
        rows.append(
            ArticlePage(
                page_ptr_id=page.pk,
                subtitle=text.subtitle,
                author=text.author,
                published_at=page.first_published_at,
                cover_id=rng.choice(covers) if covers and rng.random() < 0.8 else None,
                summary=text.summary if rng.random() < 0.5 else "",
                body=body,
                is_repost=text.is_repost,
                source_name=text.source_name or "",
                source_url=text.source_url or "",
            )
        )
    # Django's bulk_create refuses multi-table children; insert only ArticlePage's own columns.
    private.insert_rows(ArticlePage, rows, using=connection.alias)


def _tag_articles(pages: list[Page], texts: list[ArticleText], tags: dict[str, int]) -> None:
    links = []
    for page, text in zip(pages, texts, strict=True):
        for name in dict.fromkeys(text.tags):
            if name not in tags:
                tags[name] = Tag.objects.get_or_create(name=name)[0].pk
            links.append(ArticleTag(tag_id=tags[name], content_object_id=page.pk))
    ArticleTag.objects.bulk_create(links)
