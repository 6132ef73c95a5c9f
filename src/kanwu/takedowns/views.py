"""Public pages of the takedown workflow: the form, the receipt and the status page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Site

from kanwu.core import antispam
from kanwu.core.proxies import client_ip
from kanwu.submissions.public import (
    render_form_page,
    sensitive_words,
    spam_check,
    spam_fields,
    spam_policy,
    tracking_page,
)
from kanwu.takedowns.forms import TakedownForm
from kanwu.takedowns.selectors import takedown_by_code
from kanwu.takedowns.services import takedown_create

POLICY_SCOPE = "takedown"


@require_http_methods(["GET", "HEAD", "POST"])
def takedown(request: HttpRequest) -> HttpResponse:
    policy = spam_policy(POLICY_SCOPE, text_field="reason")
    if request.method == "POST":
        form = TakedownForm(request.POST, request.FILES, request=request)
        if form.is_valid():
            data = form.cleaned_data
            if spam_check(policy, request, form, email=data["email"], text=data["reason"]):
                # Complaints are never refused for their words (they may quote the article);
                # editors see what matched.
                _, words = sensitive_words(data["reason"])
                item = takedown_create(
                    site=Site.find_for_request(request),
                    name=data["name"],
                    organisation=data["organisation"],
                    email=data["email"],
                    phone=data["phone"],
                    right=data["right"],
                    reason=data["reason"],
                    articles=data["urls"],
                    files=data["attachments"],
                    ip_address=client_ip(request),
                    flagged_words="、".join(words),
                )
                antispam.record(
                    policy, ip=client_ip(request), email=data["email"],
                    text=data["reason"],
                )  # fmt: skip
                return redirect(reverse("takedowns:received") + f"?code={item.code}")
        status = 400
    else:
        initial = {"urls": request.GET.get("url", "")[:500]}
        form = TakedownForm(initial=initial, request=request)
        status = 200
    return render_form_page(
        request,
        "takedowns/takedown.html",
        {"form": form, "spam_fields": spam_fields(policy, request)},
        status=status,
    )


def _lookup(request: HttpRequest, template: str) -> HttpResponse:
    return tracking_page(
        request, template, takedown_by_code, "没有找到这个查询码对应的投诉，请检查后重新输入。"
    )


@require_GET
def received(request: HttpRequest) -> HttpResponse:
    if not request.GET.get("code"):
        return redirect("takedowns:takedown")
    return _lookup(request, "takedowns/received.html")


@require_GET
def status(request: HttpRequest) -> HttpResponse:
    return _lookup(request, "takedowns/status.html")
