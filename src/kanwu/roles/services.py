"""Every write of roles and 三审: a user's role in columns, and 三审 on or off for a column.

Each service checks that `by` may do it first (PermissionDenied with a Chinese message)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
)

from kanwu.columns.models import ColumnPage
from kanwu.roles import rights, selectors
from kanwu.roles.models import ColumnRole

THREE_REVIEWS = "三审"  # the workflow the migration made


def _column_group_name(column: ColumnPage, role: str) -> str:
    name = f"{column.title} · {ColumnRole.Role(role).label}"[:140]
    if Group.objects.filter(name=name).exists():  # two columns of one title
        name = f"{name}（{column.pk}）"
    return name


def column_group_ensure(*, column: ColumnPage, role: str) -> ColumnRole:
    """The group of `role` in `column`, made with its permissions the first time."""
    existing = ColumnRole.objects.filter(column=column, role=role).select_related("group")
    if found := existing.first():
        return found
    group = Group.objects.create(name=_column_group_name(column, role))
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for codename in rights.PAGES[role]:
        permission = Permission.objects.get(
            content_type__app_label="wagtailcore", codename=codename
        )
        GroupPagePermission.objects.create(group=group, page=column, permission=permission)
    root = Collection.get_first_root_node()
    for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
        for action in rights.MEDIA[role]:
            permission = Permission.objects.get(
                content_type__app_label=app, codename=f"{action}_{model}"
            )
            GroupCollectionPermission.objects.create(
                group=group, collection=root, permission=permission
            )
    return ColumnRole.objects.create(column=column, role=role, group=group)


@transaction.atomic
def column_role_assign(
    *, by: Any, user: Any, role: str, columns: Iterable[ColumnPage]
) -> list[ColumnRole]:
    """Make `user` hold `role` in each of `columns`."""
    if not selectors.may_manage_roles(by):
        raise PermissionDenied("您无权分配栏目权限。")
    if role not in ColumnRole.Role.values:
        raise ValidationError("没有这个角色。")
    if user.is_superuser:
        raise ValidationError("超级管理员已拥有全部权限，无需分配。")
    assigned = []
    for column in columns:
        column_role = column_group_ensure(column=column, role=role)
        user.groups.add(column_role.group)
        assigned.append(column_role)
    if assigned and not user.is_staff:
        # Wagtail's user list and our 2FA rules treat staff as people of the newsroom.
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return assigned


def column_role_revoke(*, by: Any, user: Any, column_role: ColumnRole) -> None:
    """Take `user` out of the role's group (the group stays, for the next assignment)."""
    if not selectors.may_manage_roles(by):
        raise PermissionDenied("您无权分配栏目权限。")
    user.groups.remove(column_role.group)


def three_reviews_workflow() -> Workflow:
    workflow = Workflow.objects.filter(name=THREE_REVIEWS).first()
    if workflow is None:
        raise ValidationError("找不到名为“三审”的工作流，请在“设置 › 工作流”中恢复。")
    return workflow


@transaction.atomic
def column_review_switch(*, by: Any, column: ColumnPage, on: bool) -> None:
    """三审 on or off for `column` and everything under it (unless a sub-column has its own
    workflow): Wagtail's WorkflowPage row for the column. Articles already in review finish
    the run they started."""
    if not selectors.may_switch_review(by, column):
        raise PermissionDenied("您无权为这个栏目开启或关闭三审。")
    workflow = three_reviews_workflow()
    if on:
        if not workflow.active:
            raise ValidationError("“三审”工作流已停用，请先在“设置 › 工作流”中启用。")
        WorkflowPage.objects.update_or_create(page=column, defaults={"workflow": workflow})
    else:
        WorkflowPage.objects.filter(page=column, workflow=workflow).delete()
