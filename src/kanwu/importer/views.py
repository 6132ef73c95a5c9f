"""从网址导入 in the Wagtail admin: a thin form view over the import service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from kanwu.importer.forms import ImportUrlsForm, WordPressUploadForm
from kanwu.importer.models import WordPressImport
from kanwu.importer.services import Status, UrlOutcome, admin_edit_url, article_import_from_url
from kanwu.importer.wordpress.runs import wordpress_import_queue
from kanwu.importer.wordpress.wxr import WxrError


class ImportUrlsView(WagtailAdminTemplateMixin, FormView):  # type: ignore[type-arg]
    template_name = "importer/import_urls.html"
    form_class = ImportUrlsForm
    page_title = "从网址导入"
    header_icon = "download"

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context.update(
            action_url=reverse("kanwu_importer:urls"),
            submit_button_label="导入",
            submit_button_active_label="正在导入…",
        )
        return context

    def form_invalid(self, form: ImportUrlsForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form: ImportUrlsForm) -> HttpResponse:
        outcomes: list[UrlOutcome] = [
            article_import_from_url(
                url=url,
                column=form.cleaned_data["column"],
                big5_to_simplified=form.cleaned_data["big5_to_simplified"],
                remote_images=form.cleaned_data["remote_images"],
                user=self.request.user,
            )
            for url in form.cleaned_data["urls"]
        ]
        rows = [
            {
                "outcome": outcome,
                "edit_url": admin_edit_url(outcome.page or outcome.existing)
                if (outcome.page or outcome.existing)
                else "",
            }
            for outcome in outcomes
        ]
        counts = {status.value: sum(o.status is status for o in outcomes) for status in Status}
        # The form is shown again, empty, under the results, for the next batch.
        context = self.get_context_data(
            form=self.get_form_class()(user=self.request.user), rows=rows, counts=counts
        )
        return self.render_to_response(context)


class ImportWordPressView(WagtailAdminTemplateMixin, FormView):  # type: ignore[type-arg]
    template_name = "importer/import_wordpress.html"
    form_class = WordPressUploadForm
    page_title = "导入 WordPress"
    header_icon = "upload"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # A migration creates top-level columns and publishes pages: superusers only.
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context.update(
            action_url=reverse("kanwu_importer:wordpress"),
            submit_button_label="上传并导入",
            submit_button_active_label="正在检查文件…",
            form_is_multipart=True,
            runs=WordPressImport.objects.all()[:10],
        )
        return context

    def form_invalid(self, form: WordPressUploadForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form: WordPressUploadForm) -> HttpResponse:
        try:
            wordpress_import_queue(upload=form.cleaned_data["export"], user=self.request.user)
        except WxrError as exc:
            form.add_error("export", f"文件未导入，网站未作任何改动：{exc}")
            return self.form_invalid(form)
        messages.success(self.request, "文件已通过检查，正在后台导入；完成后在下方查看导入报告。")
        return redirect("kanwu_importer:wordpress")
