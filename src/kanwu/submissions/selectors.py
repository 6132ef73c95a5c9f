"""Reads of the contribution workflow (and the mail both workflows send)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from kanwu.submissions.models import OutgoingMail, Submission


def submission_by_code(code: str) -> Submission | None:
    """The contribution with this tracking code, or None."""
    return Submission.objects.filter(code=code).first()


def outgoing_mail_for(obj: models.Model) -> models.QuerySet[OutgoingMail]:
    """The mails about `obj` (a contribution or takedown request), newest first."""
    return OutgoingMail.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )
