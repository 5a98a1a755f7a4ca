"""Ideas on a project's open questions: the page, posting, supporting, answering.

One page holds every question with its ideas and the team's answers; each
form on it carries the question's or idea's prefix, so its fields have ids of
their own and a refused form comes back in its place with its errors.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts import double_submit
from participation.forms.ideas import IdeaAnswerForm, IdeaForm, IdeaQuestionForm, SupportForm
from participation.models import Idea, IdeaQuestion, IdeaSupport
from participation.permissions import can_run_activities, holds_public_role
from participation.services import ideas as services
from participation.services.ideas import IdeaError
from participation.views.rounds import CONFLICT, UNPROCESSABLE, get_project

LIST_TEMPLATE = "participation/ideas/idea_list.html"
QUESTIONS_SHOWN = 20
IDEAS_SHOWN = 500
BAD_REQUEST = 400


def _may_post(user, question, is_idea_giver: bool) -> bool:
    if not (user.is_authenticated and user.is_active and question.is_open):
        return False
    return question.audience == "signed_in" or is_idea_giver


def _ideas_by_question(questions) -> dict[int, list]:
    ideas = (
        Idea.objects.filter(question__in=questions)
        .with_support_count()
        .select_related("author")
        .order_by("question_id", "-created_at", "-id")[:IDEAS_SHOWN]
    )
    grouped: dict[int, list] = {}
    for idea in ideas:
        grouped.setdefault(idea.question_id, []).append(idea)
    return grouped


def _render(request, project, *, bound=None, status=200):
    """The page; ``bound`` is a refused form, keyed by its prefix, shown in its place."""
    user, bound = request.user, bound or {}
    can_run = can_run_activities(user, project)
    questions: list[Any] = list(IdeaQuestion.objects.filter(project=project)[:QUESTIONS_SHOWN])
    grouped = _ideas_by_question(questions)
    supported = set()
    if user.is_authenticated:
        supported = set(
            IdeaSupport.objects.filter(supporter=user, idea__question__project=project).values_list(
                "idea_id", flat=True
            )
        )
    is_idea_giver = holds_public_role(user, project, "ideas")
    for question in questions:
        question.project = project
        question.shown_ideas = grouped.get(question.pk, [])
        prefix = f"question-{question.pk}"
        question.may_post = _may_post(user, question, is_idea_giver)
        question.idea_form = bound.get(prefix) or (
            IdeaForm(prefix=prefix) if question.may_post else None
        )
        for idea in question.shown_ideas:
            idea.question = question
            idea.is_supported = idea.pk in supported
            idea.may_support = (
                user.is_authenticated and question.is_open and idea.author_id != user.pk
            )
            answer_prefix = f"idea-{idea.pk}"
            idea.answer_form = bound.get(answer_prefix) or (
                IdeaAnswerForm(prefix=answer_prefix) if can_run else None
            )
    context = {
        "project": project,
        "questions": questions,
        "can_run": can_run,
        "question_form": bound.get("new-question")
        or (IdeaQuestionForm(prefix="new-question") if can_run else None),
        # The refused form also sits inside a question or idea, where the page title's
        # "Error: " prefix (accounts' error_title_prefix) would not look for it.
        "refused_forms": list(bound.values()),
    }
    return render(request, LIST_TEMPLATE, context, status=status)


@require_safe
def idea_list(request, slug):
    return _render(request, get_project(request, slug))


def _question(project, question_id) -> IdeaQuestion:
    question = IdeaQuestion.objects.filter(pk=question_id, project=project).first()
    if question is None:
        raise Http404
    question.project = project
    return question


def _idea(project, idea_id) -> Idea:
    idea = (
        Idea.objects.select_related("question", "author")
        .filter(pk=idea_id, question__project=project)
        .first()
    )
    if idea is None:
        raise Http404
    idea.question.project = project
    return idea


def _back(project, anchor="") -> str:
    return reverse("idea-list", args=[project.slug]) + anchor


@require_POST
@login_required
def question_create(request, slug):
    project = get_project(request, slug)
    if not can_run_activities(request.user, project):
        raise PermissionDenied
    form = IdeaQuestionForm(request.POST, prefix="new-question")
    if not form.is_valid():
        return _render(request, project, bound={"new-question": form}, status=UNPROCESSABLE)
    question = form.save(commit=False)
    question.project = project
    question = services.create_question(request.user, question)
    messages.success(request, double_submit.notice(question, _("The question is open for ideas.")))
    return redirect(_back(project, f"#question-{question.pk}"))


@require_POST
@login_required
def question_close(request, slug, question_id):
    project = get_project(request, slug)
    question = _question(project, question_id)
    if not can_run_activities(request.user, project):
        raise PermissionDenied
    services.close_question(request.user, question)
    messages.success(request, _("The question is closed: it takes no more ideas."))
    return redirect(_back(project, f"#question-{question.pk}"))


@require_POST
@login_required
def idea_post(request, slug, question_id):
    project = get_project(request, slug)
    question = _question(project, question_id)
    prefix = f"question-{question.pk}"
    form = IdeaForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _render(request, project, bound={prefix: form}, status=UNPROCESSABLE)
    try:
        idea = services.post_idea(request.user, question, **form.cleaned_data)
    except IdeaError as error:
        messages.error(request, error.message)
        return _render(request, project, status=CONFLICT)
    messages.success(request, double_submit.notice(idea, _("Thank you. Your idea is posted.")))
    return redirect(_back(project, f"#idea-{idea.pk}"))


@require_POST
@login_required
def idea_support(request, slug, idea_id):
    project = get_project(request, slug)
    idea = _idea(project, idea_id)
    form = SupportForm(request.POST)
    if not form.is_valid():
        return render(request, "400.html", status=BAD_REQUEST)
    try:
        if form.cleaned_data["action"] == "support":
            services.support_idea(request.user, idea)
            messages.success(request, _("You support this idea."))
        else:
            services.withdraw_support(request.user, idea)
            messages.success(request, _("You no longer support this idea."))
    except IdeaError as error:
        messages.error(request, error.message)
        return _render(request, project, status=CONFLICT)
    return redirect(_back(project, f"#idea-{idea.pk}"))


@require_POST
@login_required
def idea_answer(request, slug, idea_id):
    project = get_project(request, slug)
    idea = _idea(project, idea_id)
    if not can_run_activities(request.user, project):
        raise PermissionDenied
    prefix = f"idea-{idea.pk}"
    form = IdeaAnswerForm(request.POST, prefix=prefix)
    if not form.is_valid():
        return _render(request, project, bound={prefix: form}, status=UNPROCESSABLE)
    try:
        services.answer_idea(request.user, idea, **form.cleaned_data)
    except IdeaError as error:
        messages.error(request, error.message)
        return _render(request, project, status=CONFLICT)
    messages.success(request, _("Your answer is published. The author has been told."))
    return redirect(_back(project, f"#idea-{idea.pk}"))
