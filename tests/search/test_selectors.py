"""The search page's read: counts as shown and snippets."""

from __future__ import annotations

import pytest

from kanwu.search.selectors import about
from kanwu.search.snippets import PIECE, snippet
from kanwu.textanalysis import parse_query


@pytest.mark.parametrize(
    ("total", "shown"),
    [(7, 7), (99, 99), (123, 120), (1234, 1200), (23456, 23000), (98765, 99000)],
)
def test_estimates_are_shown_to_two_significant_digits(total: int, shown: int) -> None:
    assert about(total) == shown


def test_snippet_finds_a_match_far_into_the_text() -> None:
    text = "开头的话。" * (PIECE // 2) + "这里讲到統一戰線的历史。" + "结尾。" * 50
    shown = snippet(text, parse_query("统一战线"))
    assert "<mark>統一戰線</mark>" in shown
    assert shown.startswith("…") and shown.endswith("…")


def test_snippet_marks_a_match_that_straddles_pieces() -> None:
    text = "甲" * (PIECE - 2) + "乡村振兴" + "乙" * 300
    assert "<mark>乡村振兴</mark>" in snippet(text, parse_query("乡村振兴"))


def test_snippet_without_a_match_is_the_start() -> None:
    shown = snippet("今天天气很好。" * 40, parse_query("统战"))
    assert shown.startswith("今天天气") and "<mark>" not in shown
