"""Any article HTML → Wagtail's rich text (database format), keeping what the body needs.

Kept: paragraphs, h2–h4 (h1 becomes h2, h5/h6 become h4), lists, quotes with their `cite`,
bold/italic, links, tables, rules, sub/superscript, preformatted text (its whitespace exactly),
code, keyboard input, definition lists, addresses, figures with captions. Those Draftail has no
feature for stay in the stored HTML, which the reader page renders as it is (like tables); an
editor who re-saves the body in Draftail flattens them to paragraphs. Images are handed to a
resolver: a Wagtail image id becomes
``<embed embedtype="image" id=… format="fullwidth" alt=…/>`` (on its own, not inside a
paragraph), a URL stays a remote ``<img>``, a `PendingImage` leaves a marker where the image
will go once it is fetched (``<embed embedtype="kanwu-pending-image" …/>``, which readers never
see), None drops the image. Everything else (scripts,
styles, forms, iframes, attributes) is removed by nh3.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape

import lxml.html
import nh3
from lxml import etree


@dataclass(frozen=True)
class PendingImage:
    """A resolver's answer for an image to be fetched later: a marker keeps its place."""

    url: str

    @property
    def token(self) -> str:
        return pending_token(self.url)


ImageResolver = Callable[[str, str], "int | str | PendingImage | None"]
PENDING_EMBED = "kanwu-pending-image"

TAGS = {
    "p", "br", "h2", "h3", "h4", "b", "strong", "i", "em", "a", "ul", "ol", "li",
    "blockquote", "hr", "sup", "sub", "s", "del", "table", "caption", "thead", "tbody",
    "tfoot", "tr", "th", "td", "embed", "img", "pre", "code", "kbd", "samp", "var", "dl", "dt",
    "dd", "address", "figure", "figcaption", "cite", "q", "abbr",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt"},
    "embed": {"embedtype", "id", "format", "alt"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
RENAME = {"h1": "h2", "h5": "h4", "h6": "h4", "strike": "s"}
_EMBED = re.compile(r"<embed(\b[^>]*?)\s*/?>")
_EMPTY_P = re.compile(r"<p>(\s|&nbsp;|<br>)*</p>")
_NEWLINE_AFTER_TAG = re.compile(r">[ \t]*\n\s*")
_NEWLINE_BEFORE_TAG = re.compile(r"\s*\n[ \t]*<")
_PRE = re.compile(r"<pre>[\s\S]*?</pre>")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def image_embed(image_id: int, alt: str) -> str:
    return f'<embed embedtype="image" id="{image_id}" format="fullwidth" alt="{escape(alt)}"/>'


def pending_token(url: str) -> str:
    """The marker's id for an image URL (the URL itself stays out of the body)."""
    return hashlib.sha256(url.encode()).hexdigest()[:20]


_EMBED_TAG = re.compile(r"<embed\b[^>]*?/?>")
_EMBED_ATTR = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"')


def pending_replace(body: str, url: str, image_id: int) -> tuple[str, int]:
    """Put image `image_id` where `body` has the marker of `url`; the new body and how many
    markers were replaced."""
    token = pending_token(url)

    def replace(match: re.Match[str]) -> str:
        attributes = dict(_EMBED_ATTR.findall(match.group(0)))
        if attributes.get("embedtype") != PENDING_EMBED or attributes.get("id") != token:
            return match.group(0)
        return image_embed(image_id, unescape(attributes.get("alt", "")))

    return _EMBED_TAG.subn(replace, body) if token in body else (body, 0)


def _replace_images(root: lxml.html.HtmlElement, resolve: ImageResolver) -> None:
    for img in list(root.iter("img")):
        src = (img.get("src") or img.get("data-src") or img.get("data-original") or "").strip()
        alt = (img.get("alt") or img.get("title") or "").strip()
        target = resolve(src, alt) if src else None
        if target is None:
            img.drop_tree()
            continue
        if isinstance(target, int):
            marker = etree.Element("embed")
            marker.set("embedtype", "image")
            marker.set("id", str(target))
            marker.set("format", "fullwidth")
            marker.set("alt", alt)
        elif isinstance(target, PendingImage):
            marker = etree.Element("embed")
            marker.set("embedtype", PENDING_EMBED)
            marker.set("id", target.token)
            marker.set("alt", alt)
        else:
            marker = etree.Element("img")
            marker.set("src", target)
            marker.set("alt", alt)
        marker.tail = img.tail
        parent = img.getparent()
        if parent is None:
            continue
        parent.replace(img, marker)
        if not isinstance(target, str):
            _hoist(marker)


def _hoist(embed: etree._Element) -> None:
    """Wagtail image embeds are blocks: lift one out of the paragraph (or link) around it."""
    parent = embed.getparent()
    while parent is not None and parent.tag in {"p", "a", "span", "b", "strong", "i", "em"}:
        grand = parent.getparent()
        if grand is None:
            return
        text = "".join(parent.itertext()).strip()
        if text:
            # A paragraph with text around the image: put the image right after it.
            parent.remove(embed)
            embed.tail = None
            grand.insert(grand.index(parent) + 1, embed)
        else:
            grand.replace(parent, embed)
            embed.tail = parent.tail
        parent = embed.getparent()


def to_richtext(html: str, resolve: ImageResolver | None = None) -> str:
    """Clean `html` into rich text; `resolve(src, alt)` decides what each image becomes."""
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in RENAME:
            element.tag = RENAME[element.tag]
    _replace_images(root, resolve or (lambda src, alt: None))
    inner = (root.text or "") + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in root
    )
    cleaned = nh3.clean(
        inner,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
        clean_content_tags={"script", "style", "noscript", "template", "iframe", "form"},
    )
    cleaned = _EMBED.sub(r"<embed\1/>", cleaned)
    cleaned = _EMPTY_P.sub("", cleaned)
    # Line breaks next to tags are source formatting, not text, except in preformatted text.
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"<pre>{len(kept) - 1}</pre>"

    cleaned = _PRE.sub(keep, cleaned)
    cleaned = _NEWLINE_AFTER_TAG.sub(">", _NEWLINE_BEFORE_TAG.sub("<", cleaned))
    cleaned = re.sub(r"<pre>(\d+)</pre>", lambda m: kept[int(m.group(1))], cleaned)
    return cleaned.strip()


def plain_title(text: str) -> str:
    """A title as readers should see it: tags removed, entities decoded, spaces collapsed
    (`Title <em>With</em> &amp; Markup` → `Title With & Markup`)."""
    return " ".join(unescape(_TAG.sub("", text)).split())


def plain_text(richtext: str) -> str:
    """The words of a rich text body, for fingerprints and checks."""
    if not richtext.strip():
        return ""
    root = lxml.html.fragment_fromstring(richtext, create_parent="div")
    return "\n".join(line.strip() for line in root.itertext() if line.strip())
