"""What the public forms of both workflows share: spam defence, sensitive words, rendering."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET
from wagtail.models import Site

from kanwu import antispam
from kanwu.casework.clock import promise_text, workflow_settings
from kanwu.casework.models import TrackedRequest, normalise_code
from kanwu.core.proxies import client_ip

DEFAULT_MIN_SECONDS = 5


def spam_policy(scope: str, *, text_field: str) -> antispam.SpamPolicy:
    """The policy of one public form. KANWU_WORKFLOW_MIN_SECONDS (default 5) is how long a
    person needs at least to fill it in; tests set it to 0."""
    return antispam.SpamPolicy(
        scope=scope,
        min_seconds=float(getattr(settings, "KANWU_WORKFLOW_MIN_SECONDS", DEFAULT_MIN_SECONDS)),
        rate_limit=5,
        rate_window=3600,
        max_links=None,
        text_field=text_field,
        email_field="email",
    )


def spam_fields(policy: antispam.SpamPolicy, request: HttpRequest) -> dict[str, str]:
    """Hidden fields for the form; a re-shown form keeps its first token, so the time a
    reader spent on the first try counts."""
    fields = antispam.form_fields(policy)
    posted = request.POST.get(antispam.TOKEN_FIELD, "") if request.method == "POST" else ""
    if posted:
        try:
            antispam.check_token(policy, posted)
            fields[antispam.TOKEN_FIELD] = posted
        except antispam.SpamRefused as refusal:
            if refusal.code == "too_fast":
                fields[antispam.TOKEN_FIELD] = posted
    return fields


def spam_check(
    policy: antispam.SpamPolicy, request: HttpRequest, form: forms.Form, *, email: str, text: str
) -> bool:
    """Run the spam rules on a valid form; on refusal put the message on the form."""
    try:
        antispam.check(policy, data=request.POST, ip=client_ip(request), email=email, text=text)
    except antispam.SpamRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return False
    return True


def sensitive_words(text: str) -> tuple[str, tuple[str, ...]]:
    """The sensitive-word service's verdict on `text`: (action, matched words)."""
    from kanwu.wordfilter.services import check_text

    result = check_text(text)
    return str(result.action), tuple(result.matched)


def render_form_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """A workflow page: never cached (it holds a CSRF token and a timing token)."""
    site = Site.find_for_request(request)
    context = {
        "promise": promise_text(site),
        "reply_hours": workflow_settings(site).reply_hours,
        **context,
    }
    response = render(request, template, context, status=status)
    add_never_cache_headers(response)
    return response


LOOKUP_LIMIT = 30  # lookups of tracking codes per client address …
LOOKUP_WINDOW = 600  # … within ten minutes: 50-bit codes cannot be guessed at that rate


def tracking_page(
    request: HttpRequest, template: str, find: Callable[[str], Any], not_found: str, kind: str
) -> HttpResponse:
    """A receipt or status page looked up by ?code=: 400 for a malformed code, 404 with
    `not_found` for an unknown one, 429 for a client looking up too many."""
    code = request.GET.get("code", "").strip()
    item: Any = None
    error, status = "", 200
    if "code" in request.GET:
        if not code:
            error, status = "请输入查询码。", 400
        elif len(code) > 64:
            error, status = "查询码格式不对，请检查后重新输入。", 400
        elif antispam.rate_limited(
            scope="tracking", key=client_ip(request) or "", limit=LOOKUP_LIMIT,
            window=LOOKUP_WINDOW,
        ):  # fmt: skip
            error, status = "查询过于频繁，请十分钟后再试。", 429
        elif (item := find(normalise_code(code))) is None:
            error, status = not_found, 404
        else:
            code = item.display_code  # the form shows the code as the receipt printed it
    return render_form_page(
        request,
        template,
        {"item": item, "code": code, "error": error, "kind": kind},
        status=status,
    )


def intake_page(
    request: HttpRequest,
    *,
    policy: antispam.SpamPolicy,
    form: forms.Form,
    template: str,
    text: Callable[[dict[str, Any]], str],
    receive: Callable[[dict[str, Any]], TrackedRequest | None],
    received_url_name: str,
) -> HttpResponse:
    """A workflow's public form. A valid POST that passes the spam rules goes to
    `receive(cleaned data)`, which stores the item and returns it (or puts its refusal on the
    form and returns None); the reader then sees the receipt with the tracking code."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            email = data["email"]
            if spam_check(policy, request, form, email=email, text=text(data)):
                item = receive(data)
                if item is not None:
                    antispam.record(policy, ip=client_ip(request), email=email, text=text(data))
                    return redirect(reverse(received_url_name) + f"?code={item.code}")
    return render_form_page(
        request, template, {"form": form, "spam_fields": spam_fields(policy, request)},
        status=status,
    )  # fmt: skip


def tracking_views(
    find: Callable[[str], Any], *, kind: str, form_url_name: str, app: str
) -> tuple[Callable[[HttpRequest], HttpResponse], Callable[[HttpRequest], HttpResponse]]:
    """The receipt (shown right after sending) and status pages of a workflow, looked up by
    ?code= with `find`; templates `<app>/received.html` and `<app>/status.html`. `kind` names
    the item in the page (投稿, 投诉)."""
    not_found = f"没有找到这个查询码对应的{kind}，请检查后重新输入。"

    @require_GET
    def received(request: HttpRequest) -> HttpResponse:
        if not request.GET.get("code"):
            return redirect(form_url_name)
        return tracking_page(request, f"{app}/received.html", find, not_found, kind)

    @require_GET
    def status(request: HttpRequest) -> HttpResponse:
        return tracking_page(request, f"{app}/status.html", find, not_found, kind)

    return received, status
