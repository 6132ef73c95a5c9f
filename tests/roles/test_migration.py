"""The migration that makes the role groups and 三审: what a fresh database gets, and running it
again over a database that has it (or Wagtail's renamed Editors/Moderators) changes nothing and
keeps everyone's memberships."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from wagtail.models import (
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Task,
    Workflow,
    WorkflowPage,
)

from kanwu.roles.models import ColumnApprovalTask

pytestmark = pytest.mark.django_db

migration = importlib.import_module("kanwu.roles.migrations.0002_roles_and_three_reviews")


def snapshot() -> dict[str, Any]:
    return {
        "groups": sorted(Group.objects.values_list("name", flat=True)),
        "page rights": GroupPagePermission.objects.count(),
        "media rights": GroupCollectionPermission.objects.count(),
        "model rights": sorted(Group.objects.values_list("name", "permissions__codename")),
        "workflows": sorted(Workflow.objects.values_list("name", flat=True)),
        "tasks": sorted(Task.objects.values_list("name", "content_type__model")),
        "members": sorted(User.groups.through.objects.values_list("user_id", "group_id")),
    }


def test_a_fresh_database_has_the_roles_and_three_reviews(home: Any) -> None:
    three = Workflow.objects.get(name="三审")
    assert three.active
    assert [task.name for task in three.tasks] == ["初审", "复审", "终审"]
    assert all(isinstance(task.specific, ColumnApprovalTask) for task in three.tasks)
    assert not WorkflowPage.objects.filter(workflow=three).exists()  # switched on per column
    # Wagtail's one-step workflow (renamed 审核) now knows about columns too, and stays on root.
    default = Workflow.objects.get(name="审核")
    task = default.tasks.get().specific
    assert isinstance(task, ColumnApprovalTask)
    assert set(task.groups.values_list("name", flat=True)) == {"审核", "栏目管理员", "站点管理员"}
    assert WorkflowPage.objects.get(workflow=default).page.depth == 1
    assert not GroupApprovalTask.objects.exists()
    assert Group.objects.filter(name__in=["编辑", "审核", "Editors", "Moderators"]).count() == 2


def test_running_it_again_changes_nothing_and_keeps_members(
    home: Any, django_user_model: type[User]
) -> None:
    editor = django_user_model.objects.create_user("laobianji", password="pw-123456")
    editor.groups.add(Group.objects.get(name="编辑"))
    before = snapshot()
    migration.forwards(apps, None)
    assert snapshot() == before
    assert editor.groups.filter(name="编辑").exists()


def test_backwards_and_forwards_keep_the_task_its_id_and_groups(home: Any) -> None:
    default = Workflow.objects.get(name="审核")
    task_id = default.tasks.get().pk
    migration.backwards(apps, None)
    task = Task.objects.get(pk=task_id).specific
    assert isinstance(task, GroupApprovalTask)
    assert "审核" in set(task.groups.values_list("name", flat=True))
    migration.forwards(apps, None)
    assert isinstance(Task.objects.get(pk=task_id).specific, ColumnApprovalTask)
    assert [t.pk for t in Workflow.objects.get(name="审核").tasks] == [task_id]
