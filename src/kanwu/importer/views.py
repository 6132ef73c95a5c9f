"""The 导入 admin views: thin forms over the import services, and the run pages of the
imports the worker does (their progress, refreshed by importer/progress.js)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from kanwu.core.errors import permission_denied
from kanwu.importer.forms import URLS_IN_REQUEST, ImportUrlsForm, WordPressUploadForm
from kanwu.importer.models import ImportRun, UrlImport, WordPressImport
from kanwu.importer.services import Status, UrlOutcome, article_import_from_url
from kanwu.importer.url_runs import url_import_queue
from kanwu.importer.wordpress.runs import wordpress_import_queue, wordpress_media_retry_queue
from kanwu.importer.wordpress.wxr import WxrError

RECENT_RUNS = 10


def may_import_urls(user: Any) -> bool:
    from wagtail.permission_policies.pages import PagePermissionPolicy

    return bool(PagePermissionPolicy().user_has_permission(user, "add"))


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
        user = self.request.user
        runs = UrlImport.objects.all()
        if not user.is_superuser:
            runs = runs.filter(created_by_id=user.pk)
        context.update(
            action_url=reverse("kanwu_importer:urls"),
            submit_button_label="导入",
            submit_button_active_label="正在导入…",
            runs=runs.select_related("column")[:RECENT_RUNS],
        )
        return context

    def form_invalid(self, form: ImportUrlsForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form: ImportUrlsForm) -> HttpResponse:
        options = {
            "column": form.cleaned_data["column"],
            "big5_to_simplified": form.cleaned_data["big5_to_simplified"],
            "remote_images": form.cleaned_data["remote_images"],
            "user": self.request.user,
        }
        urls: list[str] = form.cleaned_data["urls"]
        if len(urls) > URLS_IN_REQUEST:
            run = url_import_queue(urls=urls, **options)
            messages.success(self.request, f"{len(urls)} 个网址已交给后台导入，本页显示进度。")
            return redirect("kanwu_importer:url_run", pk=run.pk)
        outcomes: list[UrlOutcome] = [article_import_from_url(url=url, **options) for url in urls]
        counts = {status.value: sum(o.status is status for o in outcomes) for status in Status}
        # The form is shown again, empty, under the results, for the next batch.
        context = self.get_context_data(
            form=self.get_form_class()(user=self.request.user),
            lines=[outcome.as_line() for outcome in outcomes],
            counts=counts,
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
            runs=WordPressImport.objects.all()[:RECENT_RUNS],
        )
        return context

    def form_invalid(self, form: WordPressUploadForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form: WordPressUploadForm) -> HttpResponse:
        try:
            run = wordpress_import_queue(upload=form.cleaned_data["export"], user=self.request.user)
        except WxrError as exc:
            form.add_error("export", f"文件未导入，网站未作任何改动：{exc}")
            return self.form_invalid(form)
        messages.success(self.request, "文件已通过检查，正在后台导入；本页显示进度和导入报告。")
        return redirect("kanwu_importer:wordpress_run", pk=run.pk)


class RunAccess:
    """Who may see a run: refused with a 403 in Chinese (not Wagtail's redirect home, which
    a script polling the progress could not tell from an answer), unknown runs a 404."""

    model: type[ImportRun]
    run: Any

    def may_import(self, user: Any) -> bool:
        raise NotImplementedError

    def may_see(self, user: Any, run: Any) -> bool:
        return True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.may_import(request.user):
            return permission_denied(request)
        self.run = get_object_or_404(self.model, pk=kwargs["pk"])
        if not self.may_see(request.user, self.run):
            return permission_denied(request)
        response: HttpResponseBase = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        return response


class WordPressRunAccess(RunAccess):
    model = WordPressImport
    fragment = "importer/wordpress_progress.html"
    progress_url_name = "kanwu_importer:wordpress_progress"
    parent_url_name = "kanwu_importer:wordpress"
    parent_title = "导入 WordPress"

    def may_import(self, user: Any) -> bool:
        return bool(user.is_superuser)


class UrlRunAccess(RunAccess):
    model = UrlImport
    fragment = "importer/url_progress.html"
    progress_url_name = "kanwu_importer:url_progress"
    parent_url_name = "kanwu_importer:urls"
    parent_title = "从网址导入"

    def may_import(self, user: Any) -> bool:
        return may_import_urls(user)

    def may_see(self, user: Any, run: Any) -> bool:
        return bool(user.is_superuser or run.created_by_id == user.pk)


@method_decorator(never_cache, name="dispatch")
class RunView(WagtailAdminTemplateMixin, TemplateView):
    """A run's page: status, 已完成 N / 共 M, the errors so far, then the report."""

    template_name = "importer/run.html"
    header_icon = "download"
    run: Any
    fragment: str
    progress_url_name: str
    parent_url_name: str
    parent_title: str

    def get_page_title(self) -> str:
        return f"{self.parent_title}：{self.run.label}"

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse(self.parent_url_name), "label": self.parent_title},
            {"url": "", "label": f"第 {self.run.pk} 次导入"},
        ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context.update(
            run=self.run,
            fragment=self.fragment,
            progress_url=reverse(self.progress_url_name, args=[self.run.pk]),
        )
        return context


@method_decorator(never_cache, name="dispatch")
class RunProgressView(View):
    """The run's progress as JSON for progress.js: the numbers, and the fragment of the page
    they appear in, rendered by the same template as the page."""

    run: Any
    fragment: str

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        run = self.run
        return JsonResponse(
            {
                "status": run.status,
                "status_label": run.get_status_display(),
                "total": run.total,
                "done": run.done,
                "skipped": run.skipped,
                "failed": run.failed,
                "finished": not run.in_progress,
                "html": render_to_string(self.fragment, {"run": run}, request=request),
            }
        )


class WordPressRunView(WordPressRunAccess, RunView):
    header_icon = "upload"


class WordPressRunProgressView(WordPressRunAccess, RunProgressView):
    pass


class WordPressRetryMediaView(WordPressRunAccess, View):
    """重新获取图片 on a run's page (POST): a run of its own, queued for the worker."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        run = self.run
        if not run.pending_media_count:
            messages.info(request, "没有待重新获取的图片。")
            return redirect("kanwu_importer:wordpress_run", pk=run.pk)
        retry = wordpress_media_retry_queue(run=run, user=request.user)
        messages.success(request, "已交给后台重新获取图片，本页显示进度和结果。")
        return redirect("kanwu_importer:wordpress_run", pk=retry.pk)


class UrlRunView(UrlRunAccess, RunView):
    pass


class UrlRunProgressView(UrlRunAccess, RunProgressView):
    pass
