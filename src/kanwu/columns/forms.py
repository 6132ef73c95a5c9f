"""Choosing a column in a form: every column chooser shows the tree."""

from __future__ import annotations

from typing import Any

from django import forms


class ColumnChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Columns in tree order (give a queryset ordered by `path`), indented by depth."""

    def label_from_instance(self, obj: Any) -> str:
        return "　" * max(obj.depth - 3, 0) + obj.title
