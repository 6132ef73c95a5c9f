"""The reusable spam defence: each rule refuses, and an honest post passes."""

from __future__ import annotations

import time

import pytest
from django.core import signing

from kanwu import antispam

POLICY = antispam.SpamPolicy(scope="test", min_seconds=3, rate_limit=2, max_links=1)


def aged_token(policy: antispam.SpamPolicy, seconds: float) -> str:
    """A token as if the form had been shown `seconds` ago."""
    signer = signing.TimestampSigner(salt=f"kanwu.antispam.{policy.scope}")
    original = time.time
    try:
        time.time = lambda: original() - seconds  # type: ignore[assignment]
        return signer.sign(policy.scope)
    finally:
        time.time = original  # type: ignore[assignment]


def post(token: str, **extra: str) -> dict[str, str]:
    return {antispam.HONEYPOT_FIELD: "", antispam.TOKEN_FIELD: token, **extra}


def check(data: dict[str, str], email: str = "a@example.cn", text: str = "你好") -> None:
    antispam.check(POLICY, data=data, ip="10.0.0.1", email=email, text=text)


def test_an_honest_post_passes() -> None:
    check(post(aged_token(POLICY, 10)))


def test_form_fields_give_an_empty_honeypot_and_a_fresh_token() -> None:
    fields = antispam.form_fields(POLICY)
    assert fields[antispam.HONEYPOT_FIELD] == ""
    with pytest.raises(antispam.SpamRefused) as refusal:
        check(post(fields[antispam.TOKEN_FIELD]))
    assert refusal.value.code == "too_fast"
    assert "太快" in refusal.value.message


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({antispam.HONEYPOT_FIELD: "http://spam.example"}, "honeypot"),
        ({antispam.TOKEN_FIELD: ""}, "token"),
        ({antispam.TOKEN_FIELD: "forged:token"}, "token"),
    ],
)
def test_honeypot_and_bad_tokens_are_refused(data: dict[str, str], code: str) -> None:
    with pytest.raises(antispam.SpamRefused) as refusal:
        check({antispam.TOKEN_FIELD: aged_token(POLICY, 10), **data})
    assert refusal.value.code == code


def test_a_token_of_another_form_or_an_expired_one_is_refused() -> None:
    other = antispam.SpamPolicy(scope="other")
    with pytest.raises(antispam.SpamRefused, match="校验失败"):
        check(post(aged_token(other, 10)))
    with pytest.raises(antispam.SpamRefused, match="过期"):
        check(post(aged_token(POLICY, POLICY.max_token_age + 10)))


def test_too_many_links_are_refused() -> None:
    check(post(aged_token(POLICY, 10)), text="看 https://a.example")
    with pytest.raises(antispam.SpamRefused) as refusal:
        check(post(aged_token(POLICY, 10)), text="https://a.example www.b.example")
    assert (refusal.value.code, refusal.value.field) == ("links", "comment")


def test_rate_limit_per_ip_and_per_email() -> None:
    token = aged_token(POLICY, 10)
    for n in range(2):
        check(post(token), email=f"u{n}@example.cn", text=f"第{n}条")
        antispam.record(POLICY, ip="10.0.0.1", email=f"u{n}@example.cn", text=f"第{n}条")
    with pytest.raises(antispam.SpamRefused) as refusal:
        check(post(token), email="new@example.cn", text="第三条")
    assert refusal.value.code == "rate_ip"
    # Another address is not limited; the same e-mail from it is.
    antispam.check(POLICY, data=post(token), ip="10.0.0.2", email="x@example.cn", text="甲")
    for text in ("乙", "丙"):
        antispam.record(POLICY, ip=f"10.0.1.{len(text)}", email="y@example.cn", text=text)
    with pytest.raises(antispam.SpamRefused) as refusal:
        antispam.check(POLICY, data=post(token), ip="10.0.0.3", email="Y@example.cn", text="丁")
    assert refusal.value.code == "rate_email"


def test_an_exact_duplicate_is_refused() -> None:
    token = aged_token(POLICY, 10)
    antispam.record(POLICY, ip=None, email="a@example.cn", text="一样的 内容")
    with pytest.raises(antispam.SpamRefused) as refusal:
        antispam.check(POLICY, data=post(token), ip=None, email="A@example.cn", text="一样的 内容")
    assert refusal.value.code == "duplicate"
    antispam.check(POLICY, data=post(token), ip=None, email="a@example.cn", text="不一样的内容")


def test_rate_limited_counts_each_hit_within_its_window() -> None:
    hits = [
        antispam.rate_limited(scope="beacon", key="192.0.2.7", limit=3, window=60) for _ in range(5)
    ]
    assert hits == [False, False, False, True, True]
    # Another address and another scope have counters of their own.
    assert not antispam.rate_limited(scope="beacon", key="192.0.2.8", limit=3, window=60)
    assert not antispam.rate_limited(scope="other", key="192.0.2.7", limit=3, window=60)
