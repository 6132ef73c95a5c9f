"""Spam defence for public forms: honeypot, minimum fill-in time, rate limits, links, duplicates.

Every check is cheap and needs no database: the timing token is signed with SECRET_KEY, rate
counters and duplicate fingerprints live in Django's default cache (Redis in production, so
every web worker shares them). CSRF protection is Django's own middleware and is not repeated
here.

How a form uses it (comments do exactly this; submissions and takedowns can too)::

    from kanwu import antispam
    from kanwu.core.proxies import client_ip  # the one source of a client's address

    POLICY = antispam.SpamPolicy(scope="submission", min_seconds=5, max_links=5)

    # 1. When the form is shown (in the page, or from a JSON endpoint for cached pages):
    hidden = antispam.form_fields(POLICY)
    #    -> {"kanwu_hp": "", "kanwu_ts": "<signed time>"}; render kanwu_hp as an empty
    #       <input> hidden from people (class="kanwu-hp", aria-hidden, tabindex=-1,
    #       autocomplete=off) and kanwu_ts as <input type="hidden">.

    # 2. When the form is posted, before saving anything:
    try:
        antispam.check(POLICY, data=request.POST, ip=client_ip(request),
                       email=form.cleaned_data["email"], text=form.cleaned_data["body"])
    except antispam.SpamRefused as refusal:
        form.add_error(refusal.field, refusal.message)   # a Chinese message for the reader
        return render(...)                                # status 400, input kept

    # 3. After the item was stored (so refused posts do not count against the reader):
    antispam.record(POLICY, ip=..., email=..., text=...)

`SpamRefused.code` says which rule refused ("honeypot", "token", "too_fast", "rate_ip",
"rate_email", "links", "duplicate") for logs and tests.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache

HONEYPOT_FIELD = "kanwu_hp"
TOKEN_FIELD = "kanwu_ts"  # noqa: S105 (a form field name)
LINK_RE = re.compile(r"(?:https?://|www\.)", re.IGNORECASE)


@dataclass(frozen=True)
class SpamPolicy:
    """What one form accepts. `scope` separates counters and tokens of different forms."""

    scope: str
    min_seconds: float = 3
    # A form left open longer than this must be reloaded (the token has expired).
    max_token_age: int = 24 * 3600
    # At most `rate_limit` accepted posts per IP and per e-mail within `rate_window` seconds.
    rate_limit: int = 5
    rate_window: int = 600
    # None: no cap on links.
    max_links: int | None = 2
    # The same text from the same e-mail is refused for this long.
    duplicate_window: int = 7 * 24 * 3600
    # The form's field names that refusals about the text and the e-mail are attached to.
    text_field: str | None = "comment"
    email_field: str | None = "email"


class SpamRefused(Exception):
    """A post refused by a spam rule; `message` is shown to the reader, next to `field`."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def _signer(policy: SpamPolicy) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"kanwu.antispam.{policy.scope}")


def issue_token(policy: SpamPolicy) -> str:
    """A signed token carrying the time the form was shown."""
    return _signer(policy).sign(policy.scope)


def form_fields(policy: SpamPolicy) -> dict[str, str]:
    """The hidden fields' names and values to put in the form when it is shown."""
    return {HONEYPOT_FIELD: "", TOKEN_FIELD: issue_token(policy)}


def count_links(text: str) -> int:
    return len(LINK_RE.findall(text))


def _key(policy: SpamPolicy, kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"antispam:{policy.scope}:{kind}:{digest}"


def _fingerprint(policy: SpamPolicy, email: str, text: str) -> str:
    return _key(policy, "dup", f"{email.strip().lower()}\n{' '.join(text.split())}")


def check_token(policy: SpamPolicy, token: str) -> None:
    """Refuse a missing, forged or expired token, or one younger than `min_seconds`."""
    signer = _signer(policy)
    try:
        signer.unsign(token, max_age=policy.max_token_age)
    except signing.SignatureExpired as error:
        raise SpamRefused("token", "表单已过期，请刷新页面后重新提交。") from error
    except signing.BadSignature as error:
        raise SpamRefused("token", "表单校验失败，请刷新页面后重新提交。") from error
    shown_at = signing.b62_decode(token.rsplit(signer.sep, 2)[-2])
    if time.time() - shown_at < policy.min_seconds:
        raise SpamRefused("too_fast", "提交太快了，请稍等几秒后再提交。")


def check(
    policy: SpamPolicy,
    *,
    data: Mapping[str, str],
    ip: str | None,
    email: str,
    text: str,
) -> None:
    """Raise SpamRefused for the first rule the post breaks; return None when it passes."""
    if data.get(HONEYPOT_FIELD):
        raise SpamRefused("honeypot", "提交被拒绝：请不要填写隐藏的字段。")
    check_token(policy, data.get(TOKEN_FIELD) or "")
    if ip and (cache.get(_key(policy, "ip", ip)) or 0) >= policy.rate_limit:
        raise SpamRefused("rate_ip", "提交过于频繁，请稍后再试。")
    if email and (cache.get(_key(policy, "email", email)) or 0) >= policy.rate_limit:
        raise SpamRefused("rate_email", "该邮箱提交过于频繁，请稍后再试。", policy.email_field)
    if policy.max_links is not None and count_links(text) > policy.max_links:
        raise SpamRefused(
            "links",
            f"内容中的链接太多了，最多允许 {policy.max_links} 个。",
            policy.text_field,
        )
    if cache.get(_fingerprint(policy, email, text)):
        raise SpamRefused("duplicate", "您已经提交过相同的内容。", policy.text_field)


def _bump(key: str, window: int) -> None:
    # add() starts the window; incr() keeps its expiry. A lost race only undercounts by one.
    if not cache.add(key, 1, window):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, window)


def record(policy: SpamPolicy, *, ip: str | None, email: str, text: str) -> None:
    """Count an accepted post against the rate limits and remember it for the duplicate check."""
    if ip:
        _bump(_key(policy, "ip", ip), policy.rate_window)
    if email:
        _bump(_key(policy, "email", email), policy.rate_window)
    cache.set(_fingerprint(policy, email, text), 1, policy.duplicate_window)


def rate_limited(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one request by `key` (an address) in `scope`: True once it made more than
    `limit` within `window` seconds of its first (for endpoints without a form, such as
    the view beacon)."""
    counter = f"antispam:{scope}:hits:{hashlib.sha256(key.encode()).hexdigest()[:32]}"
    if cache.add(counter, 1, window):
        return limit < 1
    try:
        hits = int(cache.incr(counter))
    except ValueError:  # expired between add() and incr()
        cache.set(counter, 1, window)
        hits = 1
    return hits > limit
