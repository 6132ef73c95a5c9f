"""设置 › 栏目权限: give a user a role in some columns."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from kanwu.columns.models import ColumnPage
from kanwu.core.ids import parse_id
from kanwu.roles.models import ColumnRole


class UserField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def to_python(self, value: Any) -> Any:
        # "abc" or a number past the database's integers is no user (not a database error).
        if value not in self.empty_values and parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ColumnsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Columns in tree order, indented by depth."""

    def clean(self, value: Any) -> Any:
        for item in value or ():
            if parse_id(item) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value"
                )
        return super().clean(value)

    def label_from_instance(self, obj: Any) -> str:
        return "　" * max(obj.depth - 3, 0) + obj.title


class AssignForm(forms.Form):
    user = UserField(
        label="用户", queryset=get_user_model().objects.none(), empty_label="请选择用户",
        error_messages={"required": "请选择用户。", "invalid_choice": "没有这个用户。"},
    )  # fmt: skip
    role = forms.ChoiceField(
        label="角色", choices=ColumnRole.Role.choices,
        error_messages={"required": "请选择角色。", "invalid_choice": "没有这个角色。"},
    )  # fmt: skip
    columns = ColumnsField(
        label="栏目", queryset=ColumnPage.objects.none(),
        help_text="可按住 Ctrl 多选；权限包括所选栏目下的子栏目和全部文章。",
        widget=forms.SelectMultiple(attrs={"size": 10}),
        error_messages={
            "required": "请至少选择一个栏目。", "invalid_choice": "所选栏目不存在。",
            "invalid_pk_value": "所选栏目不存在。",
        },
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field: Any = self.fields["user"]
        user_field.queryset = (
            get_user_model().objects.filter(is_active=True, is_superuser=False).order_by("username")
        )
        columns_field: Any = self.fields["columns"]
        columns_field.queryset = ColumnPage.objects.order_by("path")
