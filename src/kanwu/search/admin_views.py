"""Admin view: re-index everything after the site dictionary changed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from kanwu.search.models import SearchDocument, SiteWord

PERMISSION = "search.change_siteword"


class ReindexForm(forms.Form):
    pass


def _enqueue_reindex() -> None:
    from kanwu.search.tasks import reindex_all

    reindex_all.enqueue()


class ReindexView(WagtailAdminTemplateMixin, FormView[ReindexForm]):
    form_class = ReindexForm
    template_name = "search/admin/reindex.html"
    page_title = "重建搜索索引"
    header_icon = "resubmit"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["action_url"] = reverse("search_reindex")
        context["submit_button_label"] = "开始重建"
        context["words"] = SiteWord.objects.count()
        context["documents"] = SearchDocument.objects.count()
        return context

    def form_valid(self, form: ReindexForm) -> HttpResponse:
        transaction.on_commit(_enqueue_reindex)
        messages.success(self.request, "已安排重建搜索索引和推荐，后台任务完成后新的分词即生效。")
        return redirect(reverse("wagtailsnippets_search_siteword:list"))
