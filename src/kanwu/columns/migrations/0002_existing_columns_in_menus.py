"""The navigation now lists only columns that show in menus: keep every existing one in it."""

from typing import Any

from django.db import migrations


def show_existing(apps: Any, schema_editor: Any) -> None:
    apps.get_model("columns", "ColumnPage").objects.update(show_in_menus=True)


class Migration(migrations.Migration):
    dependencies = [("columns", "0001_initial")]

    operations = [migrations.RunPython(show_existing, migrations.RunPython.noop)]
