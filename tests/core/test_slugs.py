from __future__ import annotations

import pytest

from kanwu.columns.models import ColumnPage
from kanwu.core.slugs import pinyin_slug
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("统战史话", "tong-zhan-shi-hua"),
        ("重庆谈判：2026 AI大会！", "chong-qing-tan-pan-2026-ai-da-hui"),
        ("Hello World", "hello-world"),
        ("！？。", "page"),
    ],
)
def test_pinyin_slug(title: str, slug: str) -> None:
    assert pinyin_slug(title) == slug


def test_long_titles_give_bounded_slugs() -> None:
    slug = pinyin_slug("这是一个非常非常长的中文标题用来测试网址的长度限制是否生效")
    assert len(slug) <= 80
    assert slug.count("-") < 12


def test_pages_made_in_code_get_unique_pinyin_slugs(news: ColumnPage) -> None:
    first = ArticleFactory(parent=news, title="党史学习", slug="")
    second = ArticleFactory(parent=news, title="党史学习", slug="")
    assert first.slug == "dang-shi-xue-xi"
    assert second.slug == "dang-shi-xue-xi-2"
    assert second.url == "/news/dang-shi-xue-xi-2/"
