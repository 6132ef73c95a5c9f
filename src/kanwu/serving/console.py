"""What `kanwu worker` prints: one summary line per batch of background tasks instead of two
lines per task, errors in full; `--verbose` prints every task again."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

from django_tasks.signals import task_finished

# The loggers that write a line when a task starts and when it ends.
TASK_LOGGERS = ("django_tasks", "django.tasks", "django_tasks_db", "rq.worker")


class TaskSummary(logging.Filter):
    """Drops the task workers' INFO lines (warnings and errors pass) and counts finished tasks
    by state; `line()` gives the summary of those since the last line, or "" when none."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._states: Counter[str] = Counter()

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING

    def finished(self, sender: Any, task_result: Any, **kwargs: Any) -> None:
        with self._lock:
            self._states[str(task_result.status)] += 1

    def line(self) -> str:
        with self._lock:
            states, self._states = self._states, Counter()
        done = sum(states.values())
        if not done:
            return ""
        failed = states.get("FAILED", 0)
        failures = f"，其中 {failed} 个失败（详见上方错误）" if failed else ""
        return f"后台任务：完成 {done} 个{failures}"


def quiet_tasks(write: Callable[[str], None], stop: threading.Event, every: float = 5.0) -> None:
    """Install the summary and print its line every `every` seconds (when there is one) until
    `stop` is set; a batch that finishes within one period gives one line."""
    summary = TaskSummary()
    for name in TASK_LOGGERS:
        logging.getLogger(name).addFilter(summary)
    task_finished.connect(summary.finished, weak=False)

    def report() -> None:
        while not stop.wait(every):
            if line := summary.line():
                write(line)

    threading.Thread(target=report, name="kanwu-task-summary", daemon=True).start()
