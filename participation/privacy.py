"""The participation part of the personal-data export (see accounts.privacy)."""

from django.db.models import Q

from accounts.privacy import register_exporter
from participation.models import (
    Application,
    Membership,
)


@register_exporter("participation.application")
def export_applications(user) -> list[dict]:
    """Applications the person made or decided on."""
    rows = Application.objects.filter(Q(applicant=user) | Q(decided_by=user)).order_by("id")
    return list(
        rows.values(
            "role__project__title",
            "role__title",
            "message",
            "conflict_of_interest",
            "status",
            "decision_reason",
            "decision_note",
            "created_at",
            "decided_at",
            "withdrawn_at",
        )
    )


@register_exporter("participation.membership")
def export_memberships(user) -> list[dict]:
    rows = Membership.objects.filter(Q(person=user) | Q(ended_by=user)).order_by("id")
    return list(
        rows.values("project__title", "role__title", "hours_per_week", "started_on", "ended_on")
    )
