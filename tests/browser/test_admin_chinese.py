"""What the admin's scripts draw is Chinese too: the dashboard, the article editor (Draftail's
toolbar, the block inserter, the side panels) and the schedule dialog, read from the live DOM
of a real browser the way tests/core/test_admin_chinese.py reads the server's HTML."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.site.models import SiteSettings
from tests.core.test_admin_chinese import words_in
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISIBLE = """() => {
  const texts = [document.body.innerText];
  for (const el of document.querySelectorAll("[title],[placeholder],[aria-label],[alt]")) {
    for (const name of ["title", "placeholder", "aria-label", "alt"]) {
      const value = el.getAttribute(name);
      if (value) texts.push(value);
    }
  }
  for (const el of document.querySelectorAll("code, pre, script, style")) {
    if (el.innerText) texts.push("\\u0000" + el.innerText);
  }
  return texts;
}"""


def english_on(page: Page) -> dict[str, list[str]]:
    texts = page.evaluate(VISIBLE)
    hidden = {text[1:] for text in texts if text.startswith("\0")}
    body = texts[0]
    for code in hidden:
        body = body.replace(code, " ")
    found = {}
    for text in [*body.splitlines(), *[t for t in texts[1:] if not t.startswith("\0")]]:
        if words := words_in(text):
            found[text.strip()] = words
    return found


@pytest.fixture
def article(news: ColumnPage, site_settings: SiteSettings) -> ArticlePage:
    return ArticleFactory(parent=news, title="浏览器里的文章", tags=["统战"])


def test_what_the_admin_scripts_draw_is_chinese(
    live_server: Any, desktop: Page, article: ArticlePage, django_user_model: type[User]
) -> None:
    page = desktop
    django_user_model.objects.create_superuser("管理员", "a@example.cn", "Kanwu-浏览器-2026")
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("管理员")
    page.locator("#id_password").fill("Kanwu-浏览器-2026")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/admin/")
    expect(page.locator("#main")).to_be_visible()
    found = {"/admin/": english_on(page)}

    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    editor = page.locator(".Draftail-Editor").first
    expect(editor).to_be_visible()
    page.locator(".public-DraftEditor-content").first.click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("/")  # the block inserter's menu
    expect(page.locator("[role=listbox]").first).to_be_visible()
    found["editor"] = english_on(page)
    page.keyboard.press("Escape")

    page.locator("[data-side-panel-toggle='status']").first.click()
    page.get_by_role("button", name="设置计划").first.click()
    expect(page.get_by_role("dialog").first).to_be_visible()
    found["schedule dialog"] = english_on(page)
    assert not any(found.values()), found
