"""Public pages of the contribution workflow: the form, the receipt and the status page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.models import Site

from kanwu.core import antispam
from kanwu.core.proxies import client_ip
from kanwu.submissions.forms import SubmissionForm
from kanwu.submissions.public import (
    render_form_page,
    sensitive_words,
    spam_check,
    spam_fields,
    spam_policy,
    tracking_page,
)
from kanwu.submissions.selectors import submission_by_code
from kanwu.submissions.services import submission_create

POLICY_SCOPE = "submission"


@require_http_methods(["GET", "HEAD", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    policy = spam_policy(POLICY_SCOPE, text_field="body")
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            text = f"{data['title']}\n{data['body']}"
            action, words = sensitive_words(text)
            if action == "reject":
                form.add_error("body", "标题或正文含有不能接受的词语，请修改后再提交。")
            elif spam_check(policy, request, form, email=data["email"], text=text):
                submission = submission_create(
                    site=Site.find_for_request(request),
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    title=data["title"],
                    body=data["body"],
                    files=data["attachments"],
                    ip_address=client_ip(request),
                    flagged_words="、".join(words),
                )
                antispam.record(policy, ip=client_ip(request), email=data["email"], text=text)
                return redirect(reverse("submissions:received") + f"?code={submission.code}")
        status = 400
    else:
        form = SubmissionForm()
        status = 200
    return render_form_page(
        request,
        "submissions/submit.html",
        {"form": form, "spam_fields": spam_fields(policy, request)},
        status=status,
    )


def _lookup(request: HttpRequest, template: str) -> HttpResponse:
    return tracking_page(
        request, template, submission_by_code, "没有找到这个查询码对应的投稿，请检查后重新输入。"
    )


@require_GET
def received(request: HttpRequest) -> HttpResponse:
    """The receipt shown right after sending: the tracking code and the promise."""
    if not request.GET.get("code"):
        return redirect("submissions:submit")
    return _lookup(request, "submissions/received.html")


@require_GET
def status(request: HttpRequest) -> HttpResponse:
    return _lookup(request, "submissions/status.html")
