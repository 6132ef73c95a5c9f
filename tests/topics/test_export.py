"""静态化 of 专题: the index, each topic and its feed as files, kept current."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from kanwu.publishing.static_export import file_for
from kanwu.site.models import SiteSettings
from kanwu.topics.models import TopicIndexPage
from tests.topics.conftest import MakeArticle, MakeTopic, section

pytestmark = pytest.mark.django_db


@pytest.fixture
def outdir(tmp_path: Path, settings: Any) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.KANWU_STATIC_DIR = tmp_path / "html"  # the folder the worker keeps current
    return tmp_path / "html"


def read(outdir: Path, url: str) -> str:
    return (outdir / file_for(url)).read_text(encoding="utf-8")


def test_topics_are_exported_and_follow_their_articles(
    outdir: Path,
    index: TopicIndexPage,
    make_topic: MakeTopic,
    make_article: MakeArticle,
    site_settings: SiteSettings,
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_article("统战旧闻", 1, tags=["统战"])
    topic = make_topic("同心专题", [section("按标签", tags="统战")])
    call_command("publish-static", str(outdir), "--skip-collectstatic")
    assert "同心专题" in read(outdir, index.url)
    assert "统战旧闻" in read(outdir, topic.url)
    assert "<title>同心专题 - 测试新闻网</title>" in read(outdir, f"{topic.url}feed/")

    with django_capture_on_commit_callbacks(execute=True):
        make_article("新发的统战文章", 2, tags=["统战"])
    assert "新发的统战文章" in read(outdir, topic.url)
    assert "新发的统战文章" in read(outdir, f"{topic.url}feed/")
