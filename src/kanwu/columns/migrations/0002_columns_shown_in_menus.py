"""Columns were always in the navigation; now 在菜单中显示 (show_in_menus) decides, so the
columns that exist keep their place: ticked on the pages and in their revisions."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def show_columns(apps: Any, schema_editor: Any) -> None:
    ColumnPage = apps.get_model("columns", "ColumnPage")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    ColumnPage.objects.update(show_in_menus=True)
    kind = ContentType.objects.filter(app_label="columns", model="columnpage").first()
    if kind is None:
        return
    for revision in Revision.objects.filter(content_type=kind).iterator():
        if isinstance(revision.content, dict) and not revision.content.get("show_in_menus"):
            revision.content["show_in_menus"] = True
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("columns", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(show_columns, migrations.RunPython.noop)]
