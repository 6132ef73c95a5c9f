"""Readers post comments: every rule of the form, what readers see, and what stays private."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.comments.models import ArticleCommentState, Comment, CommentSettings
from kanwu.wordfilter.models import SensitiveWord
from tests.comments.conftest import approved, form_data, post_comment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def comment_settings(site: Any, **fields: Any) -> CommentSettings:
    settings = CommentSettings.for_site(site)
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.save()
    return settings


# --- The form and the page -------------------------------------------------------------------


def test_article_page_has_the_wordpress_form_and_no_personal_data(
    client: Client, article: ArticlePage
) -> None:
    page = soup(client.get(article.url))
    respond = page.select_one("#respond")
    assert respond is not None
    assert respond.select_one("h2").get_text() == "发表回复"
    assert "您的电子邮箱地址不会被公开。必填项已用*标注" in respond.get_text()
    form = respond.select_one("form#commentform")
    assert form["action"] == "/comments/post/"
    names = {tag["name"] for tag in form.select("input, textarea")}
    assert {"author", "email", "url", "comment", "comment_parent", "comment_post_ID"} <= names
    assert "notify_replies" in names
    assert form.select_one("textarea[name=comment]")["maxlength"] == "2000"
    for label in ["昵称", "邮箱", "网址", "评论内容"]:
        assert label in form.get_text()
    # Tokens come from /comments/state/, not the cached page.
    assert "csrfmiddlewaretoken" not in names
    assert "kanwu_ts" not in names
    assert page.select_one("script[src$='comments/comments.js']") is not None


def test_state_endpoint_gives_tokens_and_is_private(client: Client, article: ArticlePage) -> None:
    response = client.get(f"/comments/state/?article={article.pk}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    state = response.json()
    assert state["csrf"]
    assert state["fields"]["kanwu_ts"]
    assert state["open"] is True
    assert state["pending"] == []


def test_email_addresses_never_appear_in_public_output(
    reader: Client, client: Client, article: ArticlePage, site: Any
) -> None:
    comment_settings(site, policy="publish")
    parent = approved(article, author_email="secret-parent@example.cn")
    post_comment(reader, article, email="secret-reply@example.cn", comment_parent=parent.pk)
    post_comment(reader, article, email="secret-held@example.cn", comment="待审", url="")
    Comment.objects.filter(author_email="secret-held@example.cn").update(status="pending")
    assert Comment.objects.filter(status="approved").count() == 2
    outputs = [
        client.get(article.url).content,
        client.get(f"{article.url}?replytocom={parent.pk}").content,
        reader.get(f"/comments/state/?article={article.pk}").content,
        client.get(f"/comments/post/?article={article.pk}&replytocom={parent.pk}").content,
    ]
    assert "写得很好".encode() in outputs[0]
    assert len(reader.get(f"/comments/state/?article={article.pk}").json()["pending"]) == 1
    for output in outputs:
        assert b"secret-" not in output


@pytest.mark.parametrize("query", ["", "?article=", "?article=abc", "?article=999999"])
def test_state_endpoint_for_a_missing_article_is_404(
    client: Client, article: ArticlePage, query: str
) -> None:
    response = client.get(f"/comments/state/{query}")
    assert response.status_code == 404
    assert response.json()["error"] == "文章不存在。"


def test_post_redirects_back_and_holds_the_comment(reader: Client, article: ArticlePage) -> None:
    response = post_comment(reader, article, notify_replies="on")
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert response["Location"] == f"{article.url}#comment-{comment.pk}"
    assert comment.status == Comment.Status.PENDING
    assert comment.notify_replies is True
    assert comment.ip_address == "203.0.113.9"
    assert comment.author_email == "reader@example.cn"
    # The page is the same for everyone and does not show the held comment...
    assert "写得很好" not in reader.get(article.url).content.decode()
    # ...but the commenter's own state does, marked as waiting.
    pending = reader.get(f"/comments/state/?article={article.pk}").json()["pending"]
    assert [item["id"] for item in pending] == [comment.pk]
    assert "您的评论正在等待审核" in pending[0]["html"]
    assert "写得很好" in pending[0]["html"]
    assert "reader@example.cn" not in pending[0]["html"]
    # Another reader sees nothing of it.
    assert Client().get(f"/comments/state/?article={article.pk}").json()["pending"] == []


def test_a_forged_commenter_cookie_shows_nothing(reader: Client, article: ArticlePage) -> None:
    post_comment(reader, article)
    other = Client()
    other.cookies["kanwu_commenter"] = str(Comment.objects.get().pk)
    assert other.get(f"/comments/state/?article={article.pk}").json()["pending"] == []


def test_approved_comments_are_listed_oldest_first_and_threaded(
    client: Client, article: ArticlePage
) -> None:
    now = timezone.now()
    first = approved(article, author_name="甲", body="第一条", created_at=now)
    second = approved(article, author_name="乙", body="第二条", created_at=now)
    reply = approved(article, author_name="丙", body="回复甲", parent=first, created_at=now)
    approved(article, author_name="丁", body="待审", status=Comment.Status.PENDING)
    approved(article, author_name="戊", body="垃圾", status=Comment.Status.SPAM)
    page = soup(client.get(article.url))
    top = page.select(".comment-list > li.comment")
    assert [li["id"] for li in top] == [f"comment-{first.pk}", f"comment-{second.pk}"]
    nested = page.select_one(f"#comment-{first.pk} > ol.children > li")
    assert nested["id"] == f"comment-{reply.pk}"
    text = page.select_one(".comment-list").get_text()
    assert "待审" not in text
    assert "垃圾" not in text
    assert page.select_one(f"#comment-{first.pk} .comment-time").get_text()
    assert page.select_one(".comments-title").get_text() == "3 条评论"
    assert "old@example.cn" not in client.get(article.url).content.decode()


def test_reply_links_stop_at_the_deepest_level(client: Client, article: ArticlePage) -> None:
    parent = None
    chain = []
    for depth in range(5):
        parent = approved(article, body=f"第{depth + 1}层", parent=parent)
        chain.append(parent)
    page = soup(client.get(article.url))
    for depth, comment in enumerate(chain, start=1):
        link = page.select_one(f"#comment-{comment.pk} > .comment-body .comment-reply-link")
        if depth < 5:
            assert link["href"] == f"?replytocom={comment.pk}#respond"
            assert link.get_text() == "回复"
        else:
            assert link is None


def test_comment_text_is_escaped_with_line_breaks_and_nofollow_links(
    client: Client, article: ArticlePage
) -> None:
    body = "第一行\n第二行 <b>粗</b>\n\n看 https://example.cn/a?b=1&c=2。"
    comment = approved(article, body=body, author_url="https://blog.example.cn/")
    html = client.get(article.url).content.decode()
    content = soup(client.get(article.url)).select_one(f"#comment-{comment.pk} .comment-content")
    assert "<b>粗</b>" not in html
    assert "&lt;b&gt;粗&lt;/b&gt;" in html
    assert len(content.select("p")) == 2
    assert len(content.select("br")) == 1
    link = content.select_one("a")
    assert link["href"] == "https://example.cn/a?b=1&c=2"
    assert link["rel"] == ["nofollow", "ugc", "noopener"]
    author = soup(client.get(article.url)).select_one(f"#comment-{comment.pk} .comment-author a")
    assert author["rel"] == ["nofollow", "ugc", "noopener"]


XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "'\"><iframe src=javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    'https://example.cn/"onmouseover="alert(1)',
]


@pytest.mark.parametrize("payload", XSS)
def test_xss_payloads_render_inert(
    reader: Client, client: Client, article: ArticlePage, site: Any, payload: str
) -> None:
    comment_settings(site, policy="publish", max_links=5)
    response = post_comment(reader, article, author=payload[:50], comment=payload)
    assert response.status_code == 303
    response = post_comment(
        reader, article, author="网址测试", url=payload, comment=f"网址 {payload}"
    )
    assert response.status_code in (303, 400)  # an invalid URL is refused by the form
    page = soup(client.get(article.url))
    area = page.select_one("#comments")
    assert area.select("script[src]") == area.select("script")  # only comments.js
    assert not area.select("img, svg, iframe")
    for tag in area.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.startswith("on"), tag
            if name in ("href", "src", "action", "formaction"):
                assert not value.strip().lower().startswith("javascript:"), tag


# --- The rules of the form ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"author": ""}, "请填写昵称。"),
        ({"author": "长" * 51}, "昵称最多 50 个字符。"),
        ({"email": ""}, "请填写邮箱。"),
        ({"email": "not-an-email"}, "请填写有效的邮箱地址。"),
        ({"url": "javascript:alert(1)"}, "请填写有效的网址"),
        ({"comment": ""}, "请填写评论内容。"),
        ({"comment": "   "}, "请填写评论内容。"),
        ({"comment": "长" * 2001}, "评论内容最多 2000 个字符。"),
        ({"comment_parent": "abc"}, "回复的评论编号无效。"),
    ],
)
def test_bad_fields_are_refused_with_the_input_kept(
    reader: Client, article: ArticlePage, fields: dict[str, str], message: str
) -> None:
    data = form_data(reader, article, **{"comment": "我输入的内容", **fields})
    response = reader.post("/comments/post/", data)
    assert response.status_code == 400
    page = soup(response)
    assert message in page.select_one(".comment-errors").get_text()
    textarea = page.select_one("textarea[name=comment]").get_text()
    assert textarea.strip() == data["comment"].strip()
    assert page.select_one("input[name=csrfmiddlewaretoken]")["value"]
    assert page.select_one("input[name=kanwu_ts]")["value"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize("article_id", ["", "abc", "999999"])
def test_posting_to_a_missing_article_is_404(
    reader: Client, article: ArticlePage, article_id: str
) -> None:
    response = reader.post(
        "/comments/post/", form_data(reader, article, comment_post_ID=article_id)
    )
    assert response.status_code == 404
    assert "文章不存在" in response.content.decode()
    assert not Comment.objects.exists()


def test_replies_to_bad_parents_are_refused(
    reader: Client, article: ArticlePage, news: ColumnPage
) -> None:
    elsewhere = approved(ArticleFactory(parent=news))
    held = approved(article, status=Comment.Status.PENDING)
    for parent_id in [999999, elsewhere.pk, held.pk]:
        response = post_comment(
            reader, article, comment_parent=parent_id, comment=f"回复{parent_id}"
        )
        assert response.status_code == 400
        assert "回复的评论不存在或不属于这篇文章" in response.content.decode()
    assert Comment.objects.count() == 2


def test_a_reply_deeper_than_five_levels_is_refused(reader: Client, article: ArticlePage) -> None:
    parent = None
    for _ in range(5):
        parent = approved(article, parent=parent)
    assert parent is not None
    response = post_comment(reader, article, comment_parent=parent.pk)
    assert response.status_code == 400
    assert "回复层级太深了" in response.content.decode()
    assert Comment.objects.count() == 5


def test_a_reply_is_stored_under_its_parent(reader: Client, article: ArticlePage) -> None:
    parent = approved(article)
    assert post_comment(reader, article, comment_parent=parent.pk).status_code == 303
    assert Comment.objects.get(parent=parent).article == article


def test_closed_article_refuses_comments(
    reader: Client, client: Client, article: ArticlePage
) -> None:
    ArticleCommentState.objects.create(article=article, closed=True)
    page = soup(client.get(article.url))
    assert page.select_one("#respond .comments-closed").get_text() == "评论已关闭。"
    assert page.select_one("#commentform") is None
    response = post_comment(reader, article)
    assert response.status_code == 400
    assert "这篇文章的评论已关闭" in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_close_after_n_days(reader: Client, article: ArticlePage, site: Any) -> None:
    comment_settings(site, close_after_days=7)
    assert post_comment(reader, article, comment="七天内").status_code == 303
    ArticlePage.objects.filter(pk=article.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=8)
    )
    response = post_comment(reader, article, comment="八天后")
    assert response.status_code == 400
    assert "评论已关闭" in response.content.decode()
    assert Comment.objects.count() == 1


def test_missing_or_wrong_csrf_token_is_403_in_chinese(
    reader: Client, article: ArticlePage
) -> None:
    data = form_data(reader, article, comment="我的评论草稿")
    del data["csrfmiddlewaretoken"]
    response = reader.post("/comments/post/", data)
    assert response.status_code == 403
    assert "安全校验失败" in response.content.decode()
    assert soup(response).select_one("textarea[name=comment]").get_text().strip() == "我的评论草稿"
    data["csrfmiddlewaretoken"] = "x" * 64
    assert reader.post("/comments/post/", data).status_code == 403
    fresh = Client(enforce_csrf_checks=True)
    response = fresh.post("/comments/post/", {"comment": "无 Cookie"})
    assert response.status_code == 403
    assert "安全校验失败" in response.content.decode()
    assert not Comment.objects.exists()


def test_non_utf8_body_is_refused(reader: Client, article: ArticlePage) -> None:
    data = form_data(reader, article)
    body = (
        "&".join(
            f"{key}={value}" for key, value in data.items() if key not in ("author", "comment")
        ).encode()
        + b"&author=%C4%E3%BA%C3&comment=%D6%D0%CE%C4%C6%C0%C2%DB"
    )
    response = reader.post(
        "/comments/post/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert not Comment.objects.exists()


def test_huge_post_is_refused(reader: Client, article: ArticlePage) -> None:
    response = reader.post("/comments/post/", form_data(reader, article, comment="长" * 100_000))
    assert response.status_code == 413
    assert "提交的内容太大" in response.content.decode()
    assert not Comment.objects.exists()


# --- Spam ------------------------------------------------------------------------------------


def test_honeypot_is_refused(reader: Client, article: ArticlePage) -> None:
    response = post_comment(reader, article, kanwu_hp="http://spam.example")
    assert response.status_code == 400
    assert "请不要填写隐藏的字段" in response.content.decode()
    assert not Comment.objects.exists()


def test_posting_too_fast_is_refused(reader: Client, article: ArticlePage, settings: Any) -> None:
    settings.KANWU_COMMENT_MIN_SECONDS = 3
    response = post_comment(reader, article, comment="秒回")
    assert response.status_code == 400
    page = soup(response)
    assert "提交太快了" in page.select_one(".comment-errors").get_text()
    assert page.select_one("textarea[name=comment]").get_text().strip() == "秒回"
    assert not Comment.objects.exists()


def test_missing_timing_token_is_refused(reader: Client, article: ArticlePage) -> None:
    data = form_data(reader, article)
    del data["kanwu_ts"]
    response = reader.post("/comments/post/", data)
    assert response.status_code == 400
    assert "表单校验失败" in response.content.decode()


def test_rate_limit_per_ip(reader: Client, article: ArticlePage, settings: Any) -> None:
    settings.KANWU_COMMENT_RATE_LIMIT = 2
    for n in range(2):
        assert (
            post_comment(reader, article, email=f"r{n}@example.cn", comment=f"{n}").status_code
            == 303
        )
    response = post_comment(reader, article, email="r9@example.cn", comment="第三条")
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert Comment.objects.count() == 2


def test_rate_limit_per_email(article: ArticlePage, settings: Any) -> None:
    settings.KANWU_COMMENT_RATE_LIMIT = 2
    for n in range(3):
        client = Client(enforce_csrf_checks=True, REMOTE_ADDR=f"198.51.100.{n}")
        response = post_comment(client, article, email="same@example.cn", comment=f"第{n}条")
    assert response.status_code == 429
    assert "该邮箱提交过于频繁" in response.content.decode()
    assert Comment.objects.count() == 2


def test_too_many_links_are_refused(reader: Client, article: ArticlePage) -> None:
    text = "https://a.example https://b.example https://c.example"
    response = post_comment(reader, article, comment=text)
    assert response.status_code == 400
    assert "链接太多了，最多允许 2 个" in response.content.decode()
    assert not Comment.objects.exists()


def test_exact_duplicate_is_refused(reader: Client, article: ArticlePage) -> None:
    assert post_comment(reader, article, comment="同样的话").status_code == 303
    response = post_comment(reader, article, comment="同样的话")
    assert response.status_code == 400
    assert "您已经提交过相同的内容" in response.content.decode()
    assert Comment.objects.count() == 1
    # Also when the cache has forgotten it (a restart, an eviction): the database remembers.
    cache.clear()
    response = post_comment(reader, article, comment="同样的话")
    assert response.status_code == 400
    assert "您已经提交过相同的内容" in response.content.decode()
    assert Comment.objects.count() == 1


# --- Sensitive words and the moderation policy ----------------------------------------------


def test_sensitive_words_reject_hold_and_mask(
    reader: Client, article: ArticlePage, site: Any
) -> None:
    comment_settings(site, policy="publish")
    SensitiveWord.objects.create(word="违禁", action="reject")
    SensitiveWord.objects.create(word="可疑", action="hold")
    SensitiveWord.objects.create(word="粗话", action="mask")
    response = post_comment(reader, article, comment="这是违 禁内容")
    assert response.status_code == 400
    assert "内容包含不允许发表的词语" in response.content.decode()
    assert not Comment.objects.exists()
    post_comment(reader, article, comment="有点可疑")
    assert Comment.objects.get().status == Comment.Status.PENDING
    post_comment(reader, article, comment="说了句粗话")
    masked = Comment.objects.get(body__startswith="说了句")
    assert (masked.body, masked.status) == ("说了句＊＊", Comment.Status.APPROVED)


def test_policy_publish_at_once(
    reader: Client, client: Client, article: ArticlePage, site: Any
) -> None:
    comment_settings(site, policy="publish")
    post_comment(reader, article, comment="马上可见")
    assert Comment.objects.get().status == Comment.Status.APPROVED
    assert "马上可见" in client.get(article.url).content.decode()


def test_policy_hold_first_time_commenters(reader: Client, article: ArticlePage, site: Any) -> None:
    comment_settings(site, policy="hold_first")
    post_comment(reader, article, comment="第一次")
    first = Comment.objects.get()
    assert first.status == Comment.Status.PENDING
    first.status = Comment.Status.APPROVED
    first.save()
    post_comment(reader, article, email="READER@example.cn", comment="第二次")
    assert Comment.objects.get(body="第二次").status == Comment.Status.APPROVED
    post_comment(reader, article, email="new@example.cn", comment="新人")
    assert Comment.objects.get(body="新人").status == Comment.Status.PENDING


# --- Without JavaScript ---------------------------------------------------------------------


def test_replytocom_puts_the_form_under_the_comment_with_tokens(
    client: Client, article: ArticlePage
) -> None:
    parent = approved(article, author_name="被回复者")
    response = client.get(f"{article.url}?replytocom={parent.pk}")
    page = soup(response)
    respond = page.select_one(f"#comment-{parent.pk} > #respond")
    assert respond is not None
    assert respond.select_one("input[name=comment_parent]")["value"] == str(parent.pk)
    assert respond.select_one("input[name=csrfmiddlewaretoken]")["value"]
    assert respond.select_one("input[name=kanwu_ts]")["value"]
    cancel = respond.select_one("#cancel-comment-reply-link")
    assert cancel.get_text() == "取消回复"
    assert not cancel.has_attr("hidden")
    assert "回复给 被回复者" in respond.get_text()
    assert "Cookie" in response.get("Vary", "")  # never stored by the page cache
    # The plain page keeps the form at the bottom, cancel link hidden.
    plain = soup(client.get(article.url))
    assert plain.select_one("#comments > #respond #cancel-comment-reply-link").has_attr("hidden")


def test_no_js_reply_posts_with_the_inline_tokens(article: ArticlePage) -> None:
    reader = Client(enforce_csrf_checks=True)
    parent = approved(article)
    page = soup(reader.get(f"{article.url}?replytocom={parent.pk}"))
    form = page.select_one("#commentform")
    data = {tag["name"]: tag.get("value", "") for tag in form.select("input[type=hidden]")}
    data.update(author="无脚本读者", email="nojs@example.cn", comment="不用 JS 也能回复")
    response = reader.post(form["action"], data)
    assert response.status_code == 303
    assert Comment.objects.get(author_name="无脚本读者").parent == parent


def test_form_page_for_readers_without_js(article: ArticlePage) -> None:
    reader = Client(enforce_csrf_checks=True)
    response = reader.get(f"/comments/post/?article={article.pk}")
    assert response.status_code == 200
    page = soup(response)
    form = page.select_one("#commentform")
    data = {tag["name"]: tag.get("value", "") for tag in form.select("input[type=hidden]")}
    data.update(author="无脚本", email="nojs@example.cn", comment="单独页面发表")
    assert reader.post(form["action"], data).status_code == 303
    assert Comment.objects.get().body == "单独页面发表"
    assert reader.get("/comments/post/?article=999999").status_code == 404


# --- Mail --------------------------------------------------------------------------------


def test_moderators_are_mailed_about_held_comments(
    reader: Client, article: ArticlePage, site: Any, django_capture_on_commit_callbacks: Any
) -> None:
    comment_settings(site, moderator_emails="mod1@example.cn\nmod2@example.cn\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(reader, article, comment="请审核我")
    assert response.status_code == 303
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mod1@example.cn", "mod2@example.cn"]
    assert "评论测试文章" in message.subject
    assert "请审核我" in message.body
