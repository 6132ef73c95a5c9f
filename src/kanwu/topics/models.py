"""专题 (topics): pages that gather articles on one subject, by tag and by hand, in sections
under a banner; each has its own RSS feed (`feeds.py`). They live under a 专题 index page."""

from __future__ import annotations

from typing import Any

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from kanwu.core import memo
from kanwu.core.dependencies import image_tag, listing_tag, shows, shows_pages
from kanwu.core.pages import PinyinSlugMixin, RememberedRestrictionsMixin, paginate
from kanwu.core.text import cut, plain_text
from kanwu.topics.blocks import SectionBlock

TOPICS_PER_PAGE = 12
INTRO_FEATURES = ["bold", "italic", "link"]
DESCRIPTION_LENGTH = 120


class TopicIndexPage(RememberedRestrictionsMixin, PinyinSlugMixin, Page):
    """专题 index: the live topics below it, newest first."""

    intro = models.TextField("简介", blank=True)

    parent_page_types = ["kanwu_site.HomePage"]
    subpage_types = ["topics.TopicPage"]
    template = "topics/topic_index_page.html"
    # In the header navigation beside the top columns (kanwu.site.navigation), once it holds
    # a public topic, unless an editor unticks 在菜单中显示.
    show_in_menus_default = True
    in_header_navigation = True

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = "专题列表"
        verbose_name_plural = "专题列表"

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from kanwu.topics.selectors import public_topics  # it imports this module

        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        shows([listing_tag(self.pk)])  # a topic published, edited or withdrawn below
        page, context["page_range"] = paginate(public_topics(self), TOPICS_PER_PAGE, request)
        shows_pages(topic.pk for topic in page.object_list)
        shows(image_tag(topic.banner_id) for topic in page.object_list if topic.banner_id)
        context["topics"] = page
        context["ancestors"] = memo.trail(self)
        if self.intro and not self.search_description:
            context["reach_description"] = cut(self.intro, DESCRIPTION_LENGTH)
        return context


class TopicPage(RememberedRestrictionsMixin, PinyinSlugMixin, Page):
    """专题: a banner, an introduction and sections of articles."""

    banner = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="头图",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="页面顶部通栏显示；宜用横幅图片，约 1180×360 像素。",
    )
    intro = RichTextField("导语", features=INTRO_FEATURES, blank=True)
    sections = StreamField(
        [("section", SectionBlock())],
        verbose_name="专题栏目",
        blank=True,
        help_text="每个栏目有小标题，文章按标签自动列入、手选，或两者兼有。",
    )

    parent_page_types = ["topics.TopicIndexPage"]
    subpage_types: list[str] = []
    template = "topics/topic_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("banner"),
        FieldPanel("intro"),
        FieldPanel("sections"),
    ]

    class Meta:
        verbose_name = "专题"
        verbose_name_plural = "专题"

    @property
    def intro_text(self) -> str:
        return plain_text(self.intro)

    def description(self, site_name: str) -> str:
        """What the feed and the meta description say about the topic."""
        text = self.search_description or self.intro_text
        return cut(text, DESCRIPTION_LENGTH) if text else f"{site_name}专题“{self.title}”的文章"

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from kanwu.topics.selectors import topic_banner, topic_sections  # they import this

        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context["ancestors"] = memo.trail(self)
        context["sections"] = topic_sections(self)
        context["banner"] = topic_banner(self.banner_id)
        if text := self.search_description or self.intro_text:
            context["reach_description"] = cut(text, DESCRIPTION_LENGTH)
        context["reach_image_id"] = self.banner_id
        return context
