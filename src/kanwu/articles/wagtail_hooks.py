"""The article form's actions (发布 first) and the page listing's 设置推荐位 bulk action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.views.pages.bulk_actions.page_bulk_action import PageBulkAction
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.models import Page

from kanwu.articles.models import ArticlePage, Flag
from kanwu.articles.services import article_slots_change

HOLD, DROP = "set", "remove"


class SlotForm(forms.Form):
    flag = forms.ChoiceField(
        label="推荐位",
        choices=Flag.choices,
        error_messages={"required": "请选择推荐位。", "invalid_choice": "没有这个推荐位。"},
    )
    operation = forms.ChoiceField(
        label="操作",
        choices=[(HOLD, "设置"), (DROP, "取消")],
        initial=HOLD,
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择设置还是取消。",
            "invalid_choice": "请选择设置还是取消。",
        },
    )
    expires_at = forms.DateTimeField(
        label="到期时间",
        required=False,
        widget=AdminDateTimeInput,
        help_text="留空则一直有效；取消推荐位时不用填写。",
        error_messages={"invalid": "到期时间的格式不对，请按“2026-01-31 18:00”填写。"},
    )


class SetSlotBulkAction(PageBulkAction):
    display_name = "设置推荐位"
    action_type = "set_slot"
    aria_label = "为选中的文章设置或取消推荐位"
    template_name = "articles/admin/confirm_bulk_slot.html"
    action_priority = 50
    form_class = SlotForm

    def check_perm(self, page: Page) -> bool:
        """Articles only, and only for editors who may publish them (readers see it at once)."""
        return page.specific_class is ArticlePage and bool(
            page.permissions_for_user(self.request.user).can_publish()
        )

    def form_invalid(self, form: forms.Form) -> HttpResponse:
        response: HttpResponse = super().form_invalid(form)
        response.status_code = 400
        return response

    def get_execution_context(self) -> dict[str, Any]:
        data = self.cleaned_form.cleaned_data
        hold = data["operation"] == HOLD
        return {
            **super().get_execution_context(),
            "flag": data["flag"],
            "hold": hold,
            "expires_at": data["expires_at"] if hold else None,
        }

    @classmethod
    def execute_action(
        cls, objects: list[Page], flag: str = "", hold: bool = True, **kwargs: Any
    ) -> tuple[int, int]:
        articles = [page.specific for page in objects]
        changed = article_slots_change(
            articles=articles,
            flag=flag,
            hold=hold,
            expires_at=kwargs.get("expires_at"),
            user=kwargs.get("user"),
        )
        return changed, 0

    def get_success_message(self, num_parent_objects: int, num_child_objects: int) -> str:
        data = self.cleaned_form.cleaned_data
        label = Flag(data["flag"]).label
        verb = "设置" if data["operation"] == HOLD else "取消"
        return f"已为 {num_parent_objects} 篇文章{verb}推荐位“{label}”。"


hooks.register("register_bulk_action", SetSlotBulkAction)


@hooks.register("construct_page_action_menu")
def publish_first(menu_items: list[Any], request: Any, context: dict[str, Any]) -> None:
    """发布 is the button editors who may publish see, 保存草稿 one click away (Wagtail's docs
    show this hook for it); others keep 保存草稿 / 提交审核."""
    for index, item in enumerate(menu_items):
        if item.name == "action-publish":
            menu_items.insert(0, menu_items.pop(index))
            break


@hooks.register("insert_editor_js")
def editor_js() -> str:
    """Holds a submit made while a new page's first autosave is on its way (`editor.js`), so a
    quick 发布 never creates the page twice."""
    return format_html('<script src="{}" defer></script>', static("articles/editor.js"))
