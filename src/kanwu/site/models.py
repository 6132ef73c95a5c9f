"""The site as a whole: settings editors change in the admin, and the home page (首页)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.url_routing import RouteResult

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.core import memo, rows
from kanwu.core.memo import RememberedSiteSetting
from kanwu.core.pages import PinyinSlugMixin, RememberedRestrictionsMixin
from kanwu.site.blocks import HomeBlocks, default_layout

SHARE_IMAGE_MIN = 300  # WeChat shows a shared link's picture square, from 300×300 up
FAVICON_MIN = 32
BAIDU_PUSH_ENDPOINT = "http://data.zz.baidu.com/urls"  # Baidu's link submission API
DEFAULT_PROMISE = "我们将24小时内回复"
DEFAULT_DISCLAIMER = (
    "本站转载的文章仅为传递更多信息之目的，不代表本站观点，版权归原作者所有。"
    "如涉及作品内容、版权或其他问题，请与本站联系，我们将在核实后及时删除。"
)


def _by_path(model: type[Page]) -> str:
    """FROM … WHERE for the page of `model` at a URL path (one query, whatever its depth)."""
    page, own = Page._meta.db_table, model._meta.db_table
    return f"FROM {page} JOIN {own} ON {own}.page_ptr_id = {page}.id WHERE {page}.url_path = %s"


# What readers open most, articles, then column listings: each found by its URL path.
_ROUTED: list[tuple[type[Page], str]] = [
    (ArticlePage, _by_path(ArticlePage)),
    (ColumnPage, _by_path(ColumnPage)),
]


@register_setting(icon="cog")
class SiteSettings(RememberedSiteSetting, BaseSiteSetting):
    site_name = models.CharField("网站名称", max_length=100, default="刊物新闻网")
    logo = models.ForeignKey(
        "wagtailimages.Image", verbose_name="网站标志", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    webmaster_qq = models.CharField("站长QQ", max_length=20, blank=True)
    wechat_qr = models.ForeignKey(
        "wagtailimages.Image", verbose_name="微信公众号二维码", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text="不上传时自动生成本站网址的二维码。",
    )  # fmt: skip
    submission_email = models.EmailField("投稿邮箱", blank=True)
    reply_promise = models.CharField("回复承诺", max_length=100, default=DEFAULT_PROMISE)
    disclaimer = models.TextField("免责声明", default=DEFAULT_DISCLAIMER)
    takedown_email = models.EmailField("侵权投诉邮箱", blank=True)
    daily_reading_title = models.CharField("每日一读标题", max_length=30, default="每日一读")
    daily_reading_column = models.ForeignKey(
        "columns.ColumnPage", verbose_name="每日一读栏目", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    icp_number = models.CharField("ICP备案号", max_length=50, blank=True)
    police_number = models.CharField("公安备案号", max_length=50, blank=True)
    footer_text = models.CharField("版权信息", max_length=200, blank=True)
    contact_email = models.EmailField("联系邮箱", blank=True)
    share_image = models.ForeignKey(
        "wagtailimages.Image", verbose_name="分享图片", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text="文章没有封面时分享到微信等处显示的图片：接近正方形，至少 300×300 像素。",
    )  # fmt: skip
    favicon = models.ForeignKey(
        "wagtailimages.Image", verbose_name="网站图标", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text="浏览器标签页上的小图标（favicon）；请用正方形图片，不上传时使用默认图标。",
    )  # fmt: skip
    baidu_push_token = models.CharField(
        "百度推送准入密钥", max_length=100, blank=True,
        help_text="百度搜索资源平台“普通收录 › API提交”的 token；填写后新发布、修改的页面自动推送",
    )  # fmt: skip
    baidu_push_endpoint = models.URLField(
        "百度推送接口", default=BAIDU_PUSH_ENDPOINT,
        help_text="一般不用修改。",
    )  # fmt: skip
    traditional_variant = models.CharField(
        "繁体字形", max_length=8, default="s2twp",
        choices=[
            ("s2twp", "台湾（软件 → 軟體）"), ("s2hk", "香港（软件 → 軟件）"), ("s2t", "通用"),
        ],
        help_text="/zh-hant/ 下繁体版页面的用字与用词。",
    )  # fmt: skip
    excerpt_length = models.PositiveSmallIntegerField(
        "推荐摘要字数", default=60, help_text="“为您推荐”中摘要的最大字数，超出部分以“…”结尾。"
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("site_name"),
                FieldPanel("logo"),
                FieldPanel("favicon"),
                FieldPanel("share_image"),
            ],
            heading="基本信息",
        ),
        MultiFieldPanel(
            [
                FieldPanel("webmaster_qq"),
                FieldPanel("wechat_qr"),
                FieldPanel("submission_email"),
                FieldPanel("reply_promise"),
            ],
            heading="浮动工具栏",
        ),
        MultiFieldPanel(
            [FieldPanel("disclaimer"), FieldPanel("takedown_email")], heading="转载声明"
        ),
        MultiFieldPanel(
            [FieldPanel("daily_reading_title"), FieldPanel("daily_reading_column")],
            heading="每日一读",
        ),
        MultiFieldPanel(
            [
                FieldPanel("icp_number"),
                FieldPanel("police_number"),
                FieldPanel("footer_text"),
                FieldPanel("contact_email"),
            ],
            heading="页脚",
        ),
        FieldPanel("excerpt_length"),
        FieldPanel("traditional_variant"),
        MultiFieldPanel(
            [FieldPanel("baidu_push_token"), FieldPanel("baidu_push_endpoint")],
            heading="百度链接推送",
        ),
    ]

    class Meta:
        verbose_name = "站点设置"

    def __str__(self) -> str:
        return self.site_name

    def clean(self) -> None:
        super().clean()
        errors = {}
        share = self.share_image
        if share is not None and min(share.width, share.height) < SHARE_IMAGE_MIN:
            errors["share_image"] = (
                f"分享图片至少需要 {SHARE_IMAGE_MIN}×{SHARE_IMAGE_MIN} 像素，"
                f"这张是 {share.width}×{share.height}。"
            )
        icon = self.favicon
        if icon is not None and min(icon.width, icon.height) < FAVICON_MIN:
            errors["favicon"] = (
                f"网站图标至少需要 {FAVICON_MIN}×{FAVICON_MIN} 像素，"
                f"这张是 {icon.width}×{icon.height}。"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def police_record_code(self) -> str:
        """The digits of 公安备案号, which its public lookup page takes as `recordcode`."""
        return "".join(ch for ch in self.police_number if ch.isdigit())


class HomePage(RememberedRestrictionsMixin, Page):
    body = StreamField(
        HomeBlocks(), verbose_name="首页区块", blank=True, default=default_layout,
        help_text="首页自上而下的区块；同一篇文章只在最先出现的区块中显示。",
    )  # fmt: skip

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["columns.ColumnPage", "kanwu_site.SimplePage", "topics.TopicIndexPage"]
    max_count = 1
    template = "site/home_page.html"

    content_panels = [*Page.content_panels, FieldPanel("body")]

    class Meta:
        verbose_name = "首页"

    def route(self, request: Any, path_components: list[str]) -> RouteResult:
        """Find an article or a column in one query by its URL path.

        Wagtail walks the tree a level at a time (two queries per level); articles and
        column listings are what readers open most, so they are looked up directly (an
        article is never a top-level page). Anything else takes Wagtail's way.
        """
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            routed = _ROUTED if len(path_components) > 1 else _ROUTED[1:]
            for model, tail in routed:
                page = next(iter(rows.instances(model, tail, [url_path])), None)
                if page is not None and page.path.startswith(self.path):
                    if not page.live:
                        raise Http404
                    return RouteResult(page)
        result: RouteResult = super().route(request, path_components)
        return result

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from kanwu.site.home import home_blocks  # it reads FriendLink, defined below

        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context["blocks"] = home_blocks(self, request)
        return context


class FriendLink(Orderable):
    """友情链接: a site the home page's 友情链接 block links to, in the order editors give."""

    name = models.CharField("网站名称", max_length=40)
    url = models.URLField("网址", max_length=500)

    panels = [FieldPanel("name"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = "友情链接"
        verbose_name_plural = "友情链接"

    def __str__(self) -> str:
        return self.name


class SimplePage(RememberedRestrictionsMixin, PinyinSlugMixin, Page):
    """A stand-alone page such as 关于我们 or 联系我们 (WordPress's "pages")."""

    body = RichTextField("正文", blank=True)

    parent_page_types = ["kanwu_site.HomePage", "kanwu_site.SimplePage"]
    subpage_types = ["kanwu_site.SimplePage"]
    template = "site/simple_page.html"

    content_panels = [*Page.content_panels, FieldPanel("body")]

    class Meta:
        verbose_name = "单页"
        verbose_name_plural = "单页"

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context["ancestors"] = memo.trail(self)
        return context
