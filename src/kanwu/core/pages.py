"""Page behaviour every kanwu page type shares: pinyin slugs for Chinese titles."""

from __future__ import annotations

from typing import Any

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

from kanwu.core.slugs import pinyin_slug


def unique_child_slug(parent: Page, title: str, instance: Page | None = None) -> str:
    """A pinyin slug for `title` that no sibling under `parent` uses yet."""
    base = pinyin_slug(title)
    candidate, suffix = base, 1
    while not Page._slug_is_available(candidate, parent, instance):
        suffix += 1
        candidate = f"{base}-{suffix}"
    return candidate


class PinyinSlugPageForm(WagtailAdminPageForm):
    """Editors may leave the slug empty: it is made from the title's pinyin."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields[
                "slug"
            ].help_text = "网址中的名称，只能用英文字母、数字和连字符；留空则按标题拼音自动生成。"

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        if not cleaned.get("slug") and cleaned.get("title") and "slug" not in self.errors:
            parent = self.parent_page or self.instance.get_parent()
            if parent is None:
                raise forms.ValidationError("无法确定上级页面，请填写网址名称。")
            cleaned["slug"] = unique_child_slug(parent, cleaned["title"], self.instance)
        return cleaned


class PinyinSlugMixin:
    """Fill an empty slug with pinyin before Wagtail validates, for pages made in code."""

    base_form_class = PinyinSlugPageForm

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        page: Any = self
        parent = getattr(page, "_cached_parent_obj", None)
        if not page.slug and page.title and (page.path or parent):
            page.slug = unique_child_slug(parent or page.get_parent(), page.title, page)
        super().full_clean(*args, **kwargs)  # type: ignore[misc]
