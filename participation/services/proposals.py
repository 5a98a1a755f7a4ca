"""Proposals from the public: submit, support, review, and accept into a draft project.

Views call these functions; each one writes in a transaction and leaves an
audit event. Who may review is decided by ``can_review_proposals``, used by
views and templates alike.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

import accounts
from accounts import audit, double_submit, following
from accounts.models import User
from marketplace import project_page_cache
from marketplace import services as marketplace_services
from marketplace.models import SUMMARY_MAX_LENGTH, Project, Role
from participation.models import (
    PROPOSAL_STATUS_TIMESTAMPS,
    PROPOSAL_TRANSITIONS,
    Application,
    ApplicationStatus,
    Membership,
    Proposal,
    ProposalFollow,
    ProposalStatus,
    ProposalStatusChange,
    ProposalSupport,
)


class ProposalError(ValidationError):
    """A request that the rules refuse; its message is shown to the person."""


class ProposalTransitionNotAllowed(ProposalError):
    """A status change that ``PROPOSAL_TRANSITIONS`` does not allow."""


def can_review_proposals(user) -> bool:
    """Administrators, and employees marked as reviewers of proposals."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or (user.is_employee and user.reviews_proposals)


def can_support(user, proposal: Proposal) -> bool:
    """Whether the support button is offered: not to the proposer, not after the decision."""
    return user.is_authenticated and user.pk != proposal.proposer_id and proposal.is_open


# --- Submitting and supporting -------------------------------------------------------


@transaction.atomic
def submit_proposal(proposer: User, proposal: Proposal) -> Proposal:
    """Save a validated, unsaved proposal; its history starts with the submission.

    The same proposal sent again (a double submit) returns the first one.
    """
    double_submit.lock_person(proposer)
    repeat = double_submit.find_repeat(
        Proposal.objects.all(),
        proposer=proposer,
        title=proposal.title,
        problem=proposal.problem,
        idea=proposal.idea,
        beneficiaries=proposal.beneficiaries,
        topic=proposal.topic_id,
    )
    if repeat is not None:
        return repeat
    proposal.proposer = proposer
    proposal.status = ProposalStatus.SUBMITTED
    proposal.save()
    ProposalStatusChange.objects.create(
        proposal=proposal, status=ProposalStatus.SUBMITTED, by=proposer, at=proposal.created_at
    )
    audit.record(proposer, "proposal.submitted", proposal)
    return proposal


def _check_supportable(supporter: User, proposal: Proposal) -> None:
    if supporter.pk == proposal.proposer_id:
        raise ProposalError(_("You cannot support your own proposal."))
    if not proposal.is_open:
        raise ProposalError(_("This proposal has been decided; support is closed."))


@transaction.atomic
def support_proposal(supporter: User, proposal: Proposal) -> bool:
    """Back a proposal. Idempotent: a second submit changes nothing. True if a row was added."""
    _check_supportable(supporter, proposal)
    try:
        # The savepoint keeps the outer transaction usable when a parallel submit won the race.
        with transaction.atomic():
            _support, created = ProposalSupport.objects.get_or_create(
                proposal=proposal, supporter=supporter
            )
    except IntegrityError:
        return False
    if created:
        audit.record(supporter, "proposal.supported", proposal)
    return created


@transaction.atomic
def withdraw_support(supporter: User, proposal: Proposal) -> bool:
    """Take back one's support. Idempotent like ``support_proposal``. True if a row went."""
    _check_supportable(supporter, proposal)
    deleted, _rows = ProposalSupport.objects.filter(proposal=proposal, supporter=supporter).delete()
    if deleted:
        audit.record(supporter, "proposal.support_withdrawn", proposal)
    return bool(deleted)


# --- Reviewing ----------------------------------------------------------------------


def _status_label(value: str) -> str:
    return str(dict(ProposalStatus.choices).get(value, value))


def _check_transition(proposal: Proposal, target: str, reason: str) -> None:
    if target not in PROPOSAL_TRANSITIONS.get(proposal.status, set()):
        raise ProposalTransitionNotAllowed(
            _("A proposal cannot go from “%(current)s” to “%(target)s”.")
            % {"current": proposal.get_status_display(), "target": _status_label(target)}
        )
    if target == ProposalStatus.DECLINED and not reason:
        raise ProposalError(_("Please give a public reason for declining the proposal."))


@transaction.atomic
def change_proposal_status(reviewer: User, proposal: Proposal, target: str, reason: str = ""):
    """Move a proposal along ``PROPOSAL_TRANSITIONS``; accepting creates a draft project.

    The history row, the audit event and the notifications are written with the change.
    """
    if not can_review_proposals(reviewer):
        raise PermissionDenied
    proposal = (
        Proposal.objects.select_for_update().select_related("proposer", "topic").get(pk=proposal.pk)
    )
    reason = reason.strip()
    _check_transition(proposal, target, reason)
    previous = proposal.status
    proposal.status = target
    setattr(proposal, PROPOSAL_STATUS_TIMESTAMPS[target], timezone.now())
    if target == ProposalStatus.ACCEPTED:
        proposal.project = _create_project_from(reviewer, proposal)
    proposal.save()
    change = ProposalStatusChange.objects.create(
        proposal=proposal, status=target, by=reviewer, reason=reason
    )
    audit.record(
        reviewer,
        "proposal.status_changed",
        proposal,
        previous=previous,
        status=target,
        project=proposal.project_id,
    )
    _tell_proposer_supporters_and_followers(proposal, change)
    return proposal


def _tell_proposer_supporters_and_followers(proposal: Proposal, change) -> None:
    interested = User.objects.filter(
        Q(proposal_supports__proposal=proposal) | Q(proposal_follows__proposal=proposal),
        deleted_at__isnull=True,
    ).distinct()
    accounts.notify(
        [proposal.proposer, *interested],
        "proposal_status",
        # One key per status change: a proposal may return to a status it had.
        f"proposal:{proposal.pk}:status-change:{change.pk}",
        url=proposal.get_absolute_url(),
        proposal=proposal.title,
        status=proposal.status,
    )


# --- Following -------------------------------------------------------------------


def follow_proposal(user: User, proposal: Proposal) -> bool:
    """Start following; True if this call did it (a double submit changes nothing)."""
    return following.start_following(ProposalFollow, user, proposal, proposal=proposal)


def unfollow_proposal(user: User, proposal: Proposal) -> bool:
    return following.stop_following(ProposalFollow, user, proposal, proposal=proposal)


def is_following_proposal(user, proposal: Proposal) -> bool:
    if not user.is_authenticated:
        return False
    return ProposalFollow.objects.filter(proposal=proposal, follower=user).exists()


# --- Accepting: the draft project and the idea giver -------------------------------


def _project_description(proposal: Proposal) -> str:
    """The proposal's three texts, and who proposed it, as a plain-text project description."""
    sections = [
        (_("The problem"), proposal.problem),
        (_("The idea"), proposal.idea),
        (_("Who benefits"), proposal.beneficiaries),
    ]
    paragraphs = [f"{heading}:\n{text.strip()}" for heading, text in sections]
    paragraphs.append(
        _("Proposed by %(name)s on %(url)s.")
        % {"name": proposal.proposer.public_name, "url": proposal.get_absolute_url()}
    )
    return "\n\n".join(paragraphs)


def _create_project_from(reviewer: User, proposal: Proposal) -> Project:
    # Stored texts are content, not interface: they are written once, in the portal's language.
    with translation.override(settings.LANGUAGE_CODE):
        project = Project(
            title=proposal.title,
            summary=Truncator(proposal.idea.strip()).chars(SUMMARY_MAX_LENGTH),
            description=_project_description(proposal),
        )
        project = marketplace_services.create_project(reviewer, project, [proposal.topic])
        role = Role(
            project=project,
            title=str(Role.PublicKind.IDEAS.label),
            description=_("Made the proposal this project grew from."),
            audience=Role.Audience.PUBLIC,
            public_kind=Role.PublicKind.IDEAS,
            seats=1,
            # The one seat is the proposer's; the leads open it or add seats to invite more.
            is_open=False,
        )
        marketplace_services.save_role(reviewer, role, skills=[])
    if proposal.proposer.deleted_at is None:  # a deleted account cannot join a team
        _credit_idea_giver(reviewer, proposal.proposer, role)
    return project


def _credit_idea_giver(reviewer: User, proposer: User, role: Role) -> Membership:
    """Make the proposer the idea giver of the new draft.

    ``participation.services.apply_for_public_role`` refuses drafts (nobody may
    join a project the public cannot see yet), so the accepted application and
    the membership are written here directly, with the seat counted the same way.
    """
    application = Application.objects.create(
        role=role,
        applicant=proposer,
        status=ApplicationStatus.ACCEPTED,
        decided_by=reviewer,
        decided_at=timezone.now(),
    )
    Role.objects.filter(pk=role.pk).update(filled_seats=F("filled_seats") + 1)
    project_page_cache.invalidate_project(role.project_id)  # update() sends no signal
    membership = Membership.objects.create(
        project=role.project, role=role, person=proposer, application=application
    )
    audit.record(reviewer, "application.accepted", application, via="proposal")
    return membership
