"""Reads both workflows share."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from kanwu.casework.models import OutgoingMail


def outgoing_mail_for(obj: models.Model) -> models.QuerySet[OutgoingMail]:
    """The mails about `obj` (a contribution or takedown request), newest first."""
    return OutgoingMail.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )
