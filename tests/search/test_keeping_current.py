"""The index follows publishing, editing, unpublishing and deleting, through tasks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command

from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import public_articles
from kanwu.columns.models import ColumnPage
from kanwu.search.backends import get_backend
from kanwu.search.models import SearchDocument
from kanwu.textanalysis import parse_query
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def found(query: str) -> list[int]:
    page = get_backend().search(parse_query(query), candidates=public_articles(), limit=50)
    return [hit.article_id for hit in page.hits]


def test_publishing_indexes_after_commit(
    news: ColumnPage, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    article = ArticleFactory(parent=news, title="乡村振兴", body="<p>稻田</p>")
    assert found("乡村振兴") == []  # created without publishing: not indexed
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        article.save_revision().publish()
    assert callbacks
    assert found("乡村振兴") == [article.pk]
    assert found("稻田") == [article.pk]


def test_edit_then_publish_replaces_the_text(
    news: ColumnPage, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    article = ArticleFactory(parent=news, title="旧标题", body="<p>旧的正文</p>")
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    article = ArticlePage.objects.get(pk=article.pk)
    article.title = "新标题"
    article.body = "<p>新的正文内容</p>"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert found("旧标题") == []
    assert found("新的正文") == [article.pk]
    assert SearchDocument.objects.count() == 1


def test_unpublish_and_delete_remove_from_the_index(
    news: ColumnPage, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    first = ArticleFactory(parent=news, title="共同富裕一", body="<p>共同富裕</p>")
    second = ArticleFactory(parent=news, title="共同富裕二", body="<p>共同富裕</p>")
    with django_capture_on_commit_callbacks(execute=True):
        first.save_revision().publish()
        second.save_revision().publish()
    assert sorted(found("共同富裕")) == sorted([first.pk, second.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first.unpublish()
    assert found("共同富裕") == [second.pk]
    assert not SearchDocument.objects.filter(article_id=first.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=second.pk).delete()
    assert found("共同富裕") == []
    assert SearchDocument.objects.count() == 0


def test_rebuild_command_indexes_everything_and_can_run_twice(
    news: ColumnPage, capsys: pytest.CaptureFixture[str]
) -> None:
    made = [ArticleFactory(parent=news, title=f"民族团结{n}", body="<p>进步</p>") for n in range(3)]
    hidden = ArticleFactory(parent=news, title="民族团结草稿", body="<p>进步</p>")
    hidden.unpublish()
    SearchDocument.objects.create(article_id=hidden.pk, title_text=" 民族团结 ")
    assert found("民族团结") == []  # factories do not index; the stale row is filtered
    call_command("search", "rebuild")
    assert sorted(found("民族团结")) == sorted(a.pk for a in made)
    assert not SearchDocument.objects.filter(article_id=hidden.pk).exists()
    call_command("search", "rebuild", "--no-recommend")
    assert sorted(found("进步")) == sorted(a.pk for a in made)
    assert "已重建搜索索引：3 篇文章" in capsys.readouterr().out


def test_command_needs_a_subcommand() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("search")


def test_interrupted_rebuild_is_completed_by_running_it_again(
    news: ColumnPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kanwu.search import indexing

    made = [ArticleFactory(parent=news, title=f"共同富裕{n}", body="<p>实践</p>") for n in range(5)]
    monkeypatch.setattr(indexing, "BATCH", 2)

    def stop(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        indexing.search_rebuild(progress=stop)
    assert SearchDocument.objects.count() == 2  # the first batch, whole
    assert indexing.search_rebuild() == 5
    assert sorted(found("共同富裕")) == sorted(a.pk for a in made)


def test_demo_site_has_search_and_recommendations(home: Any) -> None:
    from kanwu.articles.models import Recommendation
    from kanwu.demo.builder import build_demo

    build_demo(articles=40)
    assert SearchDocument.objects.count() == 40
    assert found("统一战线") or found("党史")
    assert Recommendation.objects.values("article_id").distinct().count() >= 30


def test_recommend_command_computes_every_article(
    news: ColumnPage, capsys: pytest.CaptureFixture[str]
) -> None:
    from kanwu.articles.models import Recommendation

    made = [
        ArticleFactory(parent=news, title=f"乡村振兴报道{n}", body="<p>乡村振兴，产业兴旺。</p>")
        for n in range(4)
    ]
    call_command("search", "recommend")
    assert "已重算推荐：4 篇文章" in capsys.readouterr().out
    for article in made:
        stored = set(
            Recommendation.objects.filter(article_id=article.pk).values_list(
                "recommended_id", flat=True
            )
        )
        assert stored == {a.pk for a in made} - {article.pk}
