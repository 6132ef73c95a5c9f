"""A reader sends a contribution with an attachment in Chromium, then opens the status page."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from kanwu.site.models import SiteSettings
from kanwu.submissions.models import Submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _workflow_settings(settings: Any, tmp_path: Path) -> None:
    settings.KANWU_WORKFLOW_MIN_SECONDS = 0
    settings.DATA_DIR = tmp_path


def test_send_a_contribution_with_an_attachment_and_check_its_status(
    live_server: Any, desktop: Page, site_settings: SiteSettings
) -> None:
    desktop.goto(live_server.url + "/")
    desktop.locator(".tool-submit a.tool-link").click()
    expect(desktop).to_have_url(live_server.url + "/submit/")
    expect(desktop.locator(".workflow .promise")).to_contain_text("我们将24小时内回复")

    desktop.fill("#id_name", "王五")
    desktop.fill("#id_email", "wangwu@example.cn")
    desktop.fill("#id_title", "春天的故事")
    desktop.fill("#id_body", "第一段。\n\n第二段。")
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), "#2e7d32").save(buffer, "JPEG")
    desktop.set_input_files(
        "#id_attachments",
        files=[{"name": "配图.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}],
    )
    desktop.check("#id_consent")
    desktop.get_by_role("button", name="提交投稿").click()

    expect(desktop.locator("h1")).to_have_text("投稿已收到")
    code = desktop.locator(".tracking-code").inner_text()
    submission = Submission.objects.get()
    assert code == submission.display_code  # K7Q2-M9XD-4F, read out easily
    assert submission.attachments.get().original_name == "配图.jpg"

    desktop.locator("a.status-link").click()
    expect(desktop.locator(".item-status")).to_have_text("已收到")
    expect(desktop.locator(".item-title")).to_have_text("春天的故事")
    expect(desktop.locator("#id_code")).to_have_value(code)


def test_a_refused_file_keeps_what_was_typed(
    live_server: Any, desktop: Page, site_settings: SiteSettings
) -> None:
    desktop.goto(live_server.url + "/submit/")
    desktop.fill("#id_name", "王五")
    desktop.fill("#id_phone", "13800138000")
    desktop.fill("#id_title", "春天的故事")
    desktop.fill("#id_body", "正文")
    desktop.set_input_files(
        "#id_attachments",
        files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": b"MZ\x90\x00" * 50}],
    )
    desktop.check("#id_consent")
    desktop.get_by_role("button", name="提交投稿").click()
    expect(desktop.locator(".field-error").first).to_contain_text("可执行程序")
    expect(desktop.locator("#id_title")).to_have_value("春天的故事")
    expect(desktop.locator("#id_consent")).to_be_checked()
    assert not Submission.objects.exists()
