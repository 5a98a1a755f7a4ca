"""Open questions, ideas on them, supports, and the team's answers. Views call these."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import accounts
from accounts import audit, double_submit
from accounts.content_language import DEFAULT_CONTENT_LANGUAGE
from accounts.models import Notification
from participation.models import ANSWER_STATUSES, Idea, IdeaQuestion, IdeaSupport
from participation.permissions import can_post_idea, can_run_activities
from participation.services.applications import ParticipationError


class IdeaError(ParticipationError):
    """A request about an idea that its state refuses; the message is shown."""


@transaction.atomic
def create_question(user, question: IdeaQuestion) -> IdeaQuestion:
    """Save a validated, unsaved open question; a double submit finds the first one."""
    if not can_run_activities(user, question.project):
        raise PermissionDenied
    double_submit.lock_person(user)
    repeat = double_submit.find_repeat(
        IdeaQuestion.objects.filter(project=question.project), created_by=user, title=question.title
    )
    if repeat is not None:
        return repeat
    question.created_by = user
    question.save()
    audit.record(user, "idea_question.created", question, project=question.project_id)
    return question


@transaction.atomic
def close_question(user, question: IdeaQuestion) -> IdeaQuestion:
    """No more ideas on this question; closing twice changes nothing."""
    if not can_run_activities(user, question.project):
        raise PermissionDenied
    question = IdeaQuestion.objects.select_for_update().get(pk=question.pk)
    if not question.is_open:
        return question
    question.is_open = False
    question.closed_at = timezone.now()
    question.save(update_fields=["is_open", "closed_at"])
    audit.record(user, "idea_question.closed", question)
    return question


@transaction.atomic
def post_idea(
    user,
    question: IdeaQuestion,
    *,
    title: str,
    text: str,
    language: str = DEFAULT_CONTENT_LANGUAGE,
) -> Idea:
    if not can_post_idea(user, question):
        raise PermissionDenied
    if not question.is_open:
        raise IdeaError(_("This question is closed: it takes no more ideas."))
    double_submit.lock_person(user)
    repeat = double_submit.find_repeat(
        Idea.objects.filter(question=question), author=user, title=title, text=text
    )
    if repeat is not None:
        return repeat
    idea = Idea.objects.create(
        question=question, author=user, title=title, text=text, language=language
    )
    audit.record(user, "idea.posted", idea, question=question.pk)
    return idea


def _check_supportable(user, idea: Idea) -> None:
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied
    if idea.author_id == user.pk:
        raise IdeaError(_("You cannot support your own idea."))
    if not idea.question.is_open:
        raise IdeaError(_("This question is closed: its ideas take no more supporters."))


def support_idea(user, idea: Idea) -> bool:
    """Back an idea. Idempotent: a second submit changes nothing. True if a row was added."""
    _check_supportable(user, idea)
    try:
        with transaction.atomic():
            _support, created = IdeaSupport.objects.get_or_create(idea=idea, supporter=user)
            if created:
                audit.record(user, "idea.supported", idea)
    except IntegrityError:
        return False
    return created


@transaction.atomic
def withdraw_support(user, idea: Idea) -> bool:
    _check_supportable(user, idea)
    deleted, _rows = IdeaSupport.objects.filter(idea=idea, supporter=user).delete()
    if deleted:
        audit.record(user, "idea.support_withdrawn", idea)
    return bool(deleted)


@transaction.atomic
def answer_idea(user, idea: Idea, *, status: str, reason: str) -> Idea:
    """The team's answer with a public reason; the author is told. The same answer twice is one."""
    question = idea.question
    project = question.project
    if not can_run_activities(user, project):
        raise PermissionDenied
    if status not in ANSWER_STATUSES:
        raise IdeaError(_("Choose one of the answers offered."))
    if not reason.strip():
        raise IdeaError(_("Give a public reason for your answer."))
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    idea.question = question
    if idea.status == status and idea.reason == reason:
        return idea
    idea.status, idea.reason = status, reason
    idea.answered_by, idea.answered_at = user, timezone.now()
    idea.save(update_fields=["status", "reason", "answered_by", "answered_at"])
    audit.record(user, "idea.answered", idea, status=status)
    accounts.notify(
        [idea.author] if idea.author else [],
        Notification.Kind.IDEA_ANSWERED,
        f"idea:{idea.pk}:answered:{status}:{idea.answered_at:%Y%m%d%H%M%S}",
        url=idea.get_absolute_url(),
        project=project.title,
        idea=idea.title,
        status=status,
    )
    return idea
