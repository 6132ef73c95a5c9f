"""Writes to articles that editors make outside the page editor: 推荐位 in bulk."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction

from kanwu.articles.models import ArticlePage, ArticleSlot


def article_slots_change(
    *,
    articles: Iterable[ArticlePage],
    flag: str,
    hold: bool,
    expires_at: datetime | None = None,
    user: Any = None,
) -> int:
    """Give each article the 推荐位 `flag` (until `expires_at`), or take it away (`hold`
    False); return how many articles changed.

    Both copies change: the live rows readers see (their signals purge the cached pages
    showing them), and the editor's copy, the latest revision (a new one, so the page history
    says who did it), so that neither the editor's form nor a later publish brings the old
    flags back. A pending draft stays pending.
    """
    changed = 0
    for article in articles:
        with transaction.atomic():
            live = ArticleSlot.objects.filter(article=article, flag=flag).first()
            if hold:
                if live is None:
                    live = ArticleSlot.objects.create(
                        article=article, flag=flag, expires_at=expires_at
                    )
                elif live.expires_at != expires_at:
                    live.expires_at = expires_at
                    live.save(update_fields=["expires_at"])
            elif live is not None:
                live.delete()
            _revise(article, flag, live if hold else None, expires_at, user)
            changed += 1
    return changed


def _revise(
    article: ArticlePage,
    flag: str,
    live: ArticleSlot | None,
    expires_at: datetime | None,
    user: Any,
) -> None:
    """A new latest revision: the latest one's content, with `flag` held as `live` (the same
    row, so publishing it keeps that row) or not held."""
    pending = article.has_unpublished_changes
    draft: ArticlePage = article.get_latest_revision_as_object()
    slots = [slot for slot in draft.slots.all() if slot.flag != flag]
    if live is not None:
        slots.append(ArticleSlot(pk=live.pk, flag=flag, expires_at=expires_at))
    draft.slots = slots  # modelcluster keeps the relation in memory until saved
    draft.save_revision(user=user, changed=pending, log_action=True, clean=False)
