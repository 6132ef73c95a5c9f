"""Signal receivers: forward content changes to kanwu.publishing.invalidation."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_unpublished, post_page_move

from kanwu.publishing import invalidation


def on_page_saved(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Page) and not kwargs.get("raw"):
        invalidation.page_changed(instance)


def on_page_unpublished(sender: type[Any], instance: Page, **kwargs: Any) -> None:
    invalidation.page_changed(instance)


def on_page_moved(sender: type[Any], instance: Page, **kwargs: Any) -> None:
    invalidation.site_changed()


def on_settings_saved(sender: type[Any], instance: Any, **kwargs: Any) -> None:
    invalidation.site_changed()


def connect() -> None:
    post_save.connect(on_page_saved, dispatch_uid="kanwu-publishing-page-saved")
    post_delete.connect(on_page_saved, dispatch_uid="kanwu-publishing-page-deleted")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="kanwu-publishing-unpublished")
    post_page_move.connect(on_page_moved, dispatch_uid="kanwu-publishing-moved")
    from kanwu.site.models import SiteSettings

    post_save.connect(on_settings_saved, sender=SiteSettings, dispatch_uid="kanwu-settings")
