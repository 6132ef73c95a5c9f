"""Writes of the takedown (侵权投诉) workflow; receiving, assigning and replying are
kanwu.casework's. Taking down and restoring go through Wagtail's unpublish and publish
actions, so they are in each page's history, and Wagtail's signals tell search and the page
cache."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from kanwu.articles.models import ArticlePage
from kanwu.casework.workflow import status_url, tracked_create, tracked_decide
from kanwu.takedowns.models import Takedown, TakedownArticle, TakedownAttachment
from kanwu.uploads import CheckedFile

DEFAULT_TAKEDOWN_REPLY = "经核实，您投诉的文章已从本站下架。感谢您的来信。"
DEFAULT_RESTORE_REPLY = "经复核，相关文章已恢复发布。"


def article_path(page: ArticlePage) -> str:
    """The path readers use for the article on its site ("/news/some-article/")."""
    parts = page.get_url_parts()
    return str(parts[2]) if parts else ""


def takedown_create(
    *,
    site: Site | None,
    name: str,
    organisation: str,
    email: str,
    phone: str,
    right: str,
    reason: str,
    articles: list[tuple[str, ArticlePage]],
    files: list[CheckedFile],
    ip_address: str | None = None,
    flagged_words: str = "",
) -> Takedown:
    """Store a request naming (url, article) pairs, start its clock, log it, mail a receipt."""

    def add_articles(takedown: Takedown) -> str:
        for url, article in articles:
            TakedownArticle.objects.create(
                takedown=takedown, article=article, url=url[:500], title=article.title[:255],
                path=article_path(article)[:500],
            )  # fmt: skip
        return f"收到侵权投诉（{len(articles)} 篇文章，{len(files)} 个证明材料）"

    fields = {"name": name, "organisation": organisation, "email": email, "phone": phone,
              "right": right, "reason": reason, "declared_at": timezone.now(),
              "ip_address": ip_address, "flagged_words": flagged_words[:500]}  # fmt: skip
    takedown: Takedown = tracked_create(
        model=Takedown,
        site=site,
        fields=fields,
        files=files,
        attachment=lambda item, **file: TakedownAttachment(takedown=item, **file),
        add_related=add_articles,
        receipt_subject="侵权投诉已收到",
        receipt_template="takedowns/email/receipt.txt",
    )
    return takedown


@dataclass(frozen=True)
class _Decision:
    status: str
    action: str
    default_reply: str
    subject: str
    verb: str


TAKE_DOWN = _Decision(
    Takedown.Status.TAKEN_DOWN, "take_down", DEFAULT_TAKEDOWN_REPLY,
    "侵权投诉处理结果：相关文章已下架", "下架",
)  # fmt: skip
RESTORE = _Decision(
    Takedown.Status.RESTORED, "restore", DEFAULT_RESTORE_REPLY,
    "侵权投诉处理进展：相关文章已恢复发布", "恢复发布",
)  # fmt: skip


def _decided(
    takedown: Takedown, user: Any, items: list[TakedownArticle], decision: _Decision, note: str
) -> None:
    """Record a decision on the articles in `items`: status, audit entry, mail to the claimant."""
    named = "、".join(f"“{item.title}”（{item.path}）" for item in items)
    tracked_decide(
        item=takedown, user=user, status=decision.status, action=decision.action,
        reply=note or decision.default_reply, subject=decision.subject,
        message=f"{decision.verb}：{named}",
        data={"articles": [item.article_id for item in items], "note": note},
    )  # fmt: skip


@transaction.atomic
def takedown_execute(*, takedown: Takedown, user: Any, note: str = "") -> Takedown:
    """Take the named articles down: unpublish each through Wagtail (checking the user's
    permission), make its path answer 410 Gone, close the clock, log and tell the claimant."""
    if takedown.status == Takedown.Status.TAKEN_DOWN:
        raise ValueError("这些文章已经下架了。")
    items = [item for item in takedown.articles.select_related("article") if item.article]
    if not items:
        raise ValueError("投诉的文章已不存在，无需下架。")
    for item in items:
        page = item.article.specific if item.article else None
        if page is None:
            continue
        if page.live:
            item.path = article_path(page)[:500] or item.path
            page.unpublish(user=user)
        item.state = TakedownArticle.State.TAKEN_DOWN
        item.save()
    _decided(takedown, user, items, TAKE_DOWN, note)
    return takedown


@transaction.atomic
def takedown_restore(*, takedown: Takedown, user: Any, note: str = "") -> Takedown:
    """Undo a takedown: republish each article's latest revision through Wagtail; its path
    stops answering 410."""
    if takedown.status != Takedown.Status.TAKEN_DOWN:
        raise ValueError("只有已下架的投诉才能恢复。")
    items = list(
        takedown.articles.filter(state=TakedownArticle.State.TAKEN_DOWN).select_related("article")
    )
    for item in items:
        page = item.article.specific if item.article else None
        if page is not None and not page.live:
            revision = page.get_latest_revision() or page.save_revision(user=user)
            revision.publish(user=user)
        item.state = TakedownArticle.State.RESTORED
        item.save()
    _decided(takedown, user, items, RESTORE, note)
    return takedown


@transaction.atomic
def takedown_decline(*, takedown: Takedown, user: Any, reason: str) -> Takedown:
    if takedown.status == Takedown.Status.TAKEN_DOWN:
        raise ValueError("文章已下架；如需撤销，请使用“恢复发布”。")
    tracked_decide(
        item=takedown, user=user, status=Takedown.Status.DECLINED, action="decline",
        reply=reason, subject="侵权投诉处理结果", message=f"驳回：{reason}",
        body=f"{takedown.name}，您好：\n\n经核实，您的投诉未获支持。\n原因：{reason}\n\n"
        f"查询进度：{status_url(takedown)}\n",
    )  # fmt: skip
    return takedown
