"""The task queue's backends: django-tasks' own, except in two ways.

- Inside `core.batching.tasks_batched()` (an import), a task that a batch kind stands for is
  kept by the batch instead of queued; the batch queues one task per kind for many changes.
- With REDIS_URL, django-tasks-rq's backend, except that while Redis cannot be reached
  (restarting, failing over) a task is done at once in the process that enqueued it (as
  django-tasks' ImmediateBackend does) instead of failing that process's work: an editor's
  publish still indexes the article and refreshes the static export, at the cost of a slower
  request until Redis is back.
"""

from __future__ import annotations

import logging
from typing import Any

from django_tasks.backends.immediate import ImmediateBackend as DjangoTasksImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id
from django_tasks_db import DatabaseBackend as DjangoTasksDatabaseBackend
from django_tasks_rq import RQBackend as DjangoTasksRQBackend

from kanwu.core.batching import current_batch
from kanwu.core.cache import UNREACHABLE

logger = logging.getLogger(__name__)


def kept_by_batch(backend: Any, task: Any, args: Any, kwargs: Any) -> TaskResult[Any] | None:
    """A result standing for a task the current batch kept (it never runs as such), or None
    when there is no batch or no kind for this task."""
    batch = current_batch()
    if batch is None or not batch.keep(task.module_path, tuple(args), dict(kwargs)):
        return None
    backend.validate_task(task)
    return TaskResult(
        task=task, id=f"batched-{get_random_id()}", status=TaskResultStatus.READY,
        enqueued_at=None, started_at=None, last_attempted_at=None, finished_at=None,
        args=list(args), kwargs=dict(kwargs), backend=backend.alias, errors=[], worker_ids=[],
    )  # fmt: skip


class DatabaseBackend(DjangoTasksDatabaseBackend):
    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        return kept_by_batch(self, task, args, kwargs) or super().enqueue(task, args, kwargs)


class ImmediateBackend(DjangoTasksImmediateBackend):
    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        return kept_by_batch(self, task, args, kwargs) or super().enqueue(task, args, kwargs)


class RQBackend(DjangoTasksRQBackend):
    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        if kept := kept_by_batch(self, task, args, kwargs):
            return kept
        try:
            return super().enqueue(task, args, kwargs)
        except UNREACHABLE as error:
            logger.warning("task queue unreachable (%r): %s done here", error, task.module_path)
            return DjangoTasksImmediateBackend(self.alias, {}).enqueue(task, args, kwargs)
