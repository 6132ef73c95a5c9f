"""Periodic work of the account-security features (run by the worker's scheduler)."""

from __future__ import annotations

from kanwu.accounts.services import login_log_prune


def prune_login_log() -> int:
    """Drop login records past KANWU_LOGIN_LOG_DAYS (at least 180 days)."""
    return login_log_prune()
