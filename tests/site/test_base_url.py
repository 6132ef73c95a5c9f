"""KANWU_BASE_URL keeps the Wagtail site record (and so every absolute address) right."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client
from wagtail.models import Site

from kanwu.site.services import site_apply_base_url

pytestmark = pytest.mark.django_db


def test_the_base_url_is_applied_to_the_default_site(client: Client, site: Site) -> None:
    assert site_apply_base_url("https://news.example.cn/") is True
    site.refresh_from_db()
    assert (site.hostname, site.port, site.root_url) == (
        "news.example.cn", 443, "https://news.example.cn"
    )  # fmt: skip
    assert site_apply_base_url("https://news.example.cn") is False  # already right
    assert site_apply_base_url("http://127.0.0.1:8000") is True
    site.refresh_from_db()
    assert site.root_url == "http://127.0.0.1:8000"
    # Readers' pages now name it, whatever Host they sent.
    sitemap = BeautifulSoup(client.get("/sitemap.xml").content, "xml")
    assert sitemap.find("loc").get_text() == "http://127.0.0.1:8000/sitemap-pages-1.xml"


@pytest.mark.parametrize(
    "bad", ["news.example.cn", "ftp://news.example.cn", "https://", "http://x:99999"]
)
def test_a_bad_base_url_is_refused_in_chinese(site: Site, bad: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="KANWU_BASE_URL"):
        site_apply_base_url(bad)


def test_publish_static_applies_the_setting_and_says_what_is_wrong(
    site: Site, settings: Any, tmp_path: Any
) -> None:
    settings.KANWU_BASE_URL = "ftp://wrong"
    with pytest.raises(CommandError, match="KANWU_BASE_URL"):
        call_command("publish-static", str(tmp_path), "--skip-collectstatic", "--jobs", "1")
    settings.KANWU_BASE_URL = "https://news.example.cn"
    call_command("publish-static", str(tmp_path), "--skip-collectstatic", "--jobs", "1")
    site.refresh_from_db()
    assert site.root_url == "https://news.example.cn"
    assert "https://news.example.cn/" in (tmp_path / "index.html").read_text(encoding="utf-8")
