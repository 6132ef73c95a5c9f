"""The task queue with REDIS_URL: django-tasks-rq's backend, except that while Redis cannot be
reached (restarting, failing over) a task is done at once in the process that enqueued it
(as django-tasks' ImmediateBackend does) instead of failing that process's work: an editor's
publish still indexes the article and refreshes the static export, at the cost of a slower
request until Redis is back."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_rq import RQBackend as DjangoTasksRQBackend

from kanwu.core.cache import UNREACHABLE

logger = logging.getLogger(__name__)


class RQBackend(DjangoTasksRQBackend):
    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        try:
            return super().enqueue(task, args, kwargs)
        except UNREACHABLE as error:
            logger.warning("task queue unreachable (%r): %s done here", error, task.module_path)
            return ImmediateBackend(self.alias, {}).enqueue(task, args, kwargs)
