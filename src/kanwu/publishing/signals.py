"""Signal receivers: every row of the invalidation registry, carried out by `invalidation`;
and Baidu link pushes of pages as they are published."""

from __future__ import annotations

from typing import Any

from wagtail.signals import page_published

from kanwu.publishing import invalidation, registry, tasks


def _published(sender: Any, instance: Any, **kwargs: Any) -> None:
    tasks.baidu_push_queue(instance)


def connect() -> None:
    registry.connect(invalidation.apply)
    page_published.connect(_published, dispatch_uid="kanwu-baidu-push")
