"""Periodic work of the takedown workflow (run by the worker's scheduler)."""

from __future__ import annotations

from kanwu.casework.clock import remind_assignees
from kanwu.takedowns.models import Takedown


def remind_takedowns() -> int:
    """Remind assignees of takedown requests about to miss (or past) their deadline, once."""
    return remind_assignees(Takedown, label="侵权投诉", url_name="takedown_queue:edit")
