"""What an editor's browser sends back from a Wagtail admin form: every field as rendered."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup


def form_fields(html: str, selector: str = "form#page-edit-form") -> dict[str, Any]:
    form = BeautifulSoup(html, "html.parser").select_one(selector)
    assert form is not None
    data: dict[str, Any] = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = field.select_one("option[selected]")
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.get("type") != "file":
            data[name] = field.get("value", "")
    return data
