"""The backend contract: one class of cases, subclassed once per database vendor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from kanwu.articles.models import ArticlePage
from kanwu.articles.selectors import public_articles
from kanwu.search.backends import SearchBackend, get_backend
from kanwu.search.backends.postgres import PostgresBackend
from kanwu.search.backends.sqlite import SQLiteBackend
from kanwu.search.indexing import search_index_articles
from kanwu.search.models import SearchDocument
from kanwu.textanalysis import parse_query

Publish = Callable[..., ArticlePage]

BAD_QUERIES = [
    '"',
    '""',
    "*",
    "统战*",
    "NEAR(统战 史话)",
    "统战 OR 史话",
    "统战 AND",
    '"统战',
    '史话"',
    "'; DROP TABLE search_fts; --",
    "1' OR '1'='1",
    "title_words:统战",
    "{title_grams}:统战",
    "^统战",
    "统战 - 史话",
    "()[]{}<>",
    "！！！？？？",
    "统" * 500,
    "a" * 500,
    "\x00统战",
    "🙂统战🙂",
    "%_",
    ":*",
    "统战 <-> 史话",
    "& | !",
]


@pytest.mark.django_db
class BackendContract:
    backend_class: type[SearchBackend]

    @pytest.fixture(autouse=True)
    def _vendor(self) -> None:
        if connection.vendor != self.backend_class.vendor:
            pytest.skip(f"needs a {self.backend_class.vendor} test database")

    def ids(self, query: str, **kwargs: object) -> list[int]:
        found = get_backend().search(
            parse_query(query),
            candidates=public_articles(),
            limit=100,
            **kwargs,  # type: ignore[arg-type]
        )
        assert found.total == len(found.hits)
        return [hit.article_id for hit in found.hits]

    def test_backend_is_chosen_from_the_database(self) -> None:
        assert isinstance(get_backend(), self.backend_class)

    def test_substrings_of_every_length_are_found(self, publish: Publish) -> None:
        article = publish("会议通知", "统战部部长在会上讲话，强调团结。")
        other = publish("无关的文章", "今天天气很好。")
        for query in ["统战", "战部", "统战部部长", "部部", "讲话", "话", "统", "团结", "结"]:
            assert self.ids(query) == [article.pk], query
        assert self.ids("天气") == [other.pk]

    def test_a_match_does_not_span_punctuation(self, publish: Publish) -> None:
        publish("标点", "统一，战线")
        assert self.ids("一战") == []
        assert len(self.ids("统一")) == 1

    def test_every_term_must_match(self, publish: Publish) -> None:
        both = publish("两个词", "统一战线和民族团结")
        publish("一个词", "统一战线的历史")
        assert self.ids("统一战线 团结") == [both.pk]

    def test_quoted_phrase_keeps_words_together(self, publish: Publish) -> None:
        together = publish("短语", "民族团结进步")
        publish("分开", "团结了各个民族，共同进步")
        assert self.ids('"民族 团结"') == [together.pk]
        assert len(self.ids("民族 团结")) == 2

    def test_title_ranks_above_body(self, publish: Publish) -> None:
        in_body = publish("一篇普通的报道", "文章正文里提到了乡村振兴这件事。")
        in_title = publish("乡村振兴的新进展", "文章正文里讲的是别的事情。")
        assert self.ids("乡村振兴") == [in_title.pk, in_body.pk]

    def test_whole_word_ranks_above_fragment(self, publish: Publish) -> None:
        fragment = publish("报道甲", "这里有个词是总书记的讲话精神，值得学习和领会。")
        word = publish("报道乙", "这里有个词是书记亲自部署，值得学习和领会。")
        assert set(self.ids("书记")) == {fragment.pk, word.pk}
        assert self.ids("书记")[0] == word.pk

    def test_traditional_query_finds_simplified_text(self, publish: Publish) -> None:
        article = publish("统一战线的历史", "爱国统一战线发展壮大。")
        assert self.ids("統一戰線") == [article.pk]
        assert self.ids("發展") == [article.pk]

    def test_width_and_case_are_folded(self, publish: Publish) -> None:
        article = publish("GDP增长", "2024年GDP增长5.2%，Beijing表现突出。")
        assert self.ids("ＧＤＰ") == [article.pk]
        assert self.ids("gdp") == [article.pk]
        assert self.ids("BEIJING") == [article.pk]
        assert self.ids("２０２４") == [article.pk]

    def test_mixed_chinese_english_digits(self, publish: Publish) -> None:
        article = publish("经济数据", "2024年GDP增长明显。")
        publish("另一篇", "GDP在2023年增长。")
        assert self.ids("2024年GDP增长") == [article.pk]
        assert self.ids("年GDP") == [article.pk]

    def test_only_candidates_are_returned(self, publish: Publish) -> None:
        live = publish("公开", "乡村振兴战略")
        hidden = publish("草稿", "乡村振兴规划")
        hidden.unpublish()
        assert self.ids("乡村振兴") == [live.pk]

    def test_sort_by_newest(self, publish: Publish) -> None:
        now = timezone.now()
        old = publish("乡村振兴旧闻", "乡村振兴", published_at=now - timedelta(days=3))
        new = publish("其他", "乡村振兴新闻", published_at=now)
        assert self.ids("乡村振兴", sort="newest") == [new.pk, old.pk]
        assert self.ids("乡村振兴")[0] == old.pk  # title match first by relevance

    def test_pages_and_total(self, publish: Publish) -> None:
        made = {publish(f"文章{n}", "共同富裕的实践").pk for n in range(5)}
        backend = get_backend()
        query = parse_query("共同富裕")
        first = backend.search(query, candidates=public_articles(), offset=0, limit=2)
        second = backend.search(query, candidates=public_articles(), offset=2, limit=2)
        third = backend.search(query, candidates=public_articles(), offset=4, limit=2)
        assert first.total == second.total == third.total == 5
        seen = [h.article_id for page in (first, second, third) for h in page.hits]
        assert sorted(seen) == sorted(made)
        assert backend.search(query, candidates=public_articles(), offset=10).hits == []

    def test_candidates_filter_by_column(self, publish: Publish, history: object) -> None:
        publish("栏目外", "共同富裕")
        inside = publish("栏目内", "共同富裕", parent=history)
        candidates = public_articles().in_column(history)  # type: ignore[arg-type]
        found = get_backend().search(parse_query("共同富裕"), candidates=candidates)
        assert [h.article_id for h in found.hits] == [inside.pk]

    def test_relevance_ranks_the_newest_window(
        self, publish: Publish, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        old = publish("共同富裕在标题", "正文")
        newer = [publish(f"文章{n}", "共同富裕") for n in range(3)]
        backend = get_backend()
        monkeypatch.setattr(type(backend), "RANK_WINDOW", 2)
        query = parse_query("共同富裕")
        first = backend.search(query, candidates=public_articles(), limit=2)
        assert first.total == 4
        assert {h.article_id for h in first.hits} == {newer[1].pk, newer[2].pk}
        # A deeper page widens the window: every match is reachable, the title one first.
        whole = backend.search(query, candidates=public_articles(), limit=4)
        assert whole.hits[0].article_id == old.pk
        assert len({h.article_id for h in whole.hits}) == 4

    def test_more_matches_than_the_window_give_an_estimate(
        self, publish: Publish, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        made = [publish(f"文章{n}", "共同富裕的实践") for n in range(6)]
        backend = get_backend()
        monkeypatch.setattr(type(backend), "RANK_WINDOW", 2)
        query = parse_query("共同富裕")
        first = backend.search(query, candidates=public_articles(), limit=2)
        assert not first.exact
        assert 4 <= first.total <= 8  # the newest two, spread as densely as the rest
        assert {h.article_id for h in first.hits} == {made[-1].pk, made[-2].pk}
        # A page past the real end widens the window to every match: exact again.
        last = backend.search(query, candidates=public_articles(), offset=4, limit=4)
        assert last.exact and last.total == 6
        assert len(last.hits) == 2

    def test_sort_by_newest_beyond_the_window(
        self, publish: Publish, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        now = timezone.now()
        # Published dates out of step with ids, as imported articles are.
        dates = [3, 1, 5, 2, 4]
        made = [
            publish(f"报道{n}", "乡村振兴", published_at=now - timedelta(days=d))
            for n, d in enumerate(dates)
        ]
        monkeypatch.setattr(type(get_backend()), "RANK_WINDOW", 1)
        found = get_backend().search(
            parse_query("乡村振兴"), candidates=public_articles(), sort="newest", limit=3
        )
        assert not found.exact
        by_date = sorted(zip(dates, made, strict=True), key=lambda pair: pair[0])
        assert [h.article_id for h in found.hits] == [a.pk for _, a in by_date[:3]]

    def test_whole_word_in_the_body_ranks_above_a_fragment(self, publish: Publish) -> None:
        word = publish("报道甲", "书记深入基层调研。")
        fragment = publish("报道乙", "秘书记录了会议内容。")  # newer: recency alone would win
        assert self.ids("书记") == [word.pk, fragment.pk]

    def test_repeated_word_ranks_above_a_single_mention(self, publish: Publish) -> None:
        often = publish("报道甲", "经济是大事。推进经济建设。经济稳中向好。")
        once = publish("报道乙", "会上也提到经济。")  # newer
        assert self.ids("经济") == [often.pk, once.pk]

    def test_a_long_term_must_occur_whole(self, publish: Publish) -> None:
        whole = publish("全文", "做好新时代统一战线工作。")
        publish("分开", "统一战线的历史，战线工作的经验。")
        assert self.ids("统一战线工作") == [whole.pk]
        assert len(self.ids("统一战线")) == 2

    def test_title_match_of_a_long_term_is_checked(self, publish: Publish) -> None:
        in_body = publish("正文里有", "加强新时代统一战线工作。")
        # The title holds the term's grams, but not the term itself: no title bonus.
        apart = publish("统一战线与战线工作", "新时代统一战线工作会议。")
        in_title = publish("统一战线工作会议", "正文。")
        ids = self.ids("统一战线工作")
        assert ids[0] == in_title.pk
        assert set(ids[1:]) == {in_body.pk, apart.pk}

    def test_reindexing_and_unindexing_keep_the_index_consistent(self, publish: Publish) -> None:
        article = publish("统战史话", "民族团结")
        backend = get_backend()
        backend.unindex([article.pk + 1000, article.pk + 1001])  # never indexed: ignored
        for body in ("天气晴朗", "民族团结进步"):
            article.body = f"<p>{body}</p>"
            article.save()
            search_index_articles(article_ids=[article.pk])
        assert self.ids("天气") == []
        assert self.ids("团结进步") == [article.pk]
        backend.unindex([article.pk])
        backend.unindex([article.pk])
        assert self.ids("统战") == []
        assert not SearchDocument.objects.filter(article_id=article.pk).exists()

    @pytest.mark.parametrize("query", BAD_QUERIES)
    def test_hostile_queries_never_raise(self, publish: Publish, query: str) -> None:
        publish("统战史话", "统战史话 drop table 1 near or and")
        self.ids(query)  # no exception, whatever the result

    def test_empty_query_matches_nothing(self, publish: Publish) -> None:
        publish("统战", "统战")
        assert self.ids("") == []
        assert self.ids("！？。") == []

    def test_reports_index_size(self, publish: Publish) -> None:
        publish("统战", "统战")
        size = get_backend().index_size()
        assert size is None or size > 0


class TestSQLiteBackend(BackendContract):
    backend_class = SQLiteBackend


class TestPostgresBackend(BackendContract):
    backend_class = PostgresBackend
