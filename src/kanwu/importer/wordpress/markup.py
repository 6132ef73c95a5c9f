"""WordPress post markup → plain HTML: block comments, <!--more-->, shortcodes, wpautop.

What WordPress does when it shows a post, done once at import: Gutenberg block comments are
stripped, `<!--more-->` marks the teaser, [caption] becomes a figure with its caption, [gallery]
lists its images, [embed]/[video]/[audio] become links, other shortcodes are removed (their
inner text kept), and wpautop turns blank-line-separated text into paragraphs.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[\s\S]*?-->")
_MORE = re.compile(r"<!--more(.*?)?-->")
_NEXTPAGE = re.compile(r"<!--nextpage-->")
_CAPTION = re.compile(r"\[(?:wp_)?caption([^\]]*)\]([\s\S]*?)\[/(?:wp_)?caption\]")
_GALLERY = re.compile(r"\[gallery([^\]]*)\]")
_EMBED = re.compile(r"\[embed[^\]]*\]([\s\S]*?)\[/embed\]")
_MEDIA = re.compile(r"\[(?:video|audio|playlist)([^\]]*)\](?:[\s\S]*?\[/(?:video|audio)\])?")
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_SHORTCODE = re.compile(r"\[/?[a-zA-Z][\w-]*(?:\s[^\]\[]*)?/?\]")
_IMG_IN = re.compile(r"(<a\b[^>]*>\s*)?<img\b[^>]*>(\s*</a>)?", re.IGNORECASE)
_WP_IMAGE_CLASS = re.compile(r"wp-image-(\d+)")
ATTACHMENT_SCHEME = "wp-attachment:"

_BLOCK_TAGS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|"
    "map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|"
    "aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{_BLOCK_TAGS})[\s/>])", re.IGNORECASE)
_BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCK_TAGS})>)", re.IGNORECASE)
_STARTS_BLOCK = re.compile(rf"^\s*</?(?:{_BLOCK_TAGS})[\s/>]", re.IGNORECASE)
_ENDS_BLOCK = re.compile(rf"</?(?:{_BLOCK_TAGS})[^>]*>\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Converted:
    html: str
    teaser: str  # the text before <!--more-->, "" when the post has none


def shortcode_attributes(text: str) -> dict[str, str]:
    return {
        match.group(1).lower(): next(g for g in match.groups()[1:] if g is not None)
        for match in _ATTR.finditer(text)
    }


def _caption(match: re.Match[str]) -> str:
    attributes = shortcode_attributes(match.group(1))
    inner = match.group(2)
    image = _IMG_IN.search(inner)
    caption = attributes.get("caption", "")
    if image:
        caption = (inner[: image.start()] + inner[image.end() :]).strip() or caption
        return f"<figure>{image.group(0)}<figcaption>{caption}</figcaption></figure>"
    return f"<p>{inner.strip()}</p>"


def _gallery(match: re.Match[str]) -> str:
    ids = shortcode_attributes(match.group(1)).get("ids", "")
    images = [
        f'<img src="{ATTACHMENT_SCHEME}{number.strip()}" alt="">'
        for number in ids.split(",")
        if number.strip().isdigit()
    ]
    return "\n\n".join(f"<figure>{image}</figure>" for image in images)


def _media(match: re.Match[str]) -> str:
    attributes = shortcode_attributes(match.group(1))
    url = next(
        (
            attributes[key]
            for key in ("src", "mp4", "mp3", "m4a", "ogg", "webm")
            if key in attributes
        ),
        "",
    )
    if not url:
        return ""
    safe = html.escape(url)
    return f'<p><a href="{safe}">{safe}</a></p>'


def _embed(match: re.Match[str]) -> str:
    safe = html.escape(match.group(1).strip())
    return f'<p><a href="{safe}">{safe}</a></p>' if safe else ""


def _mark_attachment_images(text: str) -> str:
    """<img class="wp-image-12" src=…>: remember the attachment id, as WordPress does."""

    def mark(match: re.Match[str]) -> str:
        tag = match.group(0)
        found = _WP_IMAGE_CLASS.search(tag)
        if not found:
            return tag
        return re.sub(
            r"""\ssrc\s*=\s*(["'])(.*?)\1""",
            lambda m: f' src="{ATTACHMENT_SCHEME}{found.group(1)}" data-src="{m.group(2)}"',
            tag,
            count=1,
        )

    return re.sub(r"<img\b[^>]*>", mark, text, flags=re.IGNORECASE)


def wpautop(text: str) -> str:
    """A port of WordPress's wpautop: blank lines make paragraphs, single newlines <br>."""
    if not text.strip():
        return ""
    pre_blocks: list[str] = []

    def keep_pre(match: re.Match[str]) -> str:
        pre_blocks.append(match.group(0))
        return f"<pre-placeholder-{len(pre_blocks) - 1}></pre-placeholder>"

    text = re.sub(r"<pre[\s\S]*?</pre>", keep_pre, text, flags=re.IGNORECASE)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text) if chunk.strip()]
    out: list[str] = []
    for chunk in chunks:
        if _STARTS_BLOCK.match(chunk) or chunk.startswith("<pre-placeholder-"):
            out.append(chunk)
        elif _ENDS_BLOCK.search(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br />\n") + "</p>")
    result = "\n".join(out)
    for index, block in enumerate(pre_blocks):
        result = result.replace(f"<pre-placeholder-{index}></pre-placeholder>", block)
    return result


def convert_content(content: str) -> Converted:
    """WordPress `content:encoded` → HTML ready for kanwu.importer.richtext."""
    text = _BLOCK_COMMENT.sub("", content)
    teaser = ""
    if more := _MORE.search(text):
        teaser = text[: more.start()]
        text = text[: more.start()] + "\n\n" + text[more.end() :]
    text = _NEXTPAGE.sub("\n\n", text)
    text = _CAPTION.sub(_caption, text)
    text = _GALLERY.sub(_gallery, text)
    text = _EMBED.sub(_embed, text)
    text = _MEDIA.sub(_media, text)
    text = _SHORTCODE.sub("", text)
    text = _mark_attachment_images(text)
    teaser_text = ""
    if teaser:
        teaser_text = " ".join(re.sub(r"<[^>]+>", " ", _SHORTCODE.sub("", teaser)).split())
    return Converted(html=wpautop(text), teaser=html.unescape(teaser_text))
