"""三审: switched on for one column, a submitted article goes 初审 → 复审 → 终审, each stage
approved by a different person, and the article shows who approved when; the dashboard counts
what waits for each reviewer."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import User
from django.test import Client
from wagtail.models import TaskState, WorkflowPage

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from tests.roles.conftest import write

pytestmark = pytest.mark.django_db


def switch(client: Client, column: ColumnPage) -> str:
    """Press 开启三审 / 关闭三审 in the column's header, confirm; the flash message."""
    explorer = client.get(f"/admin/pages/{column.pk}/").content.decode()
    url = f"/admin/column-roles/review/{column.pk}/"
    assert url in explorer
    assert client.get(url).status_code == 200
    response = client.post(url, follow=True)
    assert response.redirect_chain[0][0] == f"/admin/pages/{column.pk}/"
    return " ".join(str(message) for message in response.context["messages"])


def current_stage(article: ArticlePage) -> str:
    state = article.current_workflow_task_state
    return state.task.name if state else ""


def approve(client: Client, article: ArticlePage) -> int:
    state = article.current_workflow_task_state
    url = f"/admin/pages/workflow/action/{article.pk}/approve/{state.pk}/"
    return client.post(url, {"comment": ""}).status_code


def pending_for(client: Client) -> str:
    soup = BeautifulSoup(client.get("/admin/").content.decode(), "html.parser")
    own = soup.select_one(".kanwu-pending-own")
    return own.get_text(" ", strip=True) if own else ""


@pytest.fixture
def people(make_user: Callable[..., User], news: ColumnPage, sports: ColumnPage) -> dict[str, User]:
    return {
        "writer": make_user("xiaozhang", role="writer", columns=(news,)),
        "first": make_user("chushen", role="reviewer", columns=(news,)),
        "second": make_user("fushen", role="reviewer", columns=(news,)),
        "chief": make_user("zongshen", group="审核"),
        "sports": make_user("tiyu", role="reviewer", columns=(sports,)),
    }


def test_switching_three_reviews_on_and_off_for_a_column(
    client: Client, administrator: User, news: ColumnPage, sports: ColumnPage
) -> None:
    client.force_login(administrator)
    assert "已开启三审" in switch(client, news)
    assert WorkflowPage.objects.get(page=news).workflow.name == "三审"
    assert not WorkflowPage.objects.filter(page=sports).exists()
    assert "关闭三审" in client.get(f"/admin/pages/{news.pk}/").content.decode()
    assert news.get_workflow().name == "三审" and sports.get_workflow().name == "审核"

    assert "已关闭三审" in switch(client, news)
    assert not WorkflowPage.objects.filter(page=news).exists()
    assert ColumnPage.objects.get(pk=news.pk).get_workflow().name == "审核"


def test_a_writer_cannot_switch_three_reviews(
    client: Client, make_user: Callable[..., User], news: ColumnPage
) -> None:
    client.force_login(make_user("xiaozhang", role="writer", columns=(news,)))
    assert "三审" not in client.get(f"/admin/pages/{news.pk}/").content.decode()
    response = client.post(f"/admin/column-roles/review/{news.pk}/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not WorkflowPage.objects.filter(page=news).exists()
    assert client.get("/admin/column-roles/review/999999/").status_code == 404


def test_an_article_goes_through_three_reviews_by_three_people(
    client: Client, administrator: User, people: dict[str, User], news: ColumnPage
) -> None:
    client.force_login(administrator)
    switch(client, news)

    client.force_login(people["writer"])
    assert write(client, news, "三审稿件", "action-submit").status_code == 302
    article = ArticlePage.objects.get(title="三审稿件")
    assert current_stage(article) == "初审" and not article.live

    client.force_login(people["first"])
    assert pending_for(client) == "待我审核： 1 篇"
    client.force_login(people["sports"])  # a reviewer of another column
    assert pending_for(client) == "待我审核： 0 篇"
    approve(client, article)
    assert current_stage(ArticlePage.objects.get(pk=article.pk)) == "初审"

    client.force_login(people["first"])
    assert approve(client, article) == 302
    article = ArticlePage.objects.get(pk=article.pk)
    assert current_stage(article) == "复审"
    # 初审's reviewer may not approve 复审 too: 三审 takes three people.
    assert pending_for(client) == "待我审核： 0 篇"
    approve(client, article)
    assert current_stage(ArticlePage.objects.get(pk=article.pk)) == "复审"

    client.force_login(people["second"])
    approve(client, article)
    article = ArticlePage.objects.get(pk=article.pk)
    assert current_stage(article) == "终审" and not article.live

    client.force_login(people["chief"])  # the site-wide 审核 group
    approve(client, article)
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and not article.workflow_in_progress

    # Who approved when, from the article's header (审核记录).
    client.force_login(people["writer"])
    editor = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    record_url = f"/admin/review-record/{article.pk}/"
    assert record_url in editor
    soup = BeautifulSoup(client.get(record_url).content.decode(), "html.parser")
    rows = [
        [cell.get_text(strip=True) for cell in row.select("td")]
        for row in soup.select(".kanwu-review-record tbody tr")
    ]
    assert [row[1:4] for row in rows] == [
        ["初审", "通过", "chushen"],
        ["复审", "通过", "fushen"],
        ["终审", "通过", "zongshen"],
    ]
    approved = TaskState.objects.filter(status="approved").order_by("finished_at")
    assert [row[4] for row in rows] == [
        f"{state.finished_at.astimezone():%Y-%m-%d %H:%M}" for state in approved
    ]


def test_the_dashboard_counts_pending_reviews_per_reviewer(
    client: Client, administrator: User, people: dict[str, User], news: ColumnPage
) -> None:
    client.force_login(people["writer"])
    for n in range(2):
        write(client, news, f"待审{n}", "action-submit")  # the default one-step 审核

    client.force_login(people["first"])
    assert pending_for(client) == "待我审核： 2 篇"
    client.force_login(people["writer"])
    assert pending_for(client) == ""  # not a reviewer: no count

    client.force_login(administrator)
    soup = BeautifulSoup(client.get("/admin/").content.decode(), "html.parser")
    counts = {
        row.select("td")[0].get_text(strip=True): row.select("td")[1].get_text(strip=True)
        for row in soup.select(".kanwu-pending-by-reviewer tbody tr")
    }
    assert counts == {"chushen": "2", "fushen": "2", "zongshen": "2", "tiyu": "0"}
