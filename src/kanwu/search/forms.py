"""Parses the search page's query string."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from wagtail.models import Page

from kanwu.core.visibility import visible

SORTS = [("relevance", "按相关度"), ("newest", "按时间")]
# Dates a portal's archive can hold; beyond them, date arithmetic and time zones overflow.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
MAX_PAGE = 1000


def column_choices() -> list[tuple[str, str]]:
    columns = visible(
        Page.objects.filter(content_type__app_label="columns", content_type__model="columnpage")
    ).order_by("path")
    return [("", "全部栏目")] + [(str(c.pk), "　" * max(0, c.depth - 3) + c.title) for c in columns]


class SearchForm(forms.Form):
    # The query is cut and cleaned by analysis.parse_query, never rejected here.
    q = forms.CharField(required=False, strip=True)
    column = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="栏目")
    date_from = forms.DateField(required=False, label="起始日期")
    date_to = forms.DateField(required=False, label="截止日期")
    sort = forms.ChoiceField(required=False, choices=SORTS, label="排序")
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)

    error_messages = {"dates": "截止日期不能早于起始日期。"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        column = cast(forms.TypedChoiceField, self.fields["column"])
        column.choices = column_choices()
        column.error_messages["invalid_choice"] = "没有这个栏目。"
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = "日期格式应为 2026-01-31。"
        sort = self.fields["sort"]
        sort.error_messages["invalid_choice"] = "排序方式只能是相关度或时间。"
        page = self.fields["page"]
        page.error_messages.update(
            invalid="页码必须是数字。",
            min_value="页码必须是正整数。",
            max_value=f"页码不能超过 {MAX_PAGE}。",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        for name, day in (("date_from", start), ("date_to", end)):
            if day is not None and not EARLIEST <= day <= LATEST:
                self.add_error(name, "日期应在 1900 年至 2100 年之间。")
                data.pop(name, None)
        if start and end and end < start:
            raise forms.ValidationError(self.error_messages["dates"])
        return data
