"""The public takedown form, its receipt and status page."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from kanwu.takedowns.models import Takedown, TakedownArticle, TakedownAttachment
from tests.factories import ArticleFactory
from tests.submissions.helpers import errors_of, png_upload, spam_fields

pytestmark = pytest.mark.django_db

URL = "/takedown/"


@pytest.fixture
def article(news: ColumnPage, site_settings: SiteSettings) -> ArticlePage:
    return ArticleFactory(parent=news, title="转载的文章", slug="reposted", is_repost=True)


def valid_data(client: Client, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "李四",
        "organisation": "某某出版社",
        "email": "lisi@example.cn",
        "phone": "010-12345678",
        "urls": "http://testserver/news/reposted/",
        "right": "copyright",
        "reason": "该文转载自我社出版物，未经授权。",
        "declaration": "on",
        **spam_fields(client, URL),
    }
    data.update(overrides)
    return data


def test_disclaimer_links_to_the_form_with_the_article_prefilled(
    client: Client, article: ArticlePage
) -> None:
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    link = soup.select_one("aside.disclaimer a[href^='/takedown/']")
    assert link is not None
    form = client.get(link["href"])
    assert form.status_code == 200
    textarea = BeautifulSoup(form.content, "html.parser").select_one("textarea[name=urls]")
    assert textarea.get_text().strip() == "/news/reposted/"


def test_request_with_proof_gets_receipt_mail_and_status(
    client: Client, article: ArticlePage, site_settings: SiteSettings,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, valid_data(client, attachments=[png_upload("证明.png")]))
    assert response.status_code == 302
    item = Takedown.objects.get()
    assert response["Location"] == f"/takedown/received/?code={item.code}"
    receipt = client.get(response["Location"]).content.decode()
    assert item.code in receipt
    assert site_settings.reply_promise in receipt
    linked = TakedownArticle.objects.get()
    assert linked.article_id == article.pk
    assert linked.path == "/news/reposted/"
    assert TakedownAttachment.objects.get().original_name == "证明.png"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lisi@example.cn"]
    assert item.code in mail.outbox[0].body
    assert "转载的文章" in mail.outbox[0].body
    status = client.get("/takedown/status/", {"code": item.code})
    assert status.status_code == 200
    soup = BeautifulSoup(status.content, "html.parser")
    assert soup.select_one(".item-status").get_text() == "已收到"
    assert soup.select_one(".item-title").get_text() == "转载的文章"


def test_a_path_without_host_is_accepted(client: Client, article: ArticlePage) -> None:
    response = client.post(URL, valid_data(client, urls="/news/reposted/\n\n"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "请填写投诉人姓名"),
        ({"email": ""}, "请填写电子邮箱"),
        ({"urls": ""}, "请填写被投诉文章的网址"),
        ({"reason": ""}, "请说明侵权的理由"),
        ({"right": ""}, "请选择您主张的权利"),
        ({"declaration": ""}, "请阅读并勾选真实性声明"),
        (
            {"urls": "https://other-site.example.com/news/reposted/"},
            "第 1 行不是本站已发布文章的网址",
        ),
        ({"urls": "http://testserver/news/"}, "第 1 行不是本站已发布文章的网址"),
        ({"urls": "/news/reposted/\nhttp://testserver/news/nothing/"}, "第 2 行不是本站"),
        ({"urls": "javascript:alert(1)"}, "第 1 行不是本站"),
        ({"urls": "\n".join(f"/news/a{n}/" for n in range(21))}, "一次最多投诉 20 篇文章"),
    ],
)
def test_bad_requests_are_refused_with_fields_kept(
    client: Client, article: ArticlePage, overrides: dict[str, str], message: str
) -> None:
    response = client.post(URL, valid_data(client, **overrides))
    assert response.status_code == 400
    assert message in errors_of(response)
    if "reason" not in overrides:
        assert "该文转载自我社出版物" in response.content.decode()
    assert not Takedown.objects.exists()


def test_an_unpublished_article_cannot_be_named(client: Client, article: ArticlePage) -> None:
    article.unpublish()
    response = client.post(URL, valid_data(client))
    assert response.status_code == 400
    assert not Takedown.objects.exists()


def test_unknown_tracking_code_is_404(client: Client, home: Any) -> None:
    response = client.get("/takedown/status/", {"code": "AAAAAAAAAAAAAAAAAAAAAA"})
    assert response.status_code == 404
    assert "没有找到这个查询码对应的投诉" in errors_of(response)


def test_sensitive_words_in_a_complaint_are_flagged_not_refused(
    client: Client, article: ArticlePage, monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    from kanwu.wordfilter import services as wordfilter

    monkeypatch.setattr(wordfilter, "_current", None)  # the suite clears the cache it keys on
    with django_capture_on_commit_callbacks(execute=True):
        wordfilter.words_import(lines=["违禁词语"], action="reject")
    response = client.post(URL, valid_data(client, reason="文章称我为违禁词语，属于诽谤。"))
    assert response.status_code == 302
    assert Takedown.objects.get().flagged_words == "违禁词语"
