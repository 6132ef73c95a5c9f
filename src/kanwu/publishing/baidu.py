"""Push new and changed addresses to Baidu's link submission API (百度普通收录 API 提交).

The worker posts them (one per line) to the endpoint in 站点设置 with the site and the token;
every answer, or why there was none, is kept as a `BaiduPush` that editors read in the admin.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

from wagtail.models import Site

from kanwu.publishing.models import BaiduPush
from kanwu.site.models import SiteSettings

TIMEOUT = 15  # seconds
MAX_ANSWER = 64 * 1024  # Baidu answers a few hundred bytes of JSON


def push_settings() -> tuple[SiteSettings, Site] | None:
    """The default site's settings when a push token is set, else None."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    settings = SiteSettings.for_site(site)
    return (settings, site) if settings.baidu_push_token.strip() else None


def _answer(status: int, body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        return {"error": status, "message": body[:200].decode("utf-8", "replace")}
    return data if isinstance(data, dict) else {"error": status, "message": str(data)[:200]}


def baidu_push_send(urls: list[str]) -> BaiduPush | None:
    """Post `urls` to Baidu now and record the answer; None when no token is set."""
    found = push_settings()
    if found is None or not urls:
        return None
    settings, site = found
    endpoint = settings.baidu_push_endpoint.strip()
    record = BaiduPush(urls="\n".join(urls), status=BaiduPush.Status.FAILED)
    if urlsplit(endpoint).scheme not in {"http", "https"}:
        record.message = "百度推送接口必须是 http:// 或 https:// 开头的网址。"
        record.save()
        return record
    query = urlencode({"site": site.root_url, "token": settings.baidu_push_token.strip()})
    separator = "&" if "?" in endpoint else "?"
    request = Request(  # noqa: S310 - scheme checked above: http or https only
        f"{endpoint}{separator}{query}",
        data=record.urls.encode("utf-8"),
        headers={"Content-Type": "text/plain", "User-Agent": "kanwu"},
        method="POST",
    )
    try:
        with urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - as above
            answer = _answer(response.status, response.read(MAX_ANSWER))
    except HTTPError as error:
        answer = _answer(error.code, error.read(MAX_ANSWER))
    except (URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        record.message = f"无法连接百度推送接口：{reason}"[:500]
        record.save()
        return record
    if "success" in answer:
        record.status = BaiduPush.Status.SENT
        record.pushed = int(answer.get("success") or 0)
        remain = answer.get("remain")
        record.remain = int(remain) if isinstance(remain, int) else None
        refused = [
            f"{label} {len(answer[key])} 条"
            for key, label in (("not_same_site", "非本站网址"), ("not_valid", "不合法网址"))
            if answer.get(key)
        ]
        record.message = "；".join(refused)
    else:
        record.message = f"百度返回错误 {answer.get('error', '')}：{answer.get('message', '')}"[
            :500
        ]
    record.save()
    return record
