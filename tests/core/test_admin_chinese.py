"""Editors meet no English in the admin: every screen an editor and an administrator reach
from the menu (listings empty and with an item, the page, snippet and settings forms, the
reports, choosers and dialogs) shows Chinese, apart from a short list of names.

The crawl starts at the dashboard and follows every admin link, form action and chooser URL in
the HTML (one URL per shape: /admin/pages/7/edit/ and /admin/pages/8/edit/ are the same
screen), plus the add and edit forms of each page type, which share a shape but not a form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from bs4 import BeautifulSoup, Comment, Declaration, Doctype, ProcessingInstruction
from django.contrib.auth.models import Group, Permission, User
from django.core.files.base import ContentFile
from django.test import Client
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import Page

from kanwu.articles.models import ArticlePage
from kanwu.casework.models import ReplyTemplate
from kanwu.columns.models import ColumnPage
from kanwu.comments.services import comment_create
from kanwu.importer.models import UrlImport, WordPressImport
from kanwu.importer.services import Status, UrlOutcome
from kanwu.search.models import SiteWord
from kanwu.site.models import HomePage, SimplePage
from kanwu.submissions.services import submission_create
from kanwu.takedowns.services import takedown_create
from kanwu.topics.models import TopicIndexPage, TopicPage
from kanwu.wordfilter.models import SensitiveWord
from tests.factories import ArticleFactory, ColumnFactory, make_image

pytestmark = pytest.mark.django_db

# Names an editor reads as names, not as untranslated English. Kept short on purpose.
ALLOWED = {
    "kanwu",  # the product's name
    "Wagtail",  # the CMS kanwu is built on, named in its own notices
    "Django",
    "QQ", "WeChat",  # the services' own names
    "URL", "HTTP", "RSS", "ID", "ICP", "HTML", "PDF", "CSV", "JSON", "SEO", "Email", "IP",
    "WordPress", "DedeCMS",  # import sources
    "TOTP",  # the two-factor standard authenticator apps name
    "Markdown",
    "JPEG", "PNG", "GIF", "WebP", "SVG", "AVIF", "HEIC",  # image formats in upload help
    "UTC", "UTF", "Big5", "XML", "WXR", "XLSX", "TSV", "JPG", "WEBP", "KB", "MB",  # formats, units
    "Ctrl", "Alt", "Shift", "Esc",  # printed on the keys the shortcuts name
    "Microsoft", "Google", "Authenticator", "FreeOTP",  # authenticator apps by name
    "localhost",  # the default site's host name
}  # fmt: skip

# Shown but never read as text: e-mail addresses, URLs and paths, file names, CSS sizes.
NOT_WORDS = re.compile(
    r"\S+@\S+|https?://\S+|\S*/\S*|\b[\w-]+\.(?:jpe?g|png|gif|webp|svg|pdf|docx?|xlsx?|txt|xml|csv|zip)\b"
    r"|\{\{[^}]*\}\}|%\([a-z_]+\)s|\b\d+(?:px|x\d+)\b"
    r"|\b[a-z_]+\.[a-z_]+\b",  # app_label.model, as the page types report names them
    re.IGNORECASE,
)
WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’]*")
HIDDEN_TAGS = {"script", "style", "noscript", "code", "pre", "svg"}
TEXT_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")

# Not screens: signing out, the front end's own pages, files, the translation catalogue.
SKIP = re.compile(
    r"logout|/jsi18n/|/sprite/|/api/|/failwhale/|/test404/|/preview/|/view_draft/"
    r"|/revisions/\d+/view/|/serve/|/download/|/documents/\d+/|/images/\d+/\w+/\d+/"
    r"|/multiple/|/export/|\.(?:csv|xlsx|json)$|/backups/\d+/"
)


def words_in(text: str) -> list[str]:
    text = NOT_WORDS.sub(" ", text)
    return [w for w in WORD.findall(text) if w not in ALLOWED and len(w) > 1]


def visible_strings(html: str) -> Iterator[str]:
    """The text an editor can read: text nodes outside code, and the labelling attributes."""
    soup = BeautifulSoup(html, "html.parser")
    for node in soup.find_all(string=True):
        if isinstance(node, Comment | Declaration | Doctype | ProcessingInstruction):
            continue
        if any(
            parent.name in HIDDEN_TAGS or parent.has_attr("data-side-panel-toggle-counter")
            for parent in node.parents
        ):
            # A side panel's counter is a number its script fills in (Wagtail renders None).
            continue
        if node.strip():
            yield " ".join(node.split())
    for tag in soup.find_all(True):
        for attribute in TEXT_ATTRIBUTES:
            value = tag.get(attribute)
            if isinstance(value, str) and value.strip():
                yield value.strip()
    config = soup.find("script", id="wagtail-config")
    if config and config.string:
        yield from json_strings(json.loads(config.string).get("STRINGS", {}))
    # What scripts render from JSON the server wrote: the sidebar's menu, Draftail's toolbar,
    # StreamField's block names. Only the keys that hold a label, not the data.
    for tag in soup.find_all(True):
        for value in [*tag.attrs.values(), tag.string if tag.name == "script" else None]:
            if isinstance(value, str) and value.lstrip()[:1] in ("{", "["):
                try:
                    data = json.loads(value)
                except ValueError:
                    continue
                yield from labels_in(data)


LABEL_KEYS = {"label", "description", "placeholder", "helpText", "help_text"}


def labels_in(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for name, item in value.items():
            if name in LABEL_KEYS and isinstance(item, str):
                yield re.sub(r"<[^>]+>", " ", re.sub(r"<code>.*?</code>", " ", item))
            else:
                yield from labels_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from labels_in(item)


def json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def admin_links(html: str) -> Iterator[str]:
    """Every /admin/ URL the page names: links, form actions, chooser and data-* URLs."""
    for match in re.finditer(r"""["'](/admin/[^"'\s<>]*)""", html.replace("\\/", "/")):
        yield match.group(1).replace("&amp;", "&")


def shape(url: str) -> str:
    path = url.split("?")[0].split("#")[0]
    return re.sub(r"/\d+(?=/)", "/N", path)


@dataclass
class Crawl:
    client: Client
    seen: set[str] = field(default_factory=set)
    visited: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # untranslated string -> the URLs it was seen on
    found: dict[str, set[str]] = field(default_factory=dict)

    def run(self, start: Iterable[str]) -> None:
        queue = list(start)
        for url in queue:
            self.seen.add(shape(url))
        while queue:
            url = queue.pop(0)
            for link in self.visit(url):
                key = shape(link)
                if key not in self.seen and not SKIP.search(link.split("?")[0]):
                    self.seen.add(key)
                    queue.append(link.split("#")[0])

    def visit(self, url: str) -> list[str]:
        try:
            response = self.client.get(url)
        except Exception as error:
            self.errors.append(f"{url}: {error!r}")
            return []
        if response.status_code >= 500:
            self.errors.append(f"{url}: {response.status_code}")
        if response.status_code != 200 or response.get("Content-Type", "").split(";")[0] not in (
            "text/html",
            "application/json",
        ):
            return []
        self.visited.append(url)
        html = response.content.decode()
        if response["Content-Type"].startswith("application/json"):
            try:
                html = str(json.loads(html).get("html") or "")
            except (ValueError, AttributeError):
                return []
        for text in visible_strings(html):
            if words_in(text):
                self.found.setdefault(text, set()).add(url)
        return list(admin_links(html))

    def report(self) -> str:
        lines = [f"{len(self.found)} untranslated strings on {len(self.visited)} screens:"]
        lines += [f"  error: {error}" for error in self.errors]
        for text, urls in sorted(self.found.items()):
            lines.append(f"  {text!r} ({', '.join(words_in(text))}) at {sorted(urls)[0]}")
        return "\n".join(lines)


def page_forms(home: Page) -> list[str]:
    """The add and edit forms of every kanwu page type, under a parent that allows it."""
    urls = [f"/admin/pages/{home.pk}/edit/"]
    for model in (ArticlePage, ColumnPage, SimplePage, HomePage, TopicIndexPage, TopicPage):
        page = model.objects.exclude(pk=home.pk).first()
        if page is not None:
            urls.append(f"/admin/pages/{page.pk}/edit/")
        for parent in Page.objects.filter(depth__gte=1).specific():
            if model in parent.specific_class.allowed_subpage_models():
                label = model._meta.app_label
                urls.append(f"/admin/pages/add/{label}/{model._meta.model_name}/{parent.pk}/")
                break
    return urls


def one_of_everything(home: HomePage) -> None:
    """One item in each listing kanwu has."""
    column = ColumnFactory(parent=home, title="新闻", slug="news")
    cover = make_image("封面")
    article = ArticleFactory(parent=column, title="统一战线的历史", slug="history", cover=cover)
    home.add_child(instance=SimplePage(title="关于我们", slug="about", body="<p>简介</p>"))
    topics = TopicIndexPage(title="专题", slug="zhuanti")
    home.add_child(instance=topics)
    topics.add_child(
        instance=TopicPage(
            title="同心专题", banner=cover, intro="<p>导语</p>",
            sections=[("section", {"heading": "要闻", "tags": "统战", "count": 6,
                                   "articles": [article]})],
        )
    )  # fmt: skip
    comment_create(
        article=article, parent=None, author_name="读者", author_email="duzhe@example.cn",
        body="写得很好。", status="pending",
    )  # fmt: skip
    submission_create(
        site=None, name="张三", email="zs@example.cn", phone="", title="家乡的变化",
        body="第一段。", files=[],
    )  # fmt: skip
    takedown_create(
        site=None, name="李四", organisation="", email="lisi@example.cn", phone="",
        right="reputation", reason="内容失实。", articles=[("/news/history/", article)],
        files=[],
    )  # fmt: skip
    SensitiveWord.objects.create(word="违禁词")
    SiteWord.objects.create(word="统一战线")
    ReplyTemplate.objects.get_or_create(name="感谢来稿", defaults={"body": "谢谢。"})
    Redirect.objects.create(old_path="/jiu", redirect_page=article)
    document = get_document_model()(title="文件")
    document.file.save("wenjian.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    # The run pages of the importer: one still running (its page polls the JSON), one done.
    WordPressImport.objects.create(
        filename="site.xml", path="", status=WordPressImport.Status.RUNNING, total=10, done=4,
        failed=1, errors=["[图片附件] #10《会场》：对方服务器返回错误 HTTP 404"],
    )  # fmt: skip
    UrlImport.objects.create(
        urls=["https://example.cn/a.html", "https://example.cn/b.html"], column=column,
        status=UrlImport.Status.DONE, total=2, done=2, skipped=1, failed=1,
        errors=["https://example.cn/b.html：对方服务器返回错误 HTTP 404"],
        report="导入完成：已导入 0 篇，已跳过 1 篇，失败 1 篇。",
        results=[
            UrlOutcome(url="https://example.cn/a.html", status=Status.SKIPPED,
                       message="此网址已导入过", existing=article).as_line(),
            UrlOutcome(url="https://example.cn/b.html", status=Status.FAILED,
                       message="对方服务器返回错误 HTTP 404").as_line(),
        ],
    )  # fmt: skip


def users() -> tuple[User, User]:
    administrator = User.objects.create_superuser("管理员", "admin@example.cn", "pw-123456")
    editor = User.objects.create_user("编辑", "bianji@example.cn", "pw-123456")
    editor.groups.add(Group.objects.get(name="编辑"))
    return administrator, editor


def crawl_everything(client: Client, home: HomePage) -> Crawl:
    administrator, editor = users()
    crawl = Crawl(client)
    crawl.run(["/admin/login/", "/admin/password_reset/"])  # signed out
    for user in (administrator, editor):
        client.force_login(user)
        crawl.seen.clear()
        crawl.run(["/admin/", *page_forms(home)])
    return crawl


@pytest.fixture
def full(home: HomePage, site_settings: Any) -> HomePage:
    one_of_everything(home)
    return home


def test_empty_admin_speaks_chinese(client: Client, home: HomePage) -> None:
    crawl = crawl_everything(client, home)
    print(crawl.report())
    assert len(crawl.visited) > 40
    assert not crawl.found and not crawl.errors, crawl.report()


def test_full_admin_speaks_chinese(client: Client, full: HomePage) -> None:
    crawl = crawl_everything(client, full)
    print(crawl.report())
    assert len(crawl.visited) > 60
    assert not crawl.found and not crawl.errors, crawl.report()


def test_the_crawl_sees_english_wherever_an_editor_would() -> None:
    """The checks above are only as good as what they read: text, labelling attributes, the
    labels scripts render from JSON, the admin's JS strings; not code, URLs or names."""
    html = """<!doctype html><html><head><title>Edit page</title>
      <script id="wagtail-config" type="application/json">{"STRINGS": {"EDIT": "Edit it"}}</script>
      <script id="wagtail-sidebar-props" type="application/json">
        {"modules": [{"_args": [{"label": "Reports", "url": "/admin/reports/"}]}]}</script>
      <script>var hidden = "Not shown";</script></head>
      <body><p>保存草稿 Save draft</p><input placeholder="Search"><button aria-label="Close">
      <img alt="Cover"><div data-options='{"description": "Bold", "type": "BOLD"}'></div>
      <code>kanwu backup</code><p>写信给 editor@example.cn，网址 https://example.cn/news/，
      文件 photo.jpg，WordPress 导入，Ctrl + s</p></body></html>"""
    found = {word for text in visible_strings(html) for word in words_in(text)}
    assert found == {"Edit", "page", "it", "Reports", "Save", "draft", "Search", "Close",
                     "Cover", "Bold"}  # fmt: skip


def test_default_names_and_permissions_read_in_chinese(client: Client, full: HomePage) -> None:
    """The 发布 menu offers 提交给审核 (Wagtail's default workflow, renamed); 用户组 lists
    Chinese groups and permissions."""
    administrator, _ = users()
    client.force_login(administrator)
    article = ArticlePage.objects.get()
    editor = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "提交给审核" in editor and "定时发布" in editor
    assert set(Group.objects.values_list("name", flat=True)) >= {"编辑", "审核"}
    names = dict(Permission.objects.values_list("codename", "name"))
    assert names["add_comment"] == "可以添加评论"
    assert names["access_admin"] == "可以访问 Wagtail 后台"
    group = client.get(f"/admin/groups/edit/{Group.objects.get(name='编辑').pk}/").content
    assert "可以添加评论" in group.decode() and "可以删除两步验证设备" in group.decode()
