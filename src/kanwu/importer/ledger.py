"""The import ledger: what an import made, so re-runs skip it (see models.ImportedItem)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from kanwu.importer.models import ImportedItem

MAX_KEY = 500


def ledger_key(key: str) -> str:
    """Keys longer than the column (long URLs) are stored as their hash."""
    if len(key) <= MAX_KEY:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def ledger_find(*, source: str, key: str) -> Any | None:
    """The object an earlier import made for (source, key), or None (also if it was deleted)."""
    item = ImportedItem.objects.filter(source=source, key=ledger_key(key)).first()
    if item is None:
        return None
    model = item.content_type.model_class()
    if model is None:
        return None
    found = model._default_manager.filter(pk=item.object_id).first()
    if found is None:
        item.delete()  # the object was deleted since: importing it again is what the user wants
    return found


def ledger_record(*, source: str, key: str, obj: models.Model) -> None:
    """Record what (source, key) made; IntegrityError if another import recorded it first."""
    ImportedItem.objects.create(
        source=source,
        key=ledger_key(key),
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
    )


def ledger_move(*, source: str, to: str, key: str) -> None:
    """File what (source, key) made under `to` instead (a source renamed)."""
    ImportedItem.objects.filter(source=source, key=ledger_key(key)).update(source=to)
