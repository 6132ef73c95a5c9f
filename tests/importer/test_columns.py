"""Naming the column an import goes into: slug, slug path or Chinese name."""

from __future__ import annotations

import pytest

from kanwu.columns.models import ColumnPage
from kanwu.importer.columns import ColumnNotFound, column_by_slug
from tests.factories import ColumnFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["history", "news/history", "统战史话", "新闻/统战史话", "/history/"]
)
def test_a_column_by_slug_path_or_title(history: ColumnPage, name: str) -> None:
    assert column_by_slug(name) == history


def test_a_wrong_name_lists_the_columns_there_are(history: ColumnPage) -> None:
    with pytest.raises(ColumnNotFound) as missing:
        column_by_slug("histroy")
    message = str(missing.value)
    assert "找不到栏目“histroy”" in message
    assert "news（新闻）" in message
    assert "news/history（统战史话）" in message


def test_two_columns_of_one_name_ask_for_the_path(news: ColumnPage, home: object) -> None:
    ColumnFactory(parent=news, title="通知", slug="notice")
    other = ColumnFactory(parent=home, title="公告", slug="board")
    ColumnFactory(parent=other, title="通知", slug="notice")
    with pytest.raises(ColumnNotFound, match="请写出完整路径"):
        column_by_slug("notice")
    with pytest.raises(ColumnNotFound, match="请写出完整路径"):
        column_by_slug("通知")
    assert column_by_slug("公告/通知").get_parent().specific == other
