"""Chinese labels for the few Wagtail form fields and listing columns that Wagtail leaves
without a translatable label (its link choosers' fields, the columns of 站点, the login form's
password, the page fields of a group's page permissions and of a workflow's pages, the task
chooser's type filter): set once when the app loads."""

from __future__ import annotations

from typing import Any

from django.utils.text import capfirst

LINK_CHOOSER_LABELS = {
    "ExternalLinkChooserForm": {"link_text": "链接文字"},
    "AnchorLinkChooserForm": {"link_text": "链接文字"},
    "EmailLinkChooserForm": {
        "email_address": "电子邮件地址", "link_text": "链接文字", "subject": "邮件主题",
        "body": "邮件正文",
    },
    "PhoneLinkChooserForm": {"phone_number": "电话号码", "link_text": "链接文字"},
}  # fmt: skip


def label_wagtail_fields() -> None:
    from wagtail.admin.forms import choosers
    from wagtail.admin.forms.auth import LoginForm
    from wagtail.admin.forms.workflows import WorkflowPageForm
    from wagtail.models import Site
    from wagtail.sites.views import IndexView as SiteIndexView
    from wagtail.users.forms import PagePermissionsForm

    for form_name, labels in LINK_CHOOSER_LABELS.items():
        fields = getattr(choosers, form_name).base_fields
        for name, label in labels.items():
            fields[name].label = label
    for column in SiteIndexView.columns:
        if column.name in ("port", "site_name", "root_page"):
            # The model's verbose names are translated; the columns don't use them.
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)
    PagePermissionsForm.base_fields["page"].label = "页面"
    WorkflowPageForm.base_fields["page"].label = "页面"
    LoginForm.base_fields["password"].label = "密码"
    label_task_type_filter()


def label_task_type_filter() -> None:
    """The task chooser's 任务类型 filter, a field Wagtail adds in __init__ (once there are two
    task types: Wagtail's group approval and kanwu.roles' column-aware one)."""
    from wagtail.admin.forms.workflows import TaskChooserSearchForm

    original = TaskChooserSearchForm.__init__
    if getattr(original, "kanwu_labelled", False):
        return

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        if "task_type" in self.fields:
            self.fields["task_type"].label = "任务类型"

    __init__.kanwu_labelled = True  # type: ignore[attr-defined]
    TaskChooserSearchForm.__init__ = __init__
