"""Participation's services, one module per topic.

``applications`` (claims, applications, decisions, memberships and the
allocation formula), ``proposals``, ``comments``, ``retrospectives`` and
``reminders``. The names of ``applications`` are re-exported here, so
``from participation.services import claim_role`` reads as before.
"""

from participation.services.applications import (
    JOINABLE_STATUSES,
    NeedsConfirmation,
    ParticipationError,
    accept_application,
    allocation,
    allocation_for_hours,
    apply_for_public_role,
    claim_role,
    decline_application,
    end_membership,
    withdraw_application,
)

__all__ = [
    "JOINABLE_STATUSES",
    "NeedsConfirmation",
    "ParticipationError",
    "accept_application",
    "allocation",
    "allocation_for_hours",
    "apply_for_public_role",
    "claim_role",
    "decline_application",
    "end_membership",
    "withdraw_application",
]
