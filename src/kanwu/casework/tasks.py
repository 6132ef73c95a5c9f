"""Mail the workflows send: stored as `OutgoingMail`, sent from the task queue only after the
data is committed, retried with a growing delay when sending fails.

Header values (subject, addresses) are cleaned before anything is built (core.mail), so a
reader's title with a line break still gets its receipt. A failed try is re-enqueued after
RETRY_DELAYS[n] seconds (the database and RQ backends run it then), at most MAX_ATTEMPTS tries
in all; the state (已发送, 发送失败：<reason>) is shown on the item in the admin.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from kanwu.casework.models import OutgoingMail
from kanwu.core.mail import addresses_clean, body_clean, header_clean

logger = logging.getLogger(__name__)

# Seconds to wait before the 2nd, 3rd, … try: 1 minute, 5 minutes, 30 minutes, 2 hours.
RETRY_DELAYS = (60, 300, 1800, 7200)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
ERROR_LIMIT = 500


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed try."""
    return dt.timedelta(seconds=RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1])


def _enqueue(mail: OutgoingMail, run_after: dt.datetime | None = None) -> None:
    runner = send_outgoing_mail
    if run_after is not None and runner.get_backend().supports_defer:
        runner = runner.using(run_after=run_after)
    runner.enqueue(mail_id=mail.pk)


def outgoing_mail_send(*, mail_id: int) -> str:
    """Send one stored mail (claimed first, so two workers never both send it); on failure
    schedule the next try or give up after MAX_ATTEMPTS. Returns the new state."""
    claimed = OutgoingMail.objects.filter(
        pk=mail_id, state__in=[OutgoingMail.State.QUEUED, OutgoingMail.State.RETRYING]
    ).update(state=OutgoingMail.State.SENDING, attempts=F("attempts") + 1)
    mail = OutgoingMail.objects.filter(pk=mail_id).first()
    if mail is None or not claimed:
        return mail.state if mail else "missing"
    try:
        send_mail(mail.subject, mail.body, None, list(mail.recipients))
    except Exception as error:  # any backend failure: SMTP, network, bad address
        reason = header_clean(f"{type(error).__name__}: {error}", limit=ERROR_LIMIT)
        logger.warning("mail %s failed (try %s): %s", mail.pk, mail.attempts, reason)
        mail.last_error = reason
        if mail.attempts >= MAX_ATTEMPTS:
            mail.state = OutgoingMail.State.FAILED
            mail.next_attempt_at = None
            mail.save(update_fields=["state", "last_error", "next_attempt_at"])
            return mail.state
        mail.state = OutgoingMail.State.RETRYING
        mail.next_attempt_at = timezone.now() + retry_delay(mail.attempts)
        mail.save(update_fields=["state", "last_error", "next_attempt_at"])
        _enqueue(mail, run_after=mail.next_attempt_at)
        return OutgoingMail.State.RETRYING
    mail.state = OutgoingMail.State.SENT
    mail.sent_at = timezone.now()
    mail.next_attempt_at = None
    mail.save(update_fields=["state", "sent_at", "next_attempt_at"])
    return mail.state


@task()
def send_outgoing_mail(mail_id: int) -> str:
    return outgoing_mail_send(mail_id=mail_id)


def mail_after_commit(
    *, subject: str, body: str, recipients: list[str], about: models.Model | None = None
) -> OutgoingMail | None:
    """Store a plain-text mail about `about` (an item) and queue it once the current
    transaction commits (nothing is stored or sent for a rollback)."""
    addresses = addresses_clean([address for address in recipients if address])
    if not addresses:
        return None
    mail = OutgoingMail.objects.create(
        content_type=ContentType.objects.get_for_model(about) if about is not None else None,
        object_id=str(about.pk) if about is not None else "",
        subject=header_clean(subject) or "（无标题）",
        body=body_clean(body),
        recipients=addresses,
    )
    transaction.on_commit(lambda: _enqueue(mail))
    return mail
