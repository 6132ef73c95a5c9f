"""Periodic work of the contribution workflow (run by the worker's scheduler)."""

from __future__ import annotations

from kanwu.casework.clock import remind_assignees
from kanwu.submissions.models import Submission


def remind_submissions() -> int:
    """Remind assignees of contributions about to miss (or past) their deadline, once."""
    return remind_assignees(Submission, label="投稿", url_name="submission_queue:edit")
