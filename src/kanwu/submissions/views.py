"""Public pages of the contribution workflow: the form, the receipt and the status page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from kanwu.casework.public import intake_page, sensitive_words, spam_policy, tracking_views
from kanwu.core.proxies import client_ip
from kanwu.submissions.forms import SubmissionForm
from kanwu.submissions.models import Submission
from kanwu.submissions.selectors import submission_by_code
from kanwu.submissions.services import submission_create


@require_http_methods(["GET", "HEAD", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    form = (
        SubmissionForm(request.POST, request.FILES)
        if request.method == "POST"
        else SubmissionForm()
    )

    def text(data: dict[str, Any]) -> str:
        return f"{data['title']}\n{data['body']}"

    def receive(data: dict[str, Any]) -> Submission | None:
        action, words = sensitive_words(text(data))
        if action == "reject":
            form.add_error("body", "标题或正文含有不能接受的词语，请修改后再提交。")
            return None
        return submission_create(
            site=Site.find_for_request(request), name=data["name"], email=data["email"],
            phone=data["phone"], title=data["title"], body=data["body"],
            files=data["attachments"], ip_address=client_ip(request),
            flagged_words="、".join(words),
        )  # fmt: skip

    return intake_page(
        request,
        policy=spam_policy("submission", text_field="body"),
        form=form,
        template="submissions/submit.html",
        text=text,
        receive=receive,
        received_url_name="submissions:received",
    )


received, status = tracking_views(
    submission_by_code,
    kind="投稿",
    form_url_name="submissions:submit",
    app="submissions",
)
