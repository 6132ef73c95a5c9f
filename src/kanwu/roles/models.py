"""Roles in a column (栏目权限) and the approval task that knows about them.

A role is a Django group: the site-wide ones (撰稿, 编辑, 审核, 栏目管理员, 站点管理员) hold
their page permissions on the root page, a column's ones ("新闻 · 审核") on that column. Wagtail
checks page permissions by tree-path prefix against the user's few permission rows, so a check
costs the same with 5 or 100,000 articles under the column.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy
from wagtail.models import AbstractGroupApprovalTask, Page, TaskState, get_default_page_content_type


class ColumnRole(models.Model):
    """The group whose members hold `role` in `column` and everything under it."""

    class Role(models.TextChoices):
        # The label is also the name of the role's site-wide group (roles.py).
        WRITER = "writer", "撰稿"
        EDITOR = "editor", "编辑"
        REVIEWER = "reviewer", "审核"
        COLUMN_ADMIN = "column_admin", "栏目管理员"

    column = models.ForeignKey(
        "columns.ColumnPage", verbose_name="栏目", on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    group = models.OneToOneField(
        Group, verbose_name="用户组", on_delete=models.CASCADE, related_name="column_role"
    )

    class Meta:
        verbose_name = "栏目角色"
        verbose_name_plural = "栏目角色"
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["column", "role"], name="roles_one_group_per_role")
        ]

    def __str__(self) -> str:
        return self.group.name


class ColumnApprovalTask(AbstractGroupApprovalTask):
    """Wagtail's group approval, where a column's role counts inside that column: with 审核
    among the task's groups, the members of "新闻 · 审核" approve the pages under 新闻 (and
    only those). Nobody approves two stages of one run: 三审 takes three people."""

    admin_form_fields = AbstractGroupApprovalTask.admin_form_fields

    class Meta:
        verbose_name = "按栏目审批"
        verbose_name_plural = "按栏目审批"

    @classmethod
    def get_description(cls) -> str:
        return (
            "所选用户组的成员可以审批；在某个栏目中担任这些角色的成员，可以审批该栏目中的页面。"
            "同一次审核中，一个人只能审批一个环节。"
        )

    def _column_paths(self, user: Any) -> list[str]:
        """The paths of the columns in which `user` holds one of this task's roles."""
        cache: dict[int, list[str]] = user.__dict__.setdefault("_kanwu_review_columns", {})
        if self.pk not in cache:
            names = set(self.groups.values_list("name", flat=True))
            roles = [role for role in ColumnRole.Role if role.label in names]
            cache[self.pk] = list(
                ColumnRole.objects.filter(group__user=user, role__in=roles).values_list(
                    "column__path", flat=True
                )
            )
        return cache[self.pk]

    def _may_review(self, obj: Any, user: Any) -> bool:
        if user.is_superuser or self._user_in_groups(user):
            return True
        path: str = getattr(obj, "path", "") or ""
        return bool(path) and any(path.startswith(p) for p in self._column_paths(user))

    def _approved_earlier(self, obj: Any, user: Any) -> bool:
        state = getattr(obj, "current_workflow_state", None)
        return bool(
            state
            and state.task_states.filter(
                status=TaskState.STATUS_APPROVED, finished_by=user
            ).exists()
        )

    def user_can_access_editor(self, obj: Any, user: Any) -> bool:
        return self._may_review(obj, user)

    def locked_for_user(self, obj: Any, user: Any) -> bool:
        return not self._may_review(obj, user)

    def user_can_lock(self, obj: Any, user: Any) -> bool:
        return self._may_review(obj, user)

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, Any, bool]]:
        if not self._may_review(obj, user) or self._approved_earlier(obj, user):
            return []
        return [
            ("reject", gettext_lazy("Request changes"), True),
            ("approve", gettext_lazy("Approve"), False),
            ("approve", gettext_lazy("Approve with comment"), True),
        ]

    def get_task_states_user_can_moderate(self, user: Any, **kwargs: Any) -> Any:
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if not (user.is_superuser or self._user_in_groups(user)):
            paths = self._column_paths(user)
            if not paths:
                return TaskState.objects.none()
            under = Q()
            for path in paths:
                under |= Q(path__startswith=path)
            pages = Page.objects.filter(under).annotate(key=Cast("pk", models.CharField()))
            states = states.filter(
                workflow_state__base_content_type=get_default_page_content_type(),
                workflow_state__object_id__in=pages.values("key"),
            )
        approved = TaskState.objects.filter(status=TaskState.STATUS_APPROVED, finished_by=user)
        return states.exclude(workflow_state__in=approved.values("workflow_state"))
