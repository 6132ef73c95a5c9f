"""An RSS or Atom feed's bytes → the article URLs it lists. Pure function, no I/O."""

from __future__ import annotations

from urllib.parse import urljoin
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"


class FeedError(Exception):
    """The feed could not be read (a Chinese message)."""


def feed_links(content: bytes, base_url: str = "") -> list[str]:
    try:
        root = fromstring(content, forbid_dtd=True)
    except (ParseError, DefusedXmlException) as exc:
        raise FeedError(f"订阅源不是有效的 RSS/Atom：{exc}") from exc
    links: list[str] = []
    for item in root.iter("item"):
        link = item.findtext("link") or ""
        if not link.strip() and (guid := item.find("guid")) is not None:
            if guid.get("isPermaLink", "true") != "false":
                link = guid.text or ""
        links.append(link)
    for item in root.iter(f"{RSS1}item"):
        links.append(item.findtext(f"{RSS1}link") or "")
    for entry in root.iter(f"{ATOM}entry"):
        chosen = ""
        for link in entry.findall(f"{ATOM}link"):
            if link.get("rel", "alternate") == "alternate" and link.get("href"):
                chosen = link.get("href", "")
                break
        links.append(chosen)
    if not links and root.tag not in {"rss", f"{ATOM}feed"} and not root.tag.endswith("RDF"):
        raise FeedError("订阅源不是 RSS 或 Atom 格式")
    cleaned = [urljoin(base_url, link.strip()) for link in links if link and link.strip()]
    return list(dict.fromkeys(cleaned))
