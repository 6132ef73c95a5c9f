"""Wagtail's indexes written in bulk for a batch (core/tasks.py) hold what Wagtail's own
per-object tasks write."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Page, ReferenceIndex
from wagtail.search.models import IndexEntry

from kanwu.articles.models import ArticlePage
from kanwu.columns.models import ColumnPage
from kanwu.core.tasks import wagtail_references_update, wagtail_search_update
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def references(page: Page) -> set[tuple[Any, ...]]:
    return set(
        ReferenceIndex.get_references_for_object(page).values_list(
            "content_type", "to_content_type", "to_object_id", "model_path", "content_path",
            "content_path_hash",
        )
    )  # fmt: skip


def named(*objects: Any) -> list[list[str]]:
    return [[o._meta.app_label, o._meta.model_name, str(o.pk)] for o in objects]


def wagtails_references(page: Page) -> set[tuple[Any, ...]]:
    """What Wagtail's own task records for `page` (as the worker runs it, after the save's
    transaction, when the page's tags are written too)."""
    with transaction.atomic():
        ReferenceIndex.create_or_update_for_object(ArticlePage.objects.get(pk=page.pk))
    return references(page)


def test_references_in_bulk_are_wagtails(news: ColumnPage) -> None:
    articles = [ArticleFactory(parent=news, tags=[f"标签{n}", "共同"]) for n in range(3)]
    wagtails = {a.pk: wagtails_references(a) for a in articles}
    assert all(len(found) == 2 for found in wagtails.values())
    ReferenceIndex.objects.all().delete()

    assert wagtail_references_update.call(named(*articles, news)) == 4
    assert {a.pk: references(a) for a in articles} == wagtails

    # A changed article: the tag it lost goes, the one it gained comes, the other stays.
    changed = ArticlePage.objects.get(pk=articles[0].pk)
    changed.tags.set(["新标签", "共同"])
    changed.save()
    wagtail_references_update.call(named(changed))
    assert {row[4] for row in references(changed)} == {
        f"tagged_items.{item.pk}.tag" for item in changed.tagged_items.all()
    }
    assert references(changed) == wagtails_references(changed)


def test_references_of_a_deleted_object_are_skipped(news: ColumnPage) -> None:
    article = ArticleFactory(parent=news, tags=["标签"])
    gone = named(article)
    article.delete()
    assert wagtail_references_update.call(gone) == 0


def test_search_entries_in_bulk_are_wagtails(news: ColumnPage) -> None:
    articles = [ArticleFactory(parent=news, body=f"<p>正文 qx{n}z</p>") for n in range(3)]
    page_type = ContentType.objects.get_for_model(ArticlePage)
    entries = IndexEntry.objects.filter(content_type=page_type)
    wagtails = set(entries.values_list("object_id", "title", "body"))
    assert len(wagtails) == 3
    IndexEntry.objects.all().delete()

    # Kept as their plain Page rows, as Wagtail's task may name them: indexed as articles.
    assert wagtail_search_update.call(named(*(Page.objects.get(pk=a.pk) for a in articles))) == 3
    assert set(entries.values_list("object_id", "title", "body")) == wagtails
    assert list(ArticlePage.objects.search("qx1z")) == [articles[1]]
