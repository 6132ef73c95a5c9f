"""One time on the article form, 发布时间: untouched, readers see when the article actually went
live; in the future, publishing schedules it; in the past, it is shown as typed."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import column_articles
from kanwu.columns.models import ColumnPage
from kanwu.serving.scheduler import scheduler_tick
from tests.adminforms import form_fields
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
BODY = (
    '{"blocks":[{"key":"a","type":"unstyled","text":"正文","depth":0,'
    '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}'
)


def at(hour: int, minute: int, day: int = 2) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=BEIJING)


def typed(moment: dt.datetime) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def editor(client: Client, admin_user: Any) -> Client:
    client.force_login(admin_user)
    return client


def write(editor: Client, news: ColumnPage, title: str, action: str, **fields: str) -> ArticlePage:
    """Open 写文章 in `news`, type a title and body (and `fields`), press `action`."""
    url = f"/admin/pages/add/articles/articlepage/{news.pk}/"
    data = form_fields(editor.get(url).content.decode())
    data.update(title=title, slug="", body=BODY, **fields)
    data[action] = action
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return ArticlePage.objects.get(title=title)


def publish_edit(editor: Client, article: ArticlePage, **fields: str) -> None:
    url = f"/admin/pages/{article.pk}/edit/"
    data = form_fields(editor.get(url).content.decode())
    data.update(fields)
    data["action-publish"] = "action-publish"
    response = editor.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_a_scheduled_article_shows_when_it_went_live_not_when_the_form_was_opened(
    editor: Client, news: ColumnPage, site_settings: Any
) -> None:
    with time_machine.travel(at(10, 7), tick=False):
        article = write(
            editor, news, "定时发布的文章", "action-publish", go_live_at=typed(at(10, 8))
        )
    assert not article.live  # scheduled, not published
    with time_machine.travel(at(10, 8) + dt.timedelta(seconds=20), tick=False):
        assert scheduler_tick()
    article.refresh_from_db()
    assert article.live
    assert article.published_at == at(10, 8) + dt.timedelta(seconds=20)
    page = editor.get(article.url).content.decode()
    assert "2026-03-02 10:08" in page
    assert "2026-03-02 10:07" not in page


def test_a_future_publish_time_schedules_the_article_and_it_sorts_by_that_time(
    editor: Client, news: ColumnPage, site_settings: Any
) -> None:
    with time_machine.travel(at(8, 0), tick=False):
        later = write(editor, news, "两小时后发布", "action-publish", published_at=typed(at(10, 0)))
        assert not later.live
        assert later.go_live_at == at(10, 0)
    with time_machine.travel(at(9, 0), tick=False):
        earlier = ArticleFactory(parent=news, title="九点发布的文章", published_at=at(9, 0))
    with time_machine.travel(at(10, 0, 30), tick=False):
        assert scheduler_tick()
    later.refresh_from_db()
    assert later.live
    assert later.published_at == at(10, 0)
    assert list(column_articles(news).values_list("pk", flat=True)) == [later.pk, earlier.pk]


def test_a_draft_shows_the_time_it_is_published_and_keeps_it_on_later_edits(
    editor: Client, news: ColumnPage, site_settings: Any
) -> None:
    with time_machine.travel(at(10, 7), tick=False):
        draft = write(editor, news, "先存草稿", "action-save")  # 保存草稿
    assert not draft.live
    with time_machine.travel(at(12, 0), tick=False):
        publish_edit(editor, draft)
    draft.refresh_from_db()
    assert draft.live
    assert draft.published_at == at(12, 0)
    with time_machine.travel(at(15, 30), tick=False):
        form = form_fields(editor.get(f"/admin/pages/{draft.pk}/edit/").content.decode())
        assert form["published_at"] == "2026-03-02 12:00"  # what readers see
        publish_edit(editor, draft, title="先存草稿（修订）")
    draft.refresh_from_db()
    assert draft.title == "先存草稿（修订）"
    assert draft.published_at == at(12, 0)


def test_a_time_typed_in_the_past_is_kept(
    editor: Client, news: ColumnPage, site_settings: Any
) -> None:
    with time_machine.travel(at(10, 7), tick=False):
        article = write(
            editor, news, "补发的旧闻", "action-publish", published_at="2020-05-04 09:30"
        )
    article.refresh_from_db()
    assert article.live
    assert article.published_at == dt.datetime(2020, 5, 4, 9, 30, tzinfo=BEIJING)
