"""ASCII slugs for Chinese titles: 统战史话 → tong-zhan-shi-hua."""

from __future__ import annotations

from django.utils.text import slugify

MAX_WORDS = 12


def pinyin_slug(title: str, *, max_length: int = 80) -> str:
    """Return a lower-case ASCII slug, pinyin for Chinese characters, words kept for Latin."""
    from pypinyin import Style, lazy_pinyin  # 55 MB of dictionaries: loaded when first needed

    parts = lazy_pinyin(title, style=Style.NORMAL, errors=lambda chars: chars)
    words = [word for part in parts if (word := slugify(part))]
    slug = "-".join(words[:MAX_WORDS])[:max_length].strip("-")
    return slug or "page"
