"""The worker's console: a summary line per batch of tasks, errors in full."""

from __future__ import annotations

import logging
from types import SimpleNamespace

from kanwu.serving.console import TaskSummary


def record(level: int, message: str) -> logging.LogRecord:
    return logging.LogRecord("django_tasks", level, __file__, 1, message, None, None)


def test_per_task_lines_are_dropped_and_errors_kept() -> None:
    summary = TaskSummary()
    assert not summary.filter(record(logging.INFO, "Task id=1 path=x state=RUNNING"))
    assert not summary.filter(record(logging.INFO, "Task id=1 path=x state=SUCCEEDED"))
    assert summary.filter(record(logging.ERROR, "Task id=2 path=y state=FAILED"))
    assert summary.filter(record(logging.WARNING, "database is locked"))


def test_one_line_sums_up_a_batch_then_nothing_until_the_next() -> None:
    summary = TaskSummary()
    assert summary.line() == ""
    for status in ["SUCCEEDED"] * 11 + ["FAILED"]:
        summary.finished(None, SimpleNamespace(status=status))
    assert summary.line() == "后台任务：完成 12 个，其中 1 个失败（详见上方错误）"
    assert summary.line() == ""
    summary.finished(None, SimpleNamespace(status="SUCCEEDED"))
    assert summary.line() == "后台任务：完成 1 个"
