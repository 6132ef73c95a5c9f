"""The moderation queue in the Wagtail admin: comments by status, bulk actions, dashboard count."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kanwu.articles.assembly import ARTICLE_CONTEXT_HOOK
from kanwu.comments.assembly import comment_area
from kanwu.comments.models import ArticleCommentState, Comment
from kanwu.comments.moderation import (
    ModerateView,
    ModerationColumn,
    PendingCountMenuItem,
    PendingCountSubmenuMenuItem,
    ReplyView,
    pending_for,
)
from kanwu.comments.services import comments_set_status
from kanwu.core.admin import ChineseInspectView
from kanwu.publishing.invalidation import comments_changed


class BodyColumn(Column):
    def get_value(self, instance: Any) -> str:
        return Truncator(" ".join(instance.body.split())).chars(60, truncate="…")


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = "评论审核"
    list_display = [
        "author_name",
        BodyColumn("body", label="评论内容"),
        "article",
        "status",
        "created_at",
        ModerationColumn("moderation", label="审核"),
    ]
    list_filter = ["status"]
    search_fields = ["author_name", "author_email", "body", "ip_address"]
    search_backend_name = None
    ordering = ["-created_at", "-pk"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = ChineseInspectView
    inspect_view_fields = [
        "article", "parent", "author_name", "author_email", "author_url", "body",
        "status", "notify_replies", "ip_address", "user_agent", "created_at",
    ]  # fmt: skip
    # Status changes go through the bulk actions (and so through the services), never this form.
    panels = [FieldPanel("author_name"), FieldPanel("author_url"), FieldPanel("body")]

    def get_queryset(self, request: HttpRequest) -> Any:
        return Comment.objects.select_related("article")

    def get_urlpatterns(self) -> list[URLPattern | URLResolver]:
        return [
            *super().get_urlpatterns(),
            path("moderate/<int:pk>/", ModerateView.as_view(), name="moderate"),
            path("reply/<int:pk>/", ReplyView.as_view(), name="reply"),
        ]

    @cached_property
    def menu_item_class(self) -> type[MenuItem]:
        """Wagtail's item for this listing (shown by permission) with the pending count."""
        base: type[MenuItem] = SnippetViewSet.menu_item_class.func(self)
        return type(base.__name__, (PendingCountMenuItem, base), {})


class ClosedArticleViewSet(SnippetViewSet):
    model = ArticleCommentState
    icon = "lock"
    menu_label = "关闭评论的文章"
    list_display = ["article", "closed"]
    copy_view_enabled = False
    panels = [PageChooserPanel("article", "articles.ArticlePage"), FieldPanel("closed")]


class CommentsGroup(SnippetViewSetGroup):
    menu_label = "评论"
    menu_icon = "comment"
    menu_order = 250
    items = (CommentViewSet, ClosedArticleViewSet)

    def get_menu_item(self, order: int | None = None) -> PendingCountSubmenuMenuItem:
        item = super().get_menu_item(order)
        return PendingCountSubmenuMenuItem(
            label=item.label,
            menu=item.menu,
            name=item.name,
            icon_name=item.icon_name,
            order=item.order,
        )


register_snippet(CommentsGroup)


@hooks.register("after_edit_snippet")
@hooks.register("after_create_snippet")
@hooks.register("after_delete_snippet")
def purge_after_edit(request: HttpRequest, instance: Any) -> None:
    items = instance if isinstance(instance, list | tuple) else [instance]
    if hasattr(instance, "model") and hasattr(instance, "all"):  # a queryset
        items = list(instance)
    for item in items:
        if isinstance(item, Comment | ArticleCommentState):
            transaction.on_commit(partial(comments_changed, item.article_id))


@hooks.register("construct_snippet_listing_buttons")
def name_the_hard_delete(buttons: list[Any], snippet: Any, user: Any) -> None:
    """A row's 删除 button moves the comment to the trash; the menu's delete, which removes
    it for good, says so."""
    if isinstance(snippet, Comment):
        for button in buttons:
            if button.url and button.url.rstrip("/").endswith(f"/delete/{snippet.pk}"):
                button.label = "永久删除"


class _StatusBulkAction(SnippetBulkAction):
    """Moves the chosen comments to `status` through the service (mail, page purge)."""

    status: str = ""
    template_name = "comments/admin/confirm_bulk_status.html"
    models = [Comment]

    def check_perm(self, snippet: Any) -> bool:
        return bool(
            self.permission_policy.user_has_permission_for_instance(
                self.request.user, "change", snippet
            )
        )

    @classmethod
    def execute_action(cls, objects: Any, **kwargs: Any) -> tuple[int, int]:
        changed = comments_set_status(comments=list(objects), status=cls.status)
        return changed, 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        return f"已将 {num_parent_objects} 条评论设为“{Comment.Status(self.status).label}”。"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["action_label"] = self.display_name
        return context


# The moderation queue's bulk actions: (status, action type, button, label for screen readers).
STATUS_BULK_ACTIONS = [
    (Comment.Status.APPROVED, "approve_comments", "批准", "批准选中的评论"),
    (Comment.Status.SPAM, "spam_comments", "标记为垃圾评论", "将选中的评论标记为垃圾评论"),
    (Comment.Status.TRASH, "trash_comments", "拒绝（移到回收站）", "拒绝选中的评论，移到回收站"),
    (Comment.Status.PENDING, "unapprove_comments", "退回待审核", "将选中的评论退回待审核"),
]
for priority, (status, action_type, label, aria_label) in enumerate(STATUS_BULK_ACTIONS, 1):
    hooks.register(
        "register_bulk_action",
        type(
            f"{status.name.title()}BulkAction",
            (_StatusBulkAction,),
            {
                "status": status,
                "action_type": action_type,
                "display_name": label,
                "aria_label": aria_label,
                "action_priority": priority * 10,
            },
        ),
    )


class PendingCommentsSummaryItem(SummaryItem):
    order = 250
    template_name = "comments/admin/pending_summary.html"

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        url = reverse("wagtailsnippets_comments_comment:list") + "?status=pending"
        return {"url": url, "count": pending_for(self.request)}


@hooks.register("construct_homepage_summary_items")
def add_pending_comments(request: HttpRequest, items: list[Any]) -> None:
    items.append(PendingCommentsSummaryItem(request))


@hooks.register("insert_global_admin_js")
def moderation_shortcuts_js() -> str:
    """Keyboard shortcuts for the moderation queue (a static file: the admin allows no inline
    script of ours); it does nothing on pages without the queue."""
    return format_html('<script src="{}" defer></script>', static("comments/moderation.js"))


@hooks.register("insert_global_admin_css")
def moderation_css() -> str:
    return format_html('<link rel="stylesheet" href="{}">', static("comments/moderation.css"))


hooks.register(ARTICLE_CONTEXT_HOOK, comment_area)
