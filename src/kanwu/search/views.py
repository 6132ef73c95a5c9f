"""/search/?q=…: the reader's search page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Page

from kanwu.core.visibility import visible
from kanwu.search.forms import SearchForm
from kanwu.search.selectors import PER_PAGE, search_articles
from kanwu.textanalysis import MAX_QUERY_LENGTH, MAX_QUERY_TERMS, parse_query


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "raw_query": request.GET.get("q", "")[:200]}
    if not request.GET:
        return render(request, "search/results.html", context)
    if not form.is_valid():
        context["errors"] = [e for errors in form.errors.values() for e in errors]
        return render(request, "search/results.html", context, status=400)
    data = form.cleaned_data
    query = parse_query(data["q"] or "")
    notices = []
    if query.truncated:
        notices.append(f"搜索词过长，只按前 {MAX_QUERY_LENGTH} 个字搜索。")
    if query.dropped_terms:
        notices.append(f"关键词太多，只按前 {MAX_QUERY_TERMS} 个搜索。")
    context["notices"] = notices
    if query.is_empty:
        context["message"] = (
            "请输入要搜索的文字。"
            if not (data["q"] or "").strip()
            else "搜索词中没有可搜索的文字（只有标点或符号），请换个说法。"
        )
        return render(request, "search/results.html", context)
    column = visible(Page.objects.filter(pk=data["column"])).first() if data["column"] else None
    number = data["page"] or 1
    found = search_articles(
        query=query,
        column=column,
        date_from=data["date_from"],
        date_to=data["date_to"],
        sort=data["sort"] or "relevance",
        page=number,
    )
    context.update(query=query, found=found)
    if found.total and number > found.pages:
        context["errors"] = [f"没有第 {number} 页，结果只有 {found.pages} 页。"]
        return render(request, "search/results.html", context, status=404)
    if found.pages > 1:
        paginator = Paginator(range(found.total), PER_PAGE)
        context["page_range"] = paginator.get_elided_page_range(number, on_each_side=2)
        context["ellipsis"] = Paginator.ELLIPSIS
        params = request.GET.copy()
        params.pop("page", None)
        context["base_query"] = params.urlencode()
    return render(request, "search/results.html", context)
