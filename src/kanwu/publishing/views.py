"""Small JSON endpoints for what cached pages cannot carry: view counts."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kanwu.articles.selectors import public_articles
from kanwu.core.ids import parse_id
from kanwu.publishing.views_counter import counter


@csrf_exempt  # a counter beacon from cached pages: no form, nothing but a number changes
@require_POST
@never_cache
def view_beacon(request: HttpRequest, page_id: int) -> JsonResponse:
    if parse_id(page_id) is None or not public_articles().filter(pk=page_id).exists():
        return JsonResponse({"error": "文章不存在。"}, status=404)
    return JsonResponse({"views": counter.add(page_id)})
