"""One-click moderation in the admin's comment queue: the per-row buttons, their views, the
reply page, and the pending count on the 评论 menu item."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from wagtail.admin.menu import MenuItem, SubmenuMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies import ModelPermissionPolicy

from kanwu.comments.forms import ReplyForm
from kanwu.comments.models import Comment
from kanwu.comments.selectors import pending_count
from kanwu.comments.services import (
    CommentRefused,
    comment_reply_as_site,
    comments_set_status,
    site_name_for,
)

permission_policy = ModelPermissionPolicy(Comment)
LIST_URL_NAME = "wagtailsnippets_comments_comment:list"
MODERATE_URL_NAME = "wagtailsnippets_comments_comment:moderate"
REPLY_URL_NAME = "wagtailsnippets_comments_comment:reply"


@dataclass(frozen=True)
class RowAction:
    """A status change one button in a row makes: shown for the statuses in `shown_for`."""

    name: str
    status: str
    label: str
    key: str
    shown_for: tuple[str, ...]
    done: str  # the success message; {author} is the commenter's nickname
    classname: str = ""


S = Comment.Status
ROW_ACTIONS = {
    action.name: action
    for action in [
        RowAction("approve", S.APPROVED, "批准", "a", (S.PENDING, S.SPAM, S.TRASH),
                  "已批准“{author}”的评论。"),
        RowAction("spam", S.SPAM, "垃圾评论", "s", (S.PENDING, S.APPROVED, S.TRASH),
                  "已将“{author}”的评论标记为垃圾评论。", "button-secondary"),
        RowAction("trash", S.TRASH, "删除", "d", (S.PENDING, S.APPROVED, S.SPAM),
                  "已将“{author}”的评论移到回收站。", "button-secondary no"),
    ]
}  # fmt: skip
REPLY_SHOWN_FOR = (S.PENDING, S.APPROVED)


def can_moderate(user: Any) -> bool:
    return bool(permission_policy.user_has_permission(user, "change"))


def listing_url(request: HttpRequest) -> str:
    """The queue's page the request came from, with its filter, search and page number; the
    listing's AJAX results view (used when filtering) maps back to the full page."""
    query = request.GET.urlencode()
    return reverse(LIST_URL_NAME) + (f"?{query}" if query else "")


def safe_next(request: HttpRequest, raw: str | None) -> str:
    """`raw` when it is a path on this site, else the queue."""
    if raw and url_has_allowed_host_and_scheme(
        raw, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return raw
    return reverse(LIST_URL_NAME)


class ModerationColumn(Column):
    """批准 / 垃圾评论 / 删除 as small POST forms and 回复 as a link, by the row's status, for
    users who may change comments; moderation.js gives them keyboard shortcuts."""

    cell_template_name = "comments/admin/moderation_cell.html"

    def get_cell_context_data(self, instance: Any, parent_context: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        if request is None or not can_moderate(request.user):
            context.update(actions=[], reply_url="")
            return context
        back = listing_url(request)
        context["csrf_token"] = get_token(request)  # cells render without a RequestContext
        context["next"] = back
        context["moderate_url"] = reverse(MODERATE_URL_NAME, args=[instance.pk])
        context["actions"] = [a for a in ROW_ACTIONS.values() if instance.status in a.shown_for]
        context["reply_url"] = (
            reverse(REPLY_URL_NAME, args=[instance.pk]) + "?" + urlencode({"next": back})
            if instance.status in REPLY_SHOWN_FOR
            else ""
        )
        return context


class ModerateView(View):
    """POST action=approve|spam|trash: one comment's new status, then back to the queue."""

    http_method_names = ["post"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_moderate(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        comment = get_object_or_404(Comment, pk=pk)
        action = ROW_ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            return HttpResponse(
                "未知的审核操作。", status=400, content_type="text/plain; charset=utf-8"
            )
        author = comment.author_name
        if comments_set_status(comments=[comment], status=action.status):
            messages.success(request, action.done.format(author=author))
        else:
            label = Comment.Status(action.status).label
            messages.info(request, f"“{author}”的评论已经是“{label}”状态。")
        return HttpResponseRedirect(safe_next(request, request.POST.get("next")))


class ReplyView(WagtailAdminTemplateMixin, View):
    """An editor's reply to one comment, signed with the site's name and shown at once."""

    template_name = "comments/admin/reply.html"
    header_icon = "comment"
    comment: Comment

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_moderate(request.user):
            raise PermissionDenied
        self.comment = get_object_or_404(Comment.objects.select_related("article"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return f"回复“{self.comment.author_name}”的评论"

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [
            {"url": reverse("wagtailadmin_home"), "label": "首页"},
            {"url": reverse(LIST_URL_NAME), "label": "评论审核"},
            {"url": "", "label": self.get_page_title()},
        ]

    def render(self, form: ReplyForm, status: int = 200) -> TemplateResponse:
        context = self.get_context_data(
            comment=self.comment,
            form=form,
            site_name=site_name_for(self.comment.article),
            replyable=self.comment.status in REPLY_SHOWN_FOR,
            back_url=safe_next(self.request, form["next"].value()),
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> TemplateResponse:
        return self.render(ReplyForm(initial={"next": request.GET.get("next", "")}))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = ReplyForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            comment_reply_as_site(
                parent=self.comment,
                body=form.cleaned_data["body"],
                email=getattr(request.user, "email", ""),
            )
        except CommentRefused as refusal:
            form.add_error("body" if refusal.field == "body" else None, refusal.message)
            return self.render(form, status=400)
        messages.success(request, f"已回复“{self.comment.author_name}”的评论，回复已发布。")
        return HttpResponseRedirect(safe_next(request, form.cleaned_data["next"]))


def pending_for(request: HttpRequest) -> int:
    """The number of held comments, counted once per request (menu and dashboard share it)."""
    cached = getattr(request, "_kanwu_pending_comments", None)
    if cached is None:
        cached = pending_count()
        request._kanwu_pending_comments = cached  # type: ignore[attr-defined]
    return cached


def with_count(label: str, count: int) -> str:
    return f"{label}（{count}）" if count else label


class PendingCountSubmenuMenuItem(SubmenuMenuItem):
    """The 评论 group in the sidebar, its label followed by the number of held comments."""

    def render_component(self, request: HttpRequest) -> Any:
        component = super().render_component(request)
        component.label = with_count(str(self.label), pending_for(request))
        return component


class PendingCountMenuItem(MenuItem):
    """The 评论审核 entry, with the same count."""

    def render_component(self, request: HttpRequest) -> Any:
        component = super().render_component(request)
        component.label = with_count(str(self.label), pending_for(request))
        return component
