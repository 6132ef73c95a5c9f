"""The sensitive-word matcher: normalisation, actions, masking, and properties."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from kanwu.wordfilter.matcher import HOLD, MASK, REJECT, WordMatcher, normalise

WORDS = [("敏感", HOLD), ("坏词", REJECT), ("脏话", MASK), ("spam", HOLD)]


def test_normalise_folds_width_case_traditional_and_drops_separators() -> None:
    assert normalise("ＡＢＣ１２３") == "abc123"
    assert normalise("SpAm") == "spam"
    assert normalise("敏感詞") == "敏感词"
    assert normalise("敏 感，*词\u200b!") == "敏感词"


def test_plain_text_is_allowed_unchanged() -> None:
    result = WordMatcher(WORDS).check("今天天气很好，我们去公园散步。")
    assert result.action == "allow"
    assert result.text == "今天天气很好，我们去公园散步。"
    assert result.matched == ()


def test_strictest_action_wins() -> None:
    matcher = WordMatcher(WORDS)
    assert matcher.check("这是敏感内容").action == "hold"
    assert matcher.check("敏感又有坏词").action == "reject"
    assert matcher.check("敏感又有坏词").matched == ("坏词", "敏感")


def test_separators_width_case_and_traditional_do_not_defeat_it() -> None:
    matcher = WordMatcher(WORDS)
    for text in ["敏 感", "敏*感", "敏.感", "敏\u3000感", "敏＊感", "S P A M", "ｓｐａｍ", "壞詞"]:
        assert matcher.check(text).action != "allow", text


def test_mask_replaces_only_the_word_keeping_separators() -> None:
    matcher = WordMatcher(WORDS)
    result = matcher.check("他说了脏话，还说了脏 话。")
    assert result.action == "allow"
    assert result.text == "他说了＊＊，还说了＊ ＊。"
    assert result.matched == ("脏话",)


def test_mask_applies_with_hold() -> None:
    result = WordMatcher(WORDS).check("敏感的脏话")
    assert result.action == "hold"
    assert result.text == "敏感的＊＊"


def test_empty_or_separator_only_words_are_ignored() -> None:
    matcher = WordMatcher([("", HOLD), ("  ", REJECT), ("，", REJECT)])
    assert matcher.size == 0
    assert matcher.check("任何内容，都可以").action == "allow"


def test_a_word_listed_twice_keeps_the_strictest_action() -> None:
    matcher = WordMatcher([("重复", HOLD), ("重複", REJECT), ("重复", MASK)])
    assert matcher.check("重复").action == "reject"


SEPARATORS = st.sampled_from([" ", "*", ".", "，", "　", "-", "_", "\u200b", "!", "＊", "/"])
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@settings(max_examples=200, deadline=None)
@given(
    word=st.text(HAN, min_size=2, max_size=6),
    prefix=st.text(max_size=20),
    suffix=st.text(max_size=20),
    data=st.data(),
)
def test_inserting_separators_never_defeats_the_filter(
    word: str, prefix: str, suffix: str, data: st.DataObject
) -> None:
    matcher = WordMatcher([(word, REJECT)])
    gaps = [data.draw(st.text(SEPARATORS, max_size=3)) for _ in range(len(word) - 1)]
    spaced = word[0] + "".join(g + c for g, c in zip(gaps, word[1:], strict=True))
    assert matcher.check(prefix + spaced + suffix).action == "reject"


@settings(max_examples=200, deadline=None)
@given(
    word=st.text(HAN, min_size=2, max_size=6),
    prefix=st.text(HAN, max_size=10),
    data=st.data(),
)
def test_masking_hides_every_character_of_the_word(
    word: str, prefix: str, data: st.DataObject
) -> None:
    gaps = [data.draw(st.text(SEPARATORS, max_size=2)) for _ in range(len(word) - 1)]
    spaced = word[0] + "".join(g + c for g, c in zip(gaps, word[1:], strict=True))
    result = WordMatcher([(word, MASK)]).check(prefix + spaced)
    assert normalise(result.text).count(normalise(word)) == 0
    assert len(result.text) == len(prefix + spaced)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=string.ascii_letters + string.digits + " ，。！？", max_size=200))
def test_unrelated_text_never_matches(text: str) -> None:
    # The words are Han characters; text without any Han character can never contain them.
    matcher = WordMatcher([("敏感", REJECT), ("违禁词", HOLD), ("脏话", MASK)])
    result = matcher.check(text)
    assert result.action == "allow"
    assert result.text == text


@settings(max_examples=200, deadline=None)
@given(text=st.text(HAN, max_size=200))
def test_han_text_without_the_words_is_allowed_unchanged(text: str) -> None:
    words = [("敏感", REJECT), ("违禁词", HOLD), ("脏话", MASK)]
    normalised = normalise(text)
    if any(normalise(w) in normalised for w, _ in words):
        return
    result = WordMatcher(words).check(text)
    assert result.action == "allow"
    assert result.text == text
