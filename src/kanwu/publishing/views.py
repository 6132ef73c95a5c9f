"""Small JSON endpoints for what cached pages cannot carry: view counts."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from kanwu.antispam import rate_limited
from kanwu.articles.selectors import public_articles
from kanwu.core.ids import parse_id
from kanwu.core.proxies import client_ip
from kanwu.publishing.views_counter import view_record, visitor_key

# Beacons one address may send per BEACON_WINDOW seconds (KANWU_VIEW_BEACON_RATE overrides).
BEACON_RATE = 60
BEACON_WINDOW = 60


@csrf_exempt  # a counter beacon from cached pages: no form, nothing but a number changes
@require_POST
@never_cache
def view_beacon(request: HttpRequest, page_id: int) -> JsonResponse:
    ip = client_ip(request)
    limit = int(getattr(settings, "KANWU_VIEW_BEACON_RATE", BEACON_RATE))
    if rate_limited(scope="views", key=ip or "-", limit=limit, window=BEACON_WINDOW):
        return JsonResponse({"error": "请求过于频繁，请稍后再试。"}, status=429)
    if parse_id(page_id) is None or not public_articles().filter(pk=page_id).exists():
        return JsonResponse({"error": "文章不存在。"}, status=404)
    visitor = visitor_key(ip=ip, user_agent=request.META.get("HTTP_USER_AGENT", ""))
    return JsonResponse({"views": view_record(page_id=page_id, visitor=visitor)})
