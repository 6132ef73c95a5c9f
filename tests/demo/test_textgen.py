"""Tests for the deterministic demo text generator (no Django needed)."""

from __future__ import annotations

import itertools
import random
import re
import statistics
import unicodedata
from urllib.parse import urlsplit

import pytest

from kanwu.demo.textgen import TOPICS, ArticleText, body_html, generate_article

TOPIC_IDS = sorted(TOPICS)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _articles(seed: int, topic: str, count: int) -> list[ArticleText]:
    rng = random.Random(seed)
    return [generate_article(rng, topic) for _ in range(count)]


def _all_text(article: ArticleText) -> str:
    return article.title + article.subtitle + "".join(article.paragraphs)


def _cjk_bigrams(article: ArticleText) -> set[str]:
    text = _all_text(article)
    pairs = (text[i : i + 2] for i in range(len(text) - 1))
    return {pair for pair in pairs if CJK.fullmatch(pair[0]) and CJK.fullmatch(pair[1])}


def _jaccard(left: set[str], right: set[str]) -> float:
    return len(left & right) / len(left | right)


def _hand_built(paragraphs: tuple[str, ...], **extra: object) -> ArticleText:
    return ArticleText(
        title="测试标题",
        subtitle="",
        author="本站记者 王明",
        summary="摘要",
        paragraphs=paragraphs,
        tags=("测试",),
        source_name=None,
        source_url=None,
        is_repost=False,
        **extra,  # type: ignore[arg-type]
    )


def test_topics_cover_the_portal_columns() -> None:
    assert len(TOPICS) >= 6
    assert {"news", "history", "policy", "theory", "grassroots", "notice"} <= set(TOPICS)
    for key, vocab in TOPICS.items():
        assert key.isascii()
        assert key.isidentifier()
        assert vocab.column
        assert len(set(vocab.tags)) == len(vocab.tags) >= 4


def test_same_seed_gives_same_articles() -> None:
    for topic in TOPIC_IDS:
        assert _articles(42, topic, 20) == _articles(42, topic, 20)


def test_different_seeds_give_different_articles() -> None:
    assert _articles(1, "news", 5) != _articles(2, "news", 5)


@pytest.mark.parametrize("topic", TOPIC_IDS)
def test_lengths_and_fields_are_in_range(topic: str) -> None:
    for article in _articles(3, topic, 300):
        assert 8 <= len(article.title) <= 28, article.title
        assert 4 <= len(article.paragraphs) <= 9
        for paragraph in article.paragraphs:
            assert 60 <= len(paragraph) <= 220, paragraph
            assert paragraph[-1] in "。）”", paragraph
        assert 1 <= len(article.tags) <= 4
        assert len(set(article.tags)) == len(article.tags)
        assert set(article.tags) <= set(TOPICS[topic].tags)
        assert article.summary
        assert article.summary in article.paragraphs[0]
        assert article.topic == topic
        assert "{" not in _all_text(article)
        assert "}" not in _all_text(article)


@pytest.mark.parametrize("topic", TOPIC_IDS)
def test_text_is_mostly_cjk(topic: str) -> None:
    for article in _articles(4, topic, 50):
        text = "".join(article.paragraphs)
        letters = [ch for ch in text if not unicodedata.category(ch).startswith("P")]
        cjk = sum(1 for ch in letters if CJK.fullmatch(ch))
        assert cjk / len(letters) > 0.9
        assert "，" in text
        assert "。" in text


def test_numbers_and_latin_acronyms_appear_occasionally() -> None:
    articles = [a for topic in TOPIC_IDS for a in _articles(5, topic, 30)]
    texts = ["".join(article.paragraphs) for article in articles]
    with_digits = sum(1 for text in texts if re.search(r"\d", text))
    with_latin = sum(1 for text in texts if re.search(r"[A-Z]{2,}", text))
    assert 0 < with_digits
    assert 0 < with_latin < len(texts)


def test_authors_are_chinese_names() -> None:
    for article in _articles(6, "news", 200):
        name = article.author.removeprefix("本站记者 ")
        assert 2 <= len(name) <= 3
        assert all(CJK.fullmatch(ch) for ch in name)


def test_about_a_quarter_are_reposts_with_fictional_sources() -> None:
    articles = [a for topic in TOPIC_IDS for a in _articles(7, topic, 300)]
    reposts = [article for article in articles if article.is_repost]
    assert 0.18 < len(reposts) / len(articles) < 0.32
    for article in articles:
        if not article.is_repost:
            assert article.source_name is None
            assert article.source_url is None
            continue
        assert article.source_name
        assert article.source_url
        url = urlsplit(article.source_url)
        assert url.scheme == "https"
        assert url.hostname
        assert url.hostname.rsplit(".", 2)[-2] == "example"
        assert url.path.endswith(".html")


def test_same_topic_articles_share_more_words_than_cross_topic() -> None:
    bigrams = {
        topic: [_cjk_bigrams(article) for article in _articles(8, topic, 8)] for topic in TOPIC_IDS
    }
    for topic in TOPIC_IDS:
        within = statistics.mean(
            _jaccard(left, right) for left, right in itertools.combinations(bigrams[topic], 2)
        )
        for other in TOPIC_IDS:
            if other == topic:
                continue
            across = statistics.mean(
                _jaccard(left, right) for left in bigrams[topic] for right in bigrams[other]
            )
            assert within > 3 * across, (topic, other, within, across)


def test_body_html_wraps_paragraphs() -> None:
    article = generate_article(random.Random(9), "history")
    rendered = body_html(article)
    assert rendered.count("<p>") == len(article.paragraphs)
    assert rendered.count("</p>") == len(article.paragraphs)
    assert rendered.startswith(("<p>", "<h2>"))


def test_body_html_escapes_markup() -> None:
    text = _hand_built(('正文<script>alert("x")</script>结束', "第二段 & 更多"))
    rendered = body_html(text)
    assert "<script>" not in rendered
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in rendered
    assert "<p>第二段 &amp; 更多</p>" in rendered


def test_body_html_renders_escaped_headings_before_their_paragraph() -> None:
    text = _hand_built(("第一段。", "第二段。"), headings=((1, "小标题<b>"),))
    assert body_html(text) == "<p>第一段。</p><h2>小标题&lt;b&gt;</h2><p>第二段。</p>"


def test_some_generated_articles_have_headings() -> None:
    articles = [a for topic in TOPIC_IDS for a in _articles(10, topic, 40)]
    with_headings = [article for article in articles if article.headings]
    assert with_headings
    for article in with_headings:
        rendered = body_html(article)
        for index, heading in article.headings:
            assert 0 < index < len(article.paragraphs)
            assert f"<h2>{heading}</h2>" in rendered
