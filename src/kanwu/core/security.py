"""Content-Security-Policy by area: the strict reader policy everywhere, the admin's under /admin/.

django-csp writes the header from settings.CONTENT_SECURITY_POLICY (the reader policy: no
inline script or style, so one cached page serves every reader without a nonce). Wagtail's
admin needs inline scripts and styles; its pages get settings.KANWU_ADMIN_CONTENT_SECURITY_POLICY
through django-csp's documented extension point, `get_policy_parts`.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

ADMIN_PREFIX = "/admin/"


def uses_admin_policy(request: HttpRequest) -> bool:
    return request.path_info.startswith(ADMIN_PREFIX)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and uses_admin_policy(request):
            parts.config = settings.KANWU_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts
