"""Plain text of rich text, and cutting it short."""

from __future__ import annotations

from kanwu.core.text import cut, plain_text


def test_plain_text_of_rich_text() -> None:
    assert plain_text('<p>统战&amp;史话</p><p>第二段 <a href="/x">链接</a></p>') == (
        "统战&史话第二段 链接"
    )


def test_plain_text_of_a_body_cut_inside_a_tag() -> None:
    assert plain_text('<p>正文开头</p><p class="x') == "正文开头"


def test_cut_marks_what_it_shortened() -> None:
    assert cut("一二三四五", 5) == "一二三四五"
    assert cut("一二三四五六", 5) == "一二三四…"
