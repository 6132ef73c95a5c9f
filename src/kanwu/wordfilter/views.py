"""Admin view: import a word list from a text file."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from kanwu.wordfilter.forms import ImportWordsForm
from kanwu.wordfilter.services import words_import


class ImportWordsView(WagtailAdminTemplateMixin, FormView[ImportWordsForm]):
    form_class = ImportWordsForm
    template_name = "wordfilter/import.html"
    page_title = "导入敏感词"
    header_icon = "upload"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm("wordfilter.add_sensitiveword"):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["action_url"] = reverse("wordfilter_import")
        context["submit_button_label"] = "导入"
        context["form_is_multipart"] = True
        return context

    def form_valid(self, form: ImportWordsForm) -> HttpResponse:
        try:
            created, updated = words_import(
                lines=form.cleaned_data["file"],
                action=form.cleaned_data["action"],
                replace=form.cleaned_data["replace"],
            )
        except ValueError as error:
            form.add_error("file", str(error))
            return self.form_invalid(form)
        messages.success(self.request, f"已导入：新增 {created} 个，更新 {updated} 个。")
        return redirect(reverse("wagtailsnippets_wordfilter_sensitiveword:list"))
