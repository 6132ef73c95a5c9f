"""Reads of roles and reviews that depend on who asks: who may manage what, the pending count
per reviewer, and an article's 审核记录."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q, QuerySet
from wagtail.models import Page, TaskState, WorkflowPage

from kanwu.roles.models import ColumnRole

STATUS = {
    TaskState.STATUS_IN_PROGRESS: "待审核",
    TaskState.STATUS_APPROVED: "通过",
    TaskState.STATUS_REJECTED: "退回修改",
    TaskState.STATUS_SKIPPED: "跳过",
    TaskState.STATUS_CANCELLED: "已取消",
}


def may_manage_roles(user: Any) -> bool:
    """Superusers and whoever may edit users (站点管理员)."""
    return bool(user.is_active and (user.is_superuser or user.has_perm("auth.change_user")))


def holds_role_in(user: Any, page: Page, roles: list[str]) -> bool:
    """Whether `user` holds one of `roles` in a column at or above `page`."""
    paths = ColumnRole.objects.filter(group__user=user, role__in=roles).values_list(
        "column__path", flat=True
    )
    return any(page.path.startswith(path) for path in paths)


def may_switch_review(user: Any, column: Page) -> bool:
    """Superusers, whoever may change workflows (站点管理员), and the column's 栏目管理员."""
    if not user.is_active:
        return False
    if user.is_superuser or user.has_perm("wagtailcore.change_workflow"):
        return True
    return holds_role_in(user, column, [ColumnRole.Role.COLUMN_ADMIN])


def review_on(column: Page, workflow_name: str) -> bool:
    return WorkflowPage.objects.filter(page=column, workflow__name=workflow_name).exists()


def assignments() -> QuerySet[Any]:
    """Every (user, column role) pair, for 设置 › 栏目权限."""
    through = get_user_model().groups.through
    return (
        through.objects.filter(group__column_role__isnull=False)
        .select_related("user", "group__column_role__column")
        .order_by("group__column_role__column__path", "group__column_role__role", "user__username")
    )


def reviewers() -> QuerySet[Any]:
    """Active users who can approve some task: members of an active task's groups, or of a
    column's group for one of those roles."""
    task_groups = Group.objects.filter(
        Q(columnapprovaltask__active=True) | Q(groupapprovaltask__active=True)
    )
    names = set(task_groups.values_list("name", flat=True))
    roles = [role for role in ColumnRole.Role if role.label in names]
    column_groups = Group.objects.filter(column_role__role__in=roles)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__in=task_groups) | Q(groups__in=column_groups))
        .distinct()
        .order_by("username")
    )


def pending_count(user: Any) -> int:
    """How many tasks wait for `user` to review."""
    return int(TaskState.objects.reviewable_by(user).count())


@dataclass(frozen=True)
class Pending:
    reviewer: Any
    count: int


def pending_by_reviewer(limit: int = 50) -> list[Pending]:
    """The pending count of each reviewer, the busiest first."""
    rows = [Pending(user, pending_count(user)) for user in reviewers()[:limit]]
    return sorted(rows, key=lambda row: -row.count)


@dataclass(frozen=True)
class ReviewStep:
    workflow: str
    task: str
    status: str
    reviewer: str
    at: datetime | None
    comment: str


def review_record(page: Page) -> list[ReviewStep]:
    """Each step of each review of `page`, oldest first: who approved (or sent back) when."""
    states = (
        TaskState.objects.for_instance(page)
        .select_related("task", "finished_by", "workflow_state__workflow")
        .order_by("started_at", "pk")
    )
    return [
        ReviewStep(
            workflow=state.workflow_state.workflow.name,
            task=state.task.name,
            status=STATUS.get(state.status, state.status),
            reviewer=_name(state.finished_by),
            at=state.finished_at or state.started_at,
            comment=state.comment,
        )
        for state in states
    ]


def _name(user: Any) -> str:
    if user is None:
        return ""
    full = f"{user.last_name}{user.first_name}".strip()
    return full or user.get_username()
