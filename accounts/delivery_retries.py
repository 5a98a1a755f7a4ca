"""When a notification email that failed is tried again, and when it is given up.

Retries go by age, not by a count of quick tries: a temporary failure (an SMTP
4xx reply, a refused connection, a timeout) is tried again after a pause that
doubles from ``NOTIFICATION_RETRY_FIRST_PAUSE`` up to ``NOTIFICATION_RETRY_MAX_PAUSE``,
for as long as the notification is younger than ``NOTIFICATION_RETRY_MAX_AGE``
(three days by default). A permanent refusal (a 5xx reply for the recipient)
fails at once: asking again would get the same answer.

The sweep (``accounts.tasks``) does the retrying; administrators see what failed
or is overdue (``backlog``, the admin list) and can send it off again (``retry``).
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts.models import EmailState, Notification

logger = logging.getLogger(__name__)

# A row still unsent this long after it was written has missed its first try and
# at least one retry: the admin list and /healthz call it overdue.
OVERDUE_AFTER = timedelta(minutes=10)


def is_permanent(error: Exception) -> bool:
    """True for an answer that will not change: the server refused the recipient or message."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPDataError):
        return 500 <= error.smtp_code < 600
    return False


def is_connection_failure(error: Exception) -> bool:
    """True when the SMTP server could not be reached at all: the rest of a batch waits too."""
    if isinstance(error, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)):
        return True
    # smtplib's errors are OSErrors too; the others (refused, reset, timeout) are the network's.
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def pause_after(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt: doubling, capped."""
    first = settings.NOTIFICATION_RETRY_FIRST_PAUSE
    longest = settings.NOTIFICATION_RETRY_MAX_PAUSE
    exponent = min(max(attempts - 1, 0), 30)  # 2**30 seconds is decades: cap before overflow
    return timedelta(seconds=min(longest, first * 2**exponent))


def max_age() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATION_RETRY_MAX_AGE)


def record_failure(ids: list[int], error: Exception) -> None:
    """Count a failed attempt on each row; schedule the next one or give the row up."""
    now = timezone.now()
    permanent = is_permanent(error)
    message = repr(error)[:500]
    rows = Notification.objects.filter(pk__in=ids).values_list(
        "pk", "email_attempts", "created_at", "email_retry_since"
    )
    for pk, attempts, created_at, retry_since in rows:
        too_old = now - (retry_since or created_at) >= max_age()
        update = {"email_attempts": attempts + 1, "email_error": message}
        if permanent or too_old:
            update |= {"email_state": EmailState.FAILED, "email_next_attempt_at": None}
        else:
            update["email_next_attempt_at"] = now + pause_after(attempts + 1)
        # Only a row still open: a parallel sender may have finished it meanwhile.
        Notification.objects.filter(
            pk=pk, email_state__in=[EmailState.PENDING, EmailState.DIGEST]
        ).update(**update)
    if permanent:
        logger.error("Notification email(s) %s refused for good: %r", ids, error)
    else:
        logger.warning("Sending notification email(s) %s failed, will retry: %r", ids, error)


def due_for_retry(now=None) -> Q:
    """Rows whose pause after a failure is over (or that never failed)."""
    now = now or timezone.now()
    return Q(email_next_attempt_at__isnull=True) | Q(email_next_attempt_at__lte=now)


def overdue():
    """Rows still to be sent immediately, written more than ``OVERDUE_AFTER`` ago."""
    return Notification.objects.filter(
        email_state=EmailState.PENDING, created_at__lte=timezone.now() - OVERDUE_AFTER
    )


def failed():
    return Notification.objects.filter(email_state=EmailState.FAILED)


def backlog() -> dict[str, int]:
    """What operators watch: emails given up, and emails late (still being retried)."""
    return {"failed": failed().count(), "overdue": overdue().count()}


def retry(rows) -> int:
    """Send failed or waiting rows off again, with a fresh age: the next sweep takes them.

    The person's inbox is untouched: only the email's state changes. Rows already
    sent, switched off or collected for the digest are left alone.
    """
    return rows.filter(email_state__in=[EmailState.FAILED, EmailState.PENDING]).update(
        email_state=EmailState.PENDING,
        email_next_attempt_at=None,
        email_retry_since=timezone.now(),
    )
