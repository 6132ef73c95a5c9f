"""Public pages of the takedown workflow: the form, the receipt and the status page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from kanwu.casework.public import intake_page, sensitive_words, spam_policy, tracking_views
from kanwu.core.proxies import client_ip
from kanwu.takedowns.forms import TakedownForm
from kanwu.takedowns.models import Takedown
from kanwu.takedowns.selectors import takedown_by_code
from kanwu.takedowns.services import takedown_create


@require_http_methods(["GET", "HEAD", "POST"])
def takedown(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = TakedownForm(request.POST, request.FILES, request=request)
    else:
        form = TakedownForm(initial={"urls": request.GET.get("url", "")[:500]}, request=request)

    def receive(data: dict[str, Any]) -> Takedown:
        # Complaints are never refused for their words (they may quote the article); editors
        # see what matched.
        _, words = sensitive_words(data["reason"])
        return takedown_create(
            site=Site.find_for_request(request), name=data["name"],
            organisation=data["organisation"], email=data["email"], phone=data["phone"],
            right=data["right"], reason=data["reason"], articles=data["urls"],
            files=data["attachments"], ip_address=client_ip(request),
            flagged_words="、".join(words),
        )  # fmt: skip

    return intake_page(
        request,
        policy=spam_policy("takedown", text_field="reason"),
        form=form,
        template="takedowns/takedown.html",
        text=lambda data: str(data["reason"]),
        receive=receive,
        received_url_name="takedowns:received",
    )


received, status = tracking_views(
    takedown_by_code,
    kind="投诉",
    form_url_name="takedowns:takedown",
    app="takedowns",
)
