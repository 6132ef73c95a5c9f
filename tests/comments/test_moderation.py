"""One-click moderation in the admin's comment queue: the row buttons (批准, 垃圾评论, 删除,
回复), the editor's reply under the site's name, the shortcuts' script, the count on the menu."""

from __future__ import annotations

import json
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kanwu.articles.models import ArticlePage
from kanwu.comments.models import MAX_DEPTH, ArticleCommentState, Comment
from kanwu.site.models import SiteSettings
from tests.comments.conftest import approved
from tests.publishing.conftest import Reader, page_cache  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db
LIST_URL = "/admin/snippets/comments/comment/"


@pytest.fixture
def editor(django_user_model: type[User]) -> Client:
    """A superuser whose browser sends CSRF tokens, as a real one must."""
    client = Client(enforce_csrf_checks=True)
    user = django_user_model.objects.create_superuser("editor", "editor@example.cn", "pw-1")
    client.force_login(user)
    return client


@pytest.fixture
def viewer(django_user_model: type[User]) -> Client:
    """An admin user who may look at comments but not change them."""
    user = django_user_model.objects.create_user("viewer", "v@example.cn", "pw-1")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_comment", content_type__app_label="comments"),
    )
    client = Client()
    client.force_login(user)
    return client


def soup_of(response: Any) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def row_cell(page: BeautifulSoup, comment: Comment) -> Any:
    """The moderation cell of `comment`'s row (found by its bulk-action checkbox)."""
    checkbox = page.select_one(f'input[data-object-id="{comment.pk}"]')
    assert checkbox is not None, f"comment {comment.pk} is not listed"
    return checkbox.find_parent("tr").select_one("td.kanwu-moderation")


def row_labels(cell: Any) -> list[str]:
    return [control.get_text(strip=True) for control in cell.select("button, a.button")]


def form_for(cell: Any, label: str) -> tuple[str, dict[str, str]]:
    """The row's one-button form `label`: where it posts and what it sends."""
    button = next(b for b in cell.select("button") if b.get_text(strip=True) == label)
    form = button.find_parent("form")
    fields = {field["name"]: field.get("value", "") for field in form.select("input")}
    return form["action"], fields


def messages_on(client: Client, url: str) -> list[str]:
    page = soup_of(client.get(url))
    return [item.get_text(" ", strip=True) for item in page.select(".messages li")]


def test_each_row_offers_the_actions_its_status_allows(
    editor: Client, article: ArticlePage
) -> None:
    comments = {status: approved(article, status=status) for status in Comment.Status.values}
    page = soup_of(editor.get(LIST_URL))
    assert row_labels(row_cell(page, comments["pending"])) == ["批准", "垃圾评论", "删除", "回复"]
    assert row_labels(row_cell(page, comments["approved"])) == ["垃圾评论", "删除", "回复"]
    assert row_labels(row_cell(page, comments["spam"])) == ["批准", "删除"]
    assert row_labels(row_cell(page, comments["trash"])) == ["批准", "垃圾评论"]
    header = [th.get_text(strip=True) for th in page.select("thead th")]
    assert "审核" in header
    # Wagtail's own delete (for good) in the row's menu is not a second 删除.
    menu = page.select_one(f'input[data-object-id="{comments["pending"].pk}"]').find_parent("tr")
    assert "永久删除" in [
        a.get_text(strip=True) for a in menu.select("[data-controller=w-dropdown] a")
    ]


@pytest.mark.parametrize(
    ("label", "status", "message"),
    [
        ("批准", "approved", "已批准“待审读者”的评论。"),
        ("垃圾评论", "spam", "已将“待审读者”的评论标记为垃圾评论。"),
        ("删除", "trash", "已将“待审读者”的评论移到回收站。"),
    ],
)
def test_one_click_changes_the_status_and_returns_to_the_same_listing(
    editor: Client,
    article: ArticlePage,
    django_capture_on_commit_callbacks: Any,
    label: str,
    status: str,
    message: str,
) -> None:
    comment = approved(article, author_name="待审读者", status="pending")
    other = approved(article, author_name="另一位", status="pending")
    listing = f"{LIST_URL}?status=pending&q=待审"
    action, fields = form_for(row_cell(soup_of(editor.get(listing)), comment), label)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(action, fields)
    assert response.status_code == 302
    back = response["Location"]
    assert back.startswith(LIST_URL + "?")
    assert "status=pending" in back
    assert messages_on(editor, back) == [message]
    comment.refresh_from_db()
    other.refresh_from_db()
    assert (comment.status, other.status) == (status, "pending")


def test_the_filtered_results_view_sends_actions_back_to_the_full_listing(
    editor: Client, article: ArticlePage
) -> None:
    """Filtering redraws the table from results/; its buttons must not lead back there."""
    comment = approved(article, status="pending")
    page = soup_of(editor.get(LIST_URL + "results/?status=pending"))
    action, fields = form_for(row_cell(page, comment), "批准")
    assert fields["next"] == LIST_URL + "?status=pending"
    assert editor.post(action, fields)["Location"] == LIST_URL + "?status=pending"


def test_repeated_or_unknown_actions_say_so_in_chinese(
    editor: Client, article: ArticlePage
) -> None:
    comment = approved(article, author_name="老读者", status="pending")
    action, fields = form_for(row_cell(soup_of(editor.get(LIST_URL)), comment), "批准")
    assert messages_on(editor, editor.post(action, fields)["Location"]) == [
        "已批准“老读者”的评论。"
    ]
    again = editor.post(action, fields)
    assert messages_on(editor, again["Location"]) == ["“老读者”的评论已经是“已批准”状态。"]
    unknown = editor.post(action, {**fields, "action": "explode"})
    assert unknown.status_code == 400
    assert unknown.content.decode() == "未知的审核操作。"
    missing = editor.post(action.replace(f"/{comment.pk}/", "/999999/"), fields)
    assert missing.status_code == 404
    assert editor.get(action).status_code == 405
    # A `next` pointing elsewhere is not followed.
    offsite = editor.post(action, {**fields, "next": "https://evil.example/"})
    assert offsite["Location"] == LIST_URL


def test_actions_without_the_csrf_token_are_refused(editor: Client, article: ArticlePage) -> None:
    comment = approved(article, status="pending")
    action, fields = form_for(row_cell(soup_of(editor.get(LIST_URL)), comment), "批准")
    del fields["csrfmiddlewaretoken"]
    assert editor.post(action, fields).status_code == 403
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_users_without_the_change_permission_get_no_buttons_and_are_turned_away(
    viewer: Client, article: ArticlePage
) -> None:
    comment = approved(article, body="只能看的评论", status="pending")
    page = soup_of(viewer.get(LIST_URL))
    assert "只能看的评论" in page.get_text()
    assert page.select("td.kanwu-moderation button, td.kanwu-moderation a") == []
    # Wagtail's way with a refused admin view: back to the dashboard with a message.
    moderate = f"{LIST_URL}moderate/{comment.pk}/"
    refused = viewer.post(moderate, {"action": "approve"})
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    assert "你没有权限访问" in messages_on(viewer, "/admin/")[0]
    for response in [
        viewer.get(f"{LIST_URL}reply/{comment.pk}/"),
        viewer.post(f"{LIST_URL}reply/{comment.pk}/", {"body": "越权"}),
    ]:
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert Comment.objects.count() == 1


# --- 回复 --------------------------------------------------------------------------------


def reply_form(client: Client, cell: Any) -> tuple[str, dict[str, str]]:
    """Follow the row's 回复 link; the reply page's form, its action and hidden fields."""
    link = next(a for a in cell.select("a.button") if a.get_text(strip=True) == "回复")
    page = soup_of(client.get(link["href"]))
    form = page.select_one("main form[method=post]")
    fields = {field["name"]: field.get("value", "") for field in form.select("input")}
    return link["href"].split("?")[0], fields


@pytest.fixture
def cached_reader(page_cache: Any) -> Reader:  # noqa: F811
    return Reader()


def test_an_editors_reply_appears_at_once_under_the_sites_name(
    editor: Client,
    article: ArticlePage,
    cached_reader: Reader,
    django_capture_on_commit_callbacks: Any,
) -> None:
    question = approved(article, author_name="提问者", body="请问下期什么时候出？")
    assert "请问下期什么时候出" in cached_reader.text(article.url)
    assert cached_reader.get(article.url)[1]["X-Kanwu-Cache"] == "HIT"

    listing = LIST_URL + "?status=approved"
    url, fields = reply_form(editor, row_cell(soup_of(editor.get(listing)), question))
    page = editor.get(f"{url}?next={fields['next']}").content.decode()
    assert "回复将以“测试新闻网”的名义发布" in page
    assert "请问下期什么时候出？" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(url, {**fields, "body": "下周一出版，敬请关注。"})
    assert response.status_code == 302
    assert response["Location"] == listing
    assert messages_on(editor, listing) == ["已回复“提问者”的评论，回复已发布。"]

    reply = Comment.objects.get(parent=question)
    assert (reply.author_name, reply.status, reply.body) == (
        "测试新闻网",
        "approved",
        "下周一出版，敬请关注。",
    )
    # The cached article page was purged: the reader sees the reply, nested, signed by the site.
    reader_page = BeautifulSoup(cached_reader.text(article.url), "html.parser")
    item = reader_page.select_one(f"#comment-{question.pk} ol.children #comment-{reply.pk}")
    assert item is not None
    assert item.select_one(".comment-author").get_text(strip=True) == "测试新闻网"
    assert item.select_one(".comment-content").get_text(strip=True) == "下周一出版，敬请关注。"


def test_the_reader_who_asked_is_mailed_about_the_editors_reply(
    editor: Client,
    article: ArticlePage,
    site_settings: SiteSettings,
    django_capture_on_commit_callbacks: Any,
) -> None:
    asker = approved(article, author_name="订阅者", author_email="ask@example.cn",
                     notify_replies=True)  # fmt: skip
    url, fields = reply_form(editor, row_cell(soup_of(editor.get(LIST_URL)), asker))
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(url, {**fields, "body": "已更正，谢谢指出。"})
    assert [m.to for m in mail.outbox] == [["ask@example.cn"]]
    assert "测试新闻网 回复了您" in mail.outbox[0].body
    assert "已更正，谢谢指出。" in mail.outbox[0].body


def test_no_reply_on_an_article_whose_comments_are_closed(
    editor: Client, article: ArticlePage
) -> None:
    comment = approved(article)
    url, fields = reply_form(editor, row_cell(soup_of(editor.get(LIST_URL)), comment))
    ArticleCommentState.objects.create(article=article, closed=True)
    response = editor.post(url, {**fields, "body": "关闭后回复"})
    assert response.status_code == 400
    assert "这篇文章的评论已关闭。" in response.content.decode()
    assert Comment.objects.count() == 1


def test_an_empty_reply_is_refused_in_chinese(editor: Client, article: ArticlePage) -> None:
    comment = approved(article)
    url = f"{LIST_URL}reply/{comment.pk}/"
    token = soup_of(editor.get(url)).select_one("input[name=csrfmiddlewaretoken]")["value"]
    for body in ["", "   \n  "]:
        response = editor.post(url, {"csrfmiddlewaretoken": token, "body": body})
        assert response.status_code == 400
        assert "请填写回复内容。" in response.content.decode()
    too_long = editor.post(url, {"csrfmiddlewaretoken": token, "body": "长" * 2001})
    assert too_long.status_code == 400
    assert "回复内容最多 2000 个字符。" in too_long.content.decode()
    assert Comment.objects.count() == 1


def test_replying_to_a_held_comment_approves_it(
    editor: Client, article: ArticlePage, site_settings: SiteSettings
) -> None:
    held = approved(article, author_name="新读者", status="pending")
    url, fields = reply_form(editor, row_cell(soup_of(editor.get(LIST_URL)), held))
    assert "回复时会一并批准" in editor.get(url).content.decode()
    assert editor.post(url, {**fields, "body": "欢迎来稿。"}).status_code == 302
    held.refresh_from_db()
    assert held.status == "approved"
    assert Comment.objects.get(parent=held).status == "approved"


def test_spam_cannot_be_replied_to(editor: Client, article: ArticlePage) -> None:
    spam = approved(article, status="spam")
    url = f"{LIST_URL}reply/{spam.pk}/"
    page = soup_of(editor.get(url))
    assert "不能回复" in page.get_text()
    assert page.select("main form textarea") == []
    other = approved(article, body="另一条")
    reply_page = soup_of(editor.get(f"{LIST_URL}reply/{other.pk}/"))
    token = reply_page.select_one("input[name=csrfmiddlewaretoken]")["value"]
    response = editor.post(url, {"csrfmiddlewaretoken": token, "body": "回复垃圾"})
    assert response.status_code == 400
    assert "只能回复已批准或待审核的评论。" in response.content.decode()
    assert Comment.objects.count() == 2


def test_a_reply_to_the_deepest_comment_goes_beside_it(
    editor: Client, article: ArticlePage, site_settings: SiteSettings
) -> None:
    parent = None
    for level in range(MAX_DEPTH):
        parent = approved(article, author_name=f"第{level + 1}层", parent=parent)
    assert parent is not None and parent.depth == MAX_DEPTH
    url, fields = reply_form(editor, row_cell(soup_of(editor.get(LIST_URL + "?q=第5层")), parent))
    assert editor.post(url, {**fields, "body": "谢谢大家讨论。"}).status_code == 302
    reply = Comment.objects.get(author_name="测试新闻网")
    assert reply.parent_id == parent.parent_id
    assert reply.depth == MAX_DEPTH
    assert reply.body == "回复 @第5层：谢谢大家讨论。"


# --- Shortcuts and the menu -----------------------------------------------------------------


def test_the_shortcuts_script_is_a_static_file_on_admin_pages(
    editor: Client, article: ArticlePage
) -> None:
    approved(article, status="pending")
    page = soup_of(editor.get(LIST_URL))
    scripts = [s["src"] for s in page.select("script[src]") if "moderation" in s["src"]]
    assert scripts == ["/static/comments/moderation.js"]
    assert editor.get(scripts[0]).status_code == 200
    keys = {b["data-kanwu-key"] for b in page.select("td.kanwu-moderation [data-kanwu-key]")}
    assert keys == {"a", "s", "d", "r"}
    titles = {b["title"] for b in page.select("td.kanwu-moderation [data-kanwu-key]")}
    assert "批准（快捷键 a）" in titles


def sidebar_labels(client: Client, url: str) -> list[str]:
    page = soup_of(client.get(url))
    props = json.loads(page.select_one("#wagtail-sidebar-props").string)
    labels: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.append(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return labels


def test_the_menu_shows_the_pending_count(editor: Client, article: ArticlePage) -> None:
    labels = sidebar_labels(editor, "/admin/")
    assert "评论" in labels
    assert "评论审核" in labels
    for _ in range(3):
        approved(article, status="pending")
    approved(article)
    labels = sidebar_labels(editor, "/admin/pages/")
    assert "评论（3）" in labels
    assert "评论审核（3）" in labels


@pytest.mark.parametrize("url", ["/admin/", "/admin/pages/"])
def test_the_count_costs_one_query_per_admin_page(
    editor: Client, article: ArticlePage, url: str
) -> None:
    approved(article, status="pending")
    with CaptureQueriesContext(connection) as context:
        assert editor.get(url).status_code == 200
    table = Comment._meta.db_table
    queries = [q["sql"] for q in context.captured_queries if table in q["sql"]]
    assert len(queries) == 1, queries
    assert "COUNT" in queries[0].upper()
