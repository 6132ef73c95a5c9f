"""Model instances from hand-written SELECTs (kanwu.core.rows) equal what the ORM loads."""

from __future__ import annotations

import pytest
from django.utils import timezone
from wagtail.models import Page

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.core import rows
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PAGE, ARTICLE = Page._meta.db_table, ArticlePage._meta.db_table
BY_ID = f"FROM {PAGE} JOIN {ARTICLE} ON {ARTICLE}.page_ptr_id = {PAGE}.id WHERE {PAGE}.id = %s"


def test_every_field_matches_the_orm(news: ColumnPage) -> None:
    article = ArticleFactory(parent=news, subtitle="副标题", sticky=True)
    [loaded] = rows.instances(ArticlePage, BY_ID, [article.pk])
    expected = ArticlePage.objects.get(pk=article.pk)
    for field in ArticlePage._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(expected, field.attname), field.name
    assert timezone.is_aware(loaded.published_at)
    assert loaded.live is True and loaded.sticky is True
    assert loaded.url == expected.url


def test_no_row_is_an_empty_list(news: ColumnPage) -> None:
    assert rows.instances(ArticlePage, BY_ID, [0]) == []
