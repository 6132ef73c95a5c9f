"""Reads of the contribution workflow."""

from __future__ import annotations

from kanwu.submissions.models import Submission


def submission_by_code(code: str) -> Submission | None:
    """The contribution with this tracking code, or None."""
    return Submission.objects.filter(code=code).first()
