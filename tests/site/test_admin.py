"""Editors work in a Simplified Chinese admin; site settings and pages are edited there."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from wagtail.contrib.redirects.models import Redirect

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client: Client, django_user_model: type[User]) -> Client:
    user = django_user_model.objects.create_superuser("editor", "e@example.cn", "pw-123456")
    client.force_login(user)
    return client


def test_admin_login_is_in_simplified_chinese(client: Client) -> None:
    response = client.get("/admin/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'lang="zh-hans"' in page
    assert "登录" in page


def test_site_settings_are_edited_in_the_admin(
    editor_client: Client, site: Any, site_settings: SiteSettings, news: ColumnPage
) -> None:
    url = f"/admin/settings/kanwu_site/sitesettings/{site.pk}/"
    page = editor_client.get(url).content.decode()
    labels = ["站长QQ", "投稿邮箱", "免责声明", "侵权投诉邮箱", "每日一读栏目", "ICP备案号"]
    for label in [*labels, "网站图标", "分享图片", "百度推送准入密钥", "百度推送接口", "繁体字形"]:
        assert label in page
    form = {
        "site_name": "新名字新闻网",
        "webmaster_qq": "87654321",
        "submission_email": "a@example.cn",
        "reply_promise": "我们将48小时内回复",
        "disclaimer": "声明",
        "takedown_email": "t@example.cn",
        "daily_reading_title": "每日一读",
        "daily_reading_column": str(news.pk),
        "excerpt_length": "50",
        "baidu_push_endpoint": "http://data.zz.baidu.com/urls",
        "traditional_variant": "s2hk",
    }
    response = editor_client.post(url, form)
    assert response.status_code == 302
    saved = SiteSettings.for_site(site)
    assert saved.traditional_variant == "s2hk"
    assert saved.site_name == "新名字新闻网"
    assert saved.daily_reading_column_id == news.pk
    assert "新名字新闻网" in editor_client.get(news.url).content.decode()


def test_invalid_settings_show_chinese_errors_and_keep_old_values(
    editor_client: Client, site: Any, site_settings: SiteSettings
) -> None:
    url = f"/admin/settings/kanwu_site/sitesettings/{site.pk}/"
    response = editor_client.post(url, {"site_name": "", "submission_email": "不是邮箱"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "无法保存设置" in page
    assert "必需字段" in page
    assert "输入一个有效的 Email 地址" in page
    assert SiteSettings.for_site(site).site_name == "测试新闻网"


def test_article_created_in_admin_gets_pinyin_slug(editor_client: Client, news: ColumnPage) -> None:
    url = f"/admin/pages/add/articles/articlepage/{news.pk}/"
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(
        url,
        {
            "title": "统战史话：重庆谈判",
            "slug": "",
            "body": '{"blocks":[{"key":"a","type":"unstyled","text":"正文","depth":0,'
            '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
            "published_at": "2026-01-02 10:00:00",
            "tags": "",
            # The 推荐位 inline's formset, empty, as the editor's browser sends it.
            "slots-TOTAL_FORMS": "0",
            "slots-INITIAL_FORMS": "0",
            "slots-MIN_NUM_FORMS": "0",
            "slots-MAX_NUM_FORMS": "1000",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get(title="统战史话：重庆谈判")
    assert article.slug == "tong-zhan-shi-hua-chong-qing-tan-pan"
    assert article.live
    assert article.url == "/news/tong-zhan-shi-hua-chong-qing-tan-pan/"


def test_changing_a_slug_keeps_the_old_url_working(
    client: Client, news: ColumnPage, django_capture_on_commit_callbacks: Any
) -> None:
    article = ArticleFactory(parent=news, slug="old-name")
    article.save_revision().publish()
    article.slug = "new-name"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    assert Redirect.objects.filter(old_path="/news/old-name").exists()
    response = client.get("/news/old-name/")
    assert response.status_code == 301
    assert response["Location"].endswith("/news/new-name/")
    assert client.get(response["Location"]).status_code == 200
