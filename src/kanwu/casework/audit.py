"""The append-only audit log of both reader workflows (contributions and takedowns)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from kanwu.casework.models import AuditEntry


def audit_record(
    *,
    obj: models.Model,
    action: str,
    user: Any = None,
    message: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry: who (None: the reader or the system), what, to which object."""
    real_user = user if getattr(user, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        user=real_user,
        user_name=real_user.get_username() if real_user else "",
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        message=message,
        data=data or {},
    )


def audit_history(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """Every entry about `obj`, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("user")
