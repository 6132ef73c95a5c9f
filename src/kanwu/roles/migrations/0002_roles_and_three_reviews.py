"""The role groups and the 三审 workflow.

Groups 撰稿, 编辑, 审核, 栏目管理员 and 站点管理员 with their page permissions on the root page,
their rights on images and documents in the root collection, and admin access. 编辑 and 审核
are Wagtail's Editors and Moderators, renamed by kanwu_site 0007: they are found by name, and
a permission is only ever added, so their members keep what they had. 站点管理员 also gets
every permission of the content, settings, redirects, workflows and user accounts that exist
now (not backups, login records or groups).

Wagtail's group approval tasks become column-aware ones (roles.ColumnApprovalTask: the same
row, the same groups), with 栏目管理员 and 站点管理员 beside 审核; then the workflow 三审
(初审 → 复审 → 终审), active and on no page: it is switched on per column.

Running it again, or on a database that has some of this already, adds only what is missing.
"""

from django.db import migrations

PAGE_PERMISSIONS = {
    "撰稿": ["add"],
    "编辑": ["add", "change", "lock"],
    "审核": ["add", "change", "lock", "publish", "unlock"],
    "栏目管理员": ["add", "bulk_delete", "change", "lock", "publish", "unlock"],
    "站点管理员": ["add", "bulk_delete", "change", "lock", "publish", "unlock"],
}
MEDIA_PERMISSIONS = {
    "撰稿": ["add", "choose"],
    "编辑": ["add", "change", "choose"],
    "审核": ["add", "change", "choose"],
    "栏目管理员": ["add", "change", "choose", "delete"],
    "站点管理员": ["add", "change", "choose", "delete"],
}
SITE_ADMIN = "站点管理员"
SITE_ADMIN_APPS = {
    "articles", "columns", "comments", "casework", "submissions", "takedowns", "importer",
    "publishing", "search", "wordfilter", "kanwu_site", "wagtailredirects", "taggit",
}  # fmt: skip
SITE_ADMIN_MODELS = {
    ("wagtailcore", "workflow"), ("wagtailcore", "task"), ("wagtailcore", "collection"),
    ("roles", "columnapprovaltask"), ("auth", "user"),
}  # fmt: skip
REVIEWERS = ["审核", "栏目管理员", "站点管理员"]
THREE_REVIEWS = "三审"
STAGES = ["初审", "复审", "终审"]


def permission(apps, app_label, model, codename):
    content_type, _ = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label=app_label, model=model
    )
    found, _ = apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename}
    )
    return found


def site_admin_permissions(apps):
    for model in apps.get_models():
        opts = model._meta
        if opts.app_label not in SITE_ADMIN_APPS and (
            (opts.app_label, opts.model_name) not in SITE_ADMIN_MODELS
        ):
            continue
        if any(field.name == "page_ptr" for field in opts.fields):
            continue  # page types: Wagtail reads page permissions from the tree, not these
        codenames = [f"{action}_{opts.model_name}" for action in opts.default_permissions]
        codenames += [codename for codename, _ in opts.permissions]
        for codename in codenames:
            yield permission(apps, opts.app_label, opts.model_name, codename)


def make_groups(apps):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_page = Page.objects.filter(depth=1).order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    access_admin = permission(apps, "wagtailadmin", "admin", "access_admin")
    for name, actions in PAGE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        if root_page is not None:
            for action in actions:
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=root_page,
                    permission=permission(apps, "wagtailcore", "page", f"{action}_page"),
                )
        if root_collection is not None:
            for app_label, model in (("wagtailimages", "image"), ("wagtaildocs", "document")):
                for action in MEDIA_PERMISSIONS[name]:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group,
                        collection=root_collection,
                        permission=permission(apps, app_label, model, f"{action}_{model}"),
                    )
    Group.objects.get(name=SITE_ADMIN).permissions.add(*site_admin_permissions(apps))


def convert_tasks(apps, schema_editor, *, source, target):
    """Turn every task of type `source` into one of type `target` in place: the Task row, its
    runs and its workflows stay; the child row and its groups move to the other table."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Source = apps.get_model(*source)
    Target = apps.get_model(*target)
    target_type, _ = ContentType.objects.get_or_create(app_label=target[0], model=target[1].lower())
    reviewers = list(apps.get_model("auth", "Group").objects.filter(name__in=REVIEWERS))
    for task in Source.objects.all():
        groups = list(task.groups.all())
        if target[0] == "roles" and any(group.name == "审核" for group in groups):
            groups += [group for group in reviewers if group not in groups]
        converted = Target(
            task_ptr_id=task.pk, name=task.name, active=task.active, content_type=target_type
        )
        converted.save_base(raw=True)  # the child row only: the Task row exists
        converted.groups.set(groups)
        task_id = task.pk  # delete() forgets it
        task.groups.clear()
        task.delete(keep_parents=True)
        apps.get_model("wagtailcore", "Task").objects.filter(pk=task_id).update(
            content_type=target_type
        )


def make_workflow(apps):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    Task = apps.get_model("roles", "ColumnApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if Workflow.objects.filter(name=THREE_REVIEWS).exists():
        return
    task_type, _ = ContentType.objects.get_or_create(app_label="roles", model="columnapprovaltask")
    workflow = Workflow.objects.create(name=THREE_REVIEWS, active=True)
    reviewers = list(apps.get_model("auth", "Group").objects.filter(name__in=REVIEWERS))
    for order, name in enumerate(STAGES):
        task = Task.objects.create(name=name, active=True, content_type=task_type)
        task.groups.set(reviewers)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)


def forwards(apps, schema_editor):
    make_groups(apps)
    convert_tasks(
        apps,
        schema_editor,
        source=("wagtailcore", "GroupApprovalTask"),
        target=("roles", "ColumnApprovalTask"),
    )
    make_workflow(apps)


def backwards(apps, schema_editor):
    """The tasks go back to Wagtail's type (the groups and the workflow stay)."""
    convert_tasks(
        apps,
        schema_editor,
        source=("roles", "ColumnApprovalTask"),
        target=("wagtailcore", "GroupApprovalTask"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0001_initial"),
        ("kanwu_site", "0007_chinese_default_names"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("articles", "0008_verbose_names"),
        ("comments", "0001_initial"),
        ("casework", "0002_rename_tables"),
        ("submissions", "0004_move_to_casework"),
        ("takedowns", "0001_initial"),
        ("importer", "0002_import_progress"),
        ("publishing", "0002_baidu_push"),
        ("search", "0003_gram_sets"),
        ("wordfilter", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
