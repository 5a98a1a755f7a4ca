"""How people get into projects: claims, applications, decisions, memberships.

Seats and capacity are guarded twice: a row lock serialises competing claims,
and database constraints (``role_seats_not_exceeded``,
``one_open_application_per_role``) catch anything that slips past.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import accounts
from accounts import audit
from accounts.models import User
from marketplace import counts_cache
from marketplace.models import ProjectStatus, Role
from participation.allocation import allocation_for_hours
from participation.models import Application, ApplicationStatus, DeclineReason, Membership
from participation.permissions import can_decide, can_end_membership

JOINABLE_STATUSES = {ProjectStatus.OPEN, ProjectStatus.IN_PROGRESS}


class ParticipationError(ValidationError):
    """A request that the rules refuse; its message is shown to the person."""


class NeedsConfirmation(ParticipationError):
    """The claim would take the employee above the project target: they confirm first."""


def allocation(person: User, extra_hours: int = 0) -> dict:
    """Project hours against weekly hours, and where that stands against the target."""
    return allocation_for_hours(person, Membership.objects.committed_hours(person) + extra_hours)


def _check_joinable(role: Role) -> None:
    if not role.is_open or role.project.status not in JOINABLE_STATUSES:
        raise ParticipationError(_("This role is not open for applications."))
    if role.filled_seats >= role.seats:
        raise ParticipationError(_("Sorry, the last seat of this role has just been taken."))


def _check_no_open_application(role: Role, person: User) -> None:
    if Application.objects.pending().filter(role=role, applicant=person).exists():
        raise ParticipationError(_("You have already applied for this role."))
    if Membership.objects.filter(role=role, person=person, ended_on__isnull=True).exists():
        raise ParticipationError(_("You are already a member in this role."))


def _check_capacity(person: User, role: Role, confirmed: bool) -> None:
    """Hard limit at the weekly hours; above the target only with confirmation."""
    after = allocation(person, extra_hours=role.hours_per_week or 0)
    if after["over_allocated"]:
        raise ParticipationError(
            _("This role needs %(hours)s hours a week, but you have only %(free)s hours left.")
            % {"hours": role.hours_per_week, "free": allocation(person)["free_hours"]}
        )
    if after["above_target"] and not confirmed:
        raise NeedsConfirmation(
            _(
                "With this role %(percent)s %% of your week go into projects, more than the "
                "target of %(target)s %%: your department quarter shrinks. Please confirm."
            )
            % {"percent": after["percent"], "target": after["target_percent"]}
        )


def _take_seat(role: Role) -> None:
    """Fill one seat of a role locked by the caller; the constraint is the backstop."""
    if role.filled_seats >= role.seats:
        raise ParticipationError(_("Sorry, the last seat of this role has just been taken."))
    Role.objects.filter(pk=role.pk).update(filled_seats=F("filled_seats") + 1)
    role.filled_seats += 1
    # update() sends no signal; the lists show the free seats (no facet counts them).
    counts_cache.invalidate_seats(role.project_id)


def _start_membership(application: Application) -> Membership:
    role = application.role
    _take_seat(role)
    return Membership.objects.create(
        project=role.project,
        role=role,
        person=application.applicant,
        application=application,
        hours_per_week=role.hours_per_week if role.is_for_employees else None,
    )


def _lock_role(role: Role) -> Role:
    return Role.objects.select_for_update().select_related("project").get(pk=role.pk)


def _create_application(role: Role, person: User, **fields) -> Application:
    try:
        with transaction.atomic():
            return Application.objects.create(role=role, applicant=person, **fields)
    except IntegrityError:
        raise ParticipationError(_("You have already applied for this role.")) from None


def _tell_leads(application: Application) -> None:
    role = application.role
    accounts.notify(
        role.project.leads.all(),
        "application_received",
        f"application:{application.pk}:received",
        url=reverse("review-queue", kwargs={"slug": role.project.slug}),
        applicant_id=application.applicant_id,  # named when read: erasure reaches it
        role=role.title,
        project=role.project.title,
    )


@transaction.atomic
def claim_role(
    employee: User, role: Role, message: str = "", confirmed: bool = False
) -> Application:
    """An employee claims an employee role: accepted at once when auto-accept, a seat and capacity allow."""
    if not employee.is_employee:
        raise PermissionDenied
    role = _lock_role(role)
    if not role.is_for_employees:
        raise ParticipationError(_("This role is for citizens and organisations."))
    _check_joinable(role)
    User.objects.select_for_update().filter(
        pk=employee.pk
    ).first()  # one claim per person at a time
    _check_no_open_application(role, employee)
    _check_capacity(employee, role, confirmed)
    application = _create_application(role, employee, message=message)
    if role.auto_accept:
        _accept(application, decided_by=None)
        audit.record(employee, "role.claimed", application, accepted=True)
    else:
        audit.record(employee, "role.claimed", application, accepted=False)
    _tell_leads(application)
    return application


@transaction.atomic
def apply_for_public_role(
    participant: User, role: Role, message: str = "", conflict_of_interest: str = ""
) -> Application:
    """A citizen or organisation offers help as idea giver, feedback giver or tester."""
    role = _lock_role(role)
    if role.is_for_employees:
        raise ParticipationError(_("This role is for employees of the administration."))
    if not role.project.open_for_participation or role.project.is_internal:
        raise ParticipationError(_("This project does not take part from the public."))
    _check_joinable(role)
    _check_no_open_application(role, participant)
    application = _create_application(
        role, participant, message=message, conflict_of_interest=conflict_of_interest
    )
    audit.record(participant, "application.created", application, role=role.pk)
    _tell_leads(application)
    return application


def _accept(application: Application, decided_by: User | None) -> Membership:
    application.status = ApplicationStatus.ACCEPTED
    application.decided_by = decided_by
    application.decided_at = timezone.now()
    application.save()
    return _start_membership(application)


def _lock_pending(application: Application) -> Application:
    locked = (
        Application.objects.select_for_update()
        .select_related("role__project", "applicant")
        .get(pk=application.pk)
    )
    if not locked.is_pending:
        raise ParticipationError(_("This application has already been decided or withdrawn."))
    return locked


@transaction.atomic
def accept_application(lead: User, application: Application) -> Membership:
    if not can_decide(lead, application):
        raise PermissionDenied
    _lock_role(application.role)  # same lock order as claims: role first
    application = _lock_pending(application)
    if application.role.is_for_employees:
        _check_capacity(application.applicant, application.role, confirmed=True)
    membership = _accept(application, decided_by=lead)
    audit.record(lead, "application.accepted", application)
    _tell_applicant(application)
    return membership


@transaction.atomic
def decline_application(
    lead: User, application: Application, reason: str, note: str = ""
) -> Application:
    if not can_decide(lead, application):
        raise PermissionDenied
    if reason not in DeclineReason.values:
        raise ParticipationError(_("Please choose a reason for declining."))
    if reason == DeclineReason.OTHER and not note.strip():
        raise ParticipationError(_("Please explain the other reason."))
    application = _lock_pending(application)
    application.status = ApplicationStatus.DECLINED
    application.decision_reason = reason
    application.decision_note = note.strip()
    application.decided_by = lead
    application.decided_at = timezone.now()
    application.save()
    audit.record(lead, "application.declined", application, reason=reason)
    _tell_applicant(application)
    return application


def _tell_applicant(application: Application) -> None:
    accounts.notify(
        [application.applicant],
        "application_decided",
        f"application:{application.pk}:{application.status}",
        url=reverse("my-dashboard"),
        role=application.role.title,
        project=application.role.project.title,
        decision=application.status,
    )


@transaction.atomic
def withdraw_application(applicant: User, application: Application) -> Application:
    if application.applicant_id != applicant.pk:
        raise PermissionDenied
    application = _lock_pending(application)
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawn_at = timezone.now()
    application.save()
    audit.record(applicant, "application.withdrawn", application)
    return application


@transaction.atomic
def end_membership(user: User, membership: Membership) -> Membership:
    """The member or a lead ends a membership; the row stays for the workload history."""
    if not can_end_membership(user, membership):
        raise PermissionDenied
    membership = (
        Membership.objects.select_for_update()
        .select_related("role__project", "person")
        .get(pk=membership.pk)
    )
    if membership.ended_on is not None:
        raise ParticipationError(_("This membership has already ended."))
    Role.objects.select_for_update().filter(pk=membership.role_id).update(
        filled_seats=F("filled_seats") - 1
    )
    counts_cache.invalidate_seats(membership.role.project_id)
    membership.ended_on = timezone.localdate()
    membership.ended_by = user
    membership.save()
    audit.record(user, "membership.ended", membership)
    if user.pk != membership.person_id:
        accounts.notify(
            [membership.person],
            "membership_ended",
            f"membership:{membership.pk}:ended",
            url=reverse("my-dashboard"),
            role=membership.role.title,
            project=membership.project.title,
        )
    return membership
