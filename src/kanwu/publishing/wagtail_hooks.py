from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from wagtail import hooks
from wagtail.images.rich_text import ImageEmbedHandler
from wagtail.models import Page

from kanwu.core.dependencies import PRIVATE_TAG, image_tag, shows, shows_pages
from kanwu.core.visibility import is_restricted


# Before Wagtail's own view-restriction hook, which answers (a password form, a login
# redirect) without running the hooks after it.
@hooks.register("before_serve_page", order=-100)
def record_served_page(page: Page, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
    """A page's cached copy depends on the page itself; a restricted page is never kept."""
    shows_pages([page.pk])
    if is_restricted(page):
        shows([PRIVATE_TAG])


class RecordingImageEmbedHandler(ImageEmbedHandler):
    """Pictures in rich text, as Wagtail renders them, recorded as shown by the page."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict[str, Any]]) -> list[str]:
        ids = [str(attrs.get("id", "")) for attrs in attrs_list]
        shows(image_tag(int(pk)) for pk in ids if pk.isascii() and pk.isdigit())
        tags: list[str] = super().expand_db_attributes_many(attrs_list)
        return tags


# After wagtail.images' own hook, which registers the handler this one replaces.
@hooks.register("register_rich_text_features", order=100)
def record_rich_text_images(features: Any) -> None:
    features.register_embed_type(RecordingImageEmbedHandler)
