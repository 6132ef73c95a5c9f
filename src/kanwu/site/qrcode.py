"""QR codes drawn by segno, for when no WeChat QR image was uploaded."""

from __future__ import annotations

from functools import lru_cache

import segno


@lru_cache(maxsize=32)
def qr_svg_data_uri(text: str) -> str:
    """An inline SVG QR code of `text`, cheap enough to embed in every page."""
    return str(segno.make(text, error="m").svg_data_uri(scale=4, border=2))
