"""Helpers the workflow tests share (contributions and takedowns)."""

from __future__ import annotations

import io
from typing import Any

from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png_upload(name: str = "photo.png", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#336699").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def spam_fields(client: Any, url: str) -> dict[str, str]:
    """The hidden anti-spam fields of the form at `url`, as a browser would send them."""
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return {field["name"]: field.get("value", "") for field in soup.select("input[name^=kanwu_]")}


def errors_of(response: Any) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    return " ".join(
        node.get_text(" ", strip=True) for node in soup.select(".field-error, .form-errors")
    )
