"""Articles (文章): the pages readers come for."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager, PageQuerySet
from wagtail.search import index

from kanwu.articles.forms import ArticlePageForm
from kanwu.core.pages import LeafPermissionsMixin, PinyinSlugMixin, RememberedRestrictionsMixin
from kanwu.core.text import cut, plain_text

SUMMARY_LENGTH = 120
BODY_FEATURES = [
    "h2", "h3", "h4", "bold", "italic", "ol", "ul", "hr", "link", "image", "embed",
    "blockquote", "superscript", "subscript", "strikethrough", "document-link",
]  # fmt: skip


def excerpt_of(summary: str, body: str) -> str:
    """The summary, or the start of the body when the editor left the summary empty."""
    if summary:
        return summary
    # Lists show many excerpts: strip the tags of the body's start only, when that is enough.
    head = body[: SUMMARY_LENGTH * 8]
    text = plain_text(head)
    if len(text) <= SUMMARY_LENGTH and len(head) < len(body):
        text = plain_text(body)
    return cut(text, SUMMARY_LENGTH)


class Flag(models.TextChoices):
    """推荐位: the article flags DedeCMS editors know, with DedeCMS's own letters."""

    HEADLINE = "h", "头条"
    RECOMMENDED = "c", "推荐"
    SLIDESHOW = "f", "幻灯"
    SPECIAL = "a", "特荐"
    SCROLLING = "s", "滚动"
    BOLD = "b", "加粗"
    PICTURE = "p", "图片"
    JUMP = "j", "跳转"


class ArticleSlot(Orderable):
    """One 推荐位 an article holds, until `expires_at` when that is set."""

    article = ParentalKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="slots")
    flag = models.CharField("推荐位", max_length=1, choices=Flag.choices)
    expires_at = models.DateTimeField(
        "到期时间", null=True, blank=True, help_text="留空则一直有效。"
    )

    class Meta(Orderable.Meta):
        verbose_name = "推荐位"
        verbose_name_plural = "推荐位"
        constraints = [
            models.UniqueConstraint(fields=["article", "flag"], name="article_slot_once")
        ]
        indexes = [models.Index(fields=["flag", "article"], name="article_slot_flag")]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.get_flag_display()}"


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = "文章标签"
        verbose_name_plural = "文章标签"


LIST_FIELDS = (
    "title", "url_path", "path", "depth", "live", "cover", "summary", "body", "published_at",
    "is_repost", "source_name", "jump_url",
)  # fmt: skip


class ArticleQuerySet(PageQuerySet):
    def in_column(self, column: Page) -> ArticleQuerySet:
        """Articles anywhere under `column`, its sub-columns included."""
        return self.descendant_of(column)

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by("-published_at", "-pk")

    def for_lists(self) -> ArticleQuerySet:
        """Only what article lists (site/article_list.html, the home lead) show: a page of a
        column builds twenty instances, and each of Wagtail's page fields costs a little."""
        return self.only(*LIST_FIELDS)


ArticleManager = PageManager.from_queryset(ArticleQuerySet)


class ArticlePage(LeafPermissionsMixin, RememberedRestrictionsMixin, PinyinSlugMixin, Page):
    subtitle = models.CharField("副标题", max_length=255, blank=True)
    author = models.CharField("作者", max_length=100, blank=True)
    published_at = models.DateTimeField(
        "发布时间",
        default=timezone.now,
        db_index=True,
        help_text="留空：以实际上线的时刻为发布时间；填写将来的时间：到时自动发布（定时发布）；"
        "填写过去的时间：按所填时间显示。",
    )
    # True while `published_at` is only the editor form's default: the article then shows the
    # moment it actually went live (kanwu.articles.forms decides; save() applies it).
    published_at_auto = models.BooleanField(default=False, editable=False)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="封面图",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField("摘要", blank=True, help_text="留空则自动取正文开头。")
    body = RichTextField("正文", features=BODY_FEATURES)
    tags = ClusterTaggableManager("标签", through=ArticleTag, blank=True)
    sticky = models.BooleanField("置顶", default=False, help_text="置顶文章优先作为首页头条。")
    is_repost = models.BooleanField("转载", default=False)
    source_name = models.CharField("来源名称", max_length=100, blank=True)
    source_url = models.URLField("来源网址", max_length=500, blank=True, db_index=True)
    jump_url = models.URLField(
        "跳转网址",
        max_length=500,
        blank=True,
        help_text="设置了“跳转”推荐位时，读者点击标题直接前往此网址。",
    )

    objects = ArticleManager()

    base_form_class = ArticlePageForm
    parent_page_types = ["columns.ColumnPage"]
    subpage_types: list[str] = []
    template = "articles/article_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("subtitle"),
        FieldRowPanel([FieldPanel("author"), FieldPanel("published_at")]),
        FieldRowPanel([FieldPanel("cover"), FieldPanel("cover_upload")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("tags"),
        FieldPanel("sticky"),
        MultiFieldPanel(
            [InlinePanel("slots", label="推荐位"), FieldPanel("jump_url")], heading="推荐位"
        ),
        MultiFieldPanel(
            [FieldPanel("is_repost"), FieldPanel("source_name"), FieldPanel("source_url")],
            heading="转载来源",
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = "文章"
        verbose_name_plural = "文章"
        # The listings' order, newest first with ties by pk: column pages seek on it, and
        # PostgreSQL reads it without the rows (kanwu.columns.listing).
        indexes = [
            models.Index(fields=["published_at", "page_ptr"], name="article_newest_first"),
            # The home page's lead: the newest sticky article, found without a scan.
            models.Index(
                fields=["published_at", "page_ptr"],
                condition=models.Q(sticky=True),
                name="article_sticky_newest",
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.live and self.published_at_auto and self.first_published_at:
            # Gone live (Wagtail's publish sets first_published_at, now or at the scheduled
            # time): readers see when that happened, and every later publish keeps it.
            self.published_at = self.first_published_at
            self.published_at_auto = False
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
                kwargs["update_fields"].add("published_at_auto")
        super().save(*args, **kwargs)

    @property
    def excerpt(self) -> str:
        return excerpt_of(self.summary, self.body)

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from kanwu.articles.assembly import article_context  # it imports this module

        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        return article_context(self, request, context)


class Recommendation(models.Model):
    """为您推荐, computed from the text (kanwu.articles.recommendations), best first."""

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="+")
    recommended = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    rank = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = "相关文章推荐"
        verbose_name_plural = "相关文章推荐"
        ordering = ["article", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["article", "rank"], name="recommendation_rank"),
            models.UniqueConstraint(fields=["article", "recommended"], name="recommendation_once"),
        ]
        indexes = [models.Index(fields=["recommended"], name="recommendation_target")]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.recommended_id}"


class ArticleKeyword(models.Model):
    """An article's characteristic word and its TF-IDF weight: the recommendations' index."""

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=50)
    weight = models.FloatField()

    class Meta:
        verbose_name = "文章关键词"
        verbose_name_plural = "文章关键词"
        constraints = [
            models.UniqueConstraint(fields=["article", "term"], name="article_keyword_once")
        ]
        indexes = [models.Index(fields=["term"], name="article_keyword_term")]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.term}"


class HotArticle(models.Model):
    """One place in a 热门 list, as the worker last worked it out from the view counts
    (kanwu.publishing.hot): the most-read articles of the whole site or of a top column (its
    sub-columns included) over 24 hours or 7 days. Read through `kanwu.articles.hot`."""

    class Period(models.TextChoices):
        DAY = "day", "24小时"
        WEEK = "week", "7天"

    # None: the whole site.
    column = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="栏目",
    )
    period = models.CharField("时段", max_length=4, choices=Period.choices)
    rank = models.PositiveSmallIntegerField("名次")
    article = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="+", verbose_name="文章"
    )

    class Meta:
        verbose_name = "热门文章"
        verbose_name_plural = "热门文章"
        ordering = ["column", "period", "rank"]

    def __str__(self) -> str:
        return f"{self.column_id or '全站'} {self.period} {self.rank}: {self.article_id}"
