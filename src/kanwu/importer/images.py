"""Images for imported articles: bytes (downloaded by the safe fetcher, or read from a
WordPress uploads folder) → Wagtail images."""

from __future__ import annotations

import io
import posixpath
import re
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from wagtail.images import get_image_model

from kanwu.core import private
from kanwu.safefetch import Accept, fetch

EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")
MAX_PIXELS = 40_000_000


class ImageError(Exception):
    """The bytes are not an image we accept (a Chinese message)."""


def image_filename(url_or_path: str, image_format: str) -> str:
    name = posixpath.basename(unquote(urlsplit(url_or_path).path)) or "image"
    stem = _SAFE_NAME.sub("-", name.rsplit(".", 1)[0]).strip("-.")[:60] or "image"
    return f"{stem}.{EXTENSIONS[image_format]}"


def image_create_from_bytes(*, content: bytes, name: str, title: str) -> Any:
    """Save `content` as a Wagtail image, after checking it really is one."""
    try:
        with PILImage.open(io.BytesIO(content)) as probe:
            image_format = probe.format or ""
            width, height = probe.size
    except (UnidentifiedImageError, OSError) as exc:
        raise ImageError("文件不是可识别的图片") from exc
    if image_format not in EXTENSIONS:
        raise ImageError(f"不支持的图片格式 {image_format or '未知'}")
    if width * height > MAX_PIXELS:
        raise ImageError("图片尺寸过大")
    image = get_image_model()(title=(title or name)[:255])
    image.file = ImageFile(io.BytesIO(content), name=image_filename(name, image_format))
    private.set_image_metadata(image)
    image.save()
    return image


def image_download(url: str, *, timeout: float | None = None) -> bytes:
    """Download an image through the safe fetcher (raises FetchError); `timeout` may shorten
    its time limit."""
    return fetch(url, accept=Accept.IMAGE, timeout=timeout).content
