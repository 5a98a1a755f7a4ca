"""The daily reminder to leads about applications nobody has decided on."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

import accounts
from accounts.models import Notification
from participation.models import Application

# An application waiting longer than this is worth a reminder, then once a week.
PENDING_TOO_LONG = timedelta(days=7)


def remind_pending_applications(now=None) -> int:
    """Tell the leads about every application pending for more than seven days.

    Once per week of waiting: the week is part of the event key, so a second
    run on the same day, or a redelivered task, repeats nothing.
    """
    now = now or timezone.now()
    waiting = (
        Application.objects.pending()
        .filter(created_at__lt=now - PENDING_TOO_LONG)
        .select_related("role__project")
        .prefetch_related("role__project__leads")
        .order_by("pk")
    )
    reminded = 0
    for application in waiting.iterator(chunk_size=500):
        project = application.role.project
        week = (now - application.created_at) // PENDING_TOO_LONG
        reminded += accounts.notify(
            project.leads.all(),
            Notification.Kind.APPLICATION_REMINDER,
            f"application:{application.pk}:reminder:{week}",
            url=reverse("review-queue", kwargs={"slug": project.slug}),
            role=application.role.title,
            project=project.title,
            applicant_id=application.applicant_id,
        )
    return reminded
