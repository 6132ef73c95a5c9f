"""Mail the workflows send, always from the task queue and only after the data is committed."""

from __future__ import annotations

from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task


@task()
def send_workflow_mail(subject: str, body: str, recipients: list[str]) -> None:
    send_mail(subject, body, None, recipients)


def mail_after_commit(*, subject: str, body: str, recipients: list[str]) -> None:
    """Queue a plain-text mail once the current transaction commits (never for a rollback)."""
    recipients = [address for address in recipients if address]
    if not recipients:
        return
    transaction.on_commit(
        lambda: send_workflow_mail.enqueue(subject=subject, body=body, recipients=recipients)
    )
