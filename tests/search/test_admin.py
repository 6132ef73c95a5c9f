"""The site dictionary in the admin changes segmentation; re-index applies it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from kanwu import textanalysis as analysis
from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import public_articles
from kanwu.search.backends import get_backend
from kanwu.search.dictionary import site_dictionary_load
from kanwu.search.models import SearchDocument, SiteWord
from kanwu.textanalysis import parse_query

pytestmark = pytest.mark.django_db
Publish = Callable[..., ArticlePage]


@pytest.fixture(autouse=True)
def _plain_dictionary() -> Any:
    analysis.use_site_words([])
    yield
    analysis.use_site_words([])


@pytest.fixture
def editor_client(client: Client, django_user_model: type[User]) -> Client:
    user = django_user_model.objects.create_superuser("editor", "e@example.cn", "pw-123456")
    client.force_login(user)
    return client


def test_site_words_change_segmentation() -> None:
    text = analysis.fold("桐江市柳塘村的新闻")
    assert "柳塘村" not in analysis.words(text)
    SiteWord.objects.create(word="柳塘村")
    assert site_dictionary_load() is True
    assert "柳塘村" in analysis.words(text)
    assert site_dictionary_load() is False  # unchanged: the segmenter is kept


def test_dictionary_is_edited_in_the_admin(editor_client: Client) -> None:
    response = editor_client.post(
        "/admin/snippets/search/siteword/add/", {"word": "统战史话", "weight": "100"}
    )
    assert response.status_code == 302
    assert SiteWord.objects.get().weight == 100
    listing = editor_client.get("/admin/snippets/search/siteword/").content.decode()
    assert "统战史话" in listing and "/admin/search/reindex/" in listing


def test_reindex_action_applies_the_dictionary(
    editor_client: Client,
    publish: Publish,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    article = publish("柳塘村来信", "柳塘村的稻田。")
    assert "柳塘村" not in SearchDocument.objects.get().title_words.split()
    SiteWord.objects.create(word="柳塘村")
    assert "重建搜索索引" in editor_client.get("/admin/search/reindex/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post("/admin/search/reindex/")
    assert response.status_code == 302
    assert "柳塘村" in SearchDocument.objects.get().title_words.split()
    page = get_backend().search(parse_query("柳塘村"), candidates=public_articles())
    assert [h.article_id for h in page.hits] == [article.pk]


def test_reindex_needs_the_permission(client: Client, django_user_model: type[User]) -> None:
    user = django_user_model.objects.create_user("reader", "r@example.cn", "pw-123456")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.post("/admin/search/reindex/").status_code in (302, 403)
    assert client.get("/admin/search/reindex/").status_code in (302, 403)
