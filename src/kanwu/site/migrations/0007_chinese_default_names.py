"""Wagtail's default names in Chinese: the page tree's and the collections' root, the Editors
and Moderators groups, and the default workflow and its task (the 发布 menu reads
"提交给审核"). A name somebody already changed is left as it is."""

from django.db import migrations

NAMES = [
    # (app, model, field, Wagtail's name, kanwu's name, extra filter)
    ("wagtailcore", "Page", "title", "Root", "根目录", {"depth": 1}),
    ("wagtailcore", "Page", "draft_title", "Root", "根目录", {"depth": 1}),
    ("wagtailcore", "Collection", "name", "Root", "默认集合", {"depth": 1}),
    ("auth", "Group", "name", "Editors", "编辑", {}),
    ("auth", "Group", "name", "Moderators", "审核", {}),
    ("wagtailcore", "Workflow", "name", "Moderators approval", "审核", {}),
    ("wagtailcore", "Task", "name", "Moderators approval", "审核", {}),
]


def rename(apps, schema_editor, *, forwards: bool = True):
    for app, model, field, wagtail_name, kanwu_name, extra in NAMES:
        old, new = (wagtail_name, kanwu_name) if forwards else (kanwu_name, wagtail_name)
        manager = apps.get_model(app, model).objects
        if model == "Group" and manager.filter(name=new).exists():
            continue  # names are unique: a group of that name exists already
        manager.filter(**{field: old}, **extra).update(**{field: new})


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):
    dependencies = [
        ("kanwu_site", "0006_baidu_push_settings"),
        ("wagtailcore", "0048_add_default_workflows"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
