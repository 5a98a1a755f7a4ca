"""Joining roles, reviewing applications, and the personal dashboard at /me/.

Leads decide inline with htmx: the decision forms post to ``decide``, which
answers with the updated list item (and the text for the live region). Without
JavaScript the same forms redirect back. htmx 2 swaps no 4xx answer, so a
refused decision comes back to htmx as 200 with the reason inside the item;
a plain form post gets the 4xx status.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.models import User
from accounts.permissions import participant_required
from marketplace.models import Project, Role
from marketplace.permissions import can_edit_project, can_view_project
from participation import services
from participation.forms.applications import ClaimForm, DecisionForm, PublicApplicationForm
from participation.models import Application, ApplicationStatus, DeclineReason, Membership
from participation.permissions import can_decide, can_end_membership
from participation.views.my_activities import dashboard_activities
from participation.views.retrospectives import dashboard_action_items

JOIN_TEMPLATE = "participation/join_role.html"
QUEUE_TEMPLATE = "participation/review_queue.html"
DASHBOARD_TEMPLATE = "participation/dashboard.html"
APPLICATION_ITEM = f"{QUEUE_TEMPLATE}#application_item"
BAD_REQUEST = 400
UNPROCESSABLE = 422
RECENT_DECISIONS = 20
PAST_ENTRIES = 20

# Fragments and whole pages share URLs: caches must keep them apart.
htmx_or_page = vary_on_headers("HX-Request")


# --- Shared helpers ----------------------------------------------------------


def participation_context_for_project(user, project) -> dict:
    """The roles of ``project`` that ``user`` applied for or holds; for ``role_actions.html``."""
    return participation_context_for_projects(user, [project])


def participation_context_for_projects(user, projects) -> dict:
    """Like ``participation_context_for_project`` for a page of projects: two queries at most."""
    if not user.is_authenticated:
        return {"my_pending_role_ids": set(), "my_member_role_ids": set()}
    pending = Application.objects.pending().filter(applicant=user, role__project__in=projects)
    running = Membership.objects.filter(person=user, project__in=projects, ended_on__isnull=True)
    return {
        "my_pending_role_ids": set(pending.values_list("role_id", flat=True)),
        "my_member_role_ids": set(running.values_list("role_id", flat=True)),
    }


def attach_applicant_allocations(applications) -> list[Application]:
    """Give each employee's application the applicant's allocation, in one query for all."""
    applications = list(applications)
    employee_ids = {a.applicant_id for a in applications if a.applicant.is_employee}
    hours = {}
    if employee_ids:
        rows = (
            Membership.objects.active()
            .filter(person_id__in=employee_ids)
            .values("person_id")
            .annotate(total=Sum("hours_per_week", default=0))
        )
        hours = {row["person_id"]: row["total"] for row in rows}
    for application in applications:
        application.allocation = None
        if application.applicant_id in employee_ids:
            application.allocation = services.allocation_for_hours(
                application.applicant, hours.get(application.applicant_id, 0)
            )
    return applications


def _safe_next(request) -> str | None:
    """The local page a form came from, or None for anything else (open redirects)."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _pending_queryset():
    """Pending applications with what an item of the review queue shows; oldest first."""
    return (
        Application.objects.pending()
        .select_related("applicant", "role__project")
        .order_by("created_at", "id")
    )


# --- Joining a role ----------------------------------------------------------


def _get_role_for_joining(request, slug, role_id) -> Role:
    """The role in its project; 404 for another project's role and for drafts the person may not see."""
    project = Project.objects.prefetch_related("leads").filter(slug=slug).first()
    if project is None or not can_view_project(request.user, project):
        raise Http404
    role = get_object_or_404(Role, pk=role_id, project=project)
    role.project = project
    return role


def _why_not_joinable(user, role) -> str:
    """What keeps ``user`` from joining, for the page before anything is sent.

    Only to answer a GET with a clear message: the services check all of it
    again, under a lock, when the form is sent.
    """
    if role.is_for_employees and not user.is_employee:
        return _("This role is for employees of the administration.")
    if not role.is_for_employees and not role.project.open_for_participation:
        return _("This project does not take part from the public.")
    if not role.is_open or role.project.status not in services.JOINABLE_STATUSES:
        return _("This role is not open for applications.")
    if role.free_seats == 0:
        return _("Sorry, the last seat of this role has just been taken.")
    if Application.objects.pending().filter(role=role, applicant=user).exists():
        return _("You have already applied for this role.")
    if Membership.objects.filter(role=role, person=user, ended_on__isnull=True).exists():
        return _("You are already a member in this role.")
    return ""


def _render_join(request, role, form=None, refusal="", confirmation="", status=200):
    context = {
        "role": role,
        "project": role.project,
        "form": form,
        "refusal": refusal,
        "confirmation": confirmation,
        # Employees see their free hours before they claim.
        "allocation": services.allocation(request.user) if form and role.is_for_employees else None,
    }
    return render(request, JOIN_TEMPLATE, context, status=status)


def _joined(request, application):
    if application.status == ApplicationStatus.ACCEPTED:
        notice = _("You are now a member of the role “%(role)s” in “%(project)s”.")
    else:
        notice = _(
            "Your application for the role “%(role)s” in “%(project)s” was sent. "
            "The project lead will decide on it."
        )
    role = application.role
    messages.success(request, notice % {"role": role.title, "project": role.project.title})
    return redirect("my-dashboard")


def _claim(request, role):
    """An employee claims an employee role; above the target the form asks to confirm first."""
    form = ClaimForm(request.POST if request.method == "POST" else None)
    if not form.is_bound:
        return _render_join(request, role, form)
    if not form.is_valid():
        return _render_join(request, role, form, status=UNPROCESSABLE)
    try:
        application = services.claim_role(
            request.user,
            role,
            message=form.cleaned_data["message"],
            confirmed=form.cleaned_data["confirmed"],
        )
    except services.NeedsConfirmation as question:
        form.ask_for_confirmation()
        return _render_join(request, role, form, confirmation=question.message)
    except services.ParticipationError as error:
        return _render_join(request, role, form, refusal=error.message, status=BAD_REQUEST)
    return _joined(request, application)


def _apply(request, role):
    """A citizen, an organisation or an employee offers help on a public role."""
    is_organisation = request.user.kind == User.Kind.ORGANISATION
    data = request.POST if request.method == "POST" else None
    form = PublicApplicationForm(data, is_organisation=is_organisation)
    if not form.is_bound:
        return _render_join(request, role, form)
    if not form.is_valid():
        return _render_join(request, role, form, status=UNPROCESSABLE)
    try:
        application = services.apply_for_public_role(
            request.user,
            role,
            message=form.cleaned_data["message"],
            conflict_of_interest=form.cleaned_data.get("conflict_of_interest", ""),
        )
    except services.ParticipationError as error:
        return _render_join(request, role, form, refusal=error.message, status=BAD_REQUEST)
    return _joined(request, application)


@require_http_methods(["GET", "HEAD", "POST"])
@participant_required
def join_role(request, slug, role_id):
    role = _get_role_for_joining(request, slug, role_id)
    # The services refuse again when the form is sent; asking here spares a form in vain.
    refusal = _why_not_joinable(request.user, role)
    if refusal:
        return _render_join(request, role, refusal=refusal, status=BAD_REQUEST)
    if role.is_for_employees:
        return _claim(request, role)
    return _apply(request, role)


# --- Review queue and decisions ------------------------------------------------


def _get_project_for_reviewing(request, slug) -> Project:
    project = Project.objects.prefetch_related("leads").filter(slug=slug).first()
    if project is None or not can_view_project(request.user, project):
        raise Http404
    if not can_edit_project(request.user, project):
        raise PermissionDenied
    return project


def _render_review_queue(request, project, status=200):
    pending = _pending_queryset().filter(role__project=project)
    decided = (
        Application.objects.filter(
            role__project=project,
            status__in=[ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED],
        )
        .select_related("applicant", "role__project", "decided_by")
        .order_by("-decided_at", "-id")[:RECENT_DECISIONS]
    )
    context = {
        "project": project,
        "pending": attach_applicant_allocations(pending),
        "decided": decided,
        "decline_reasons": DeclineReason.choices,
        "next": reverse("review-queue", args=[project.slug]),
    }
    return render(request, QUEUE_TEMPLATE, context, status=status)


@require_safe
@login_required
def review_queue(request, slug):
    return _render_review_queue(request, _get_project_for_reviewing(request, slug))


def _get_application_for_deciding(request, pk) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("applicant", "role__project").prefetch_related(
            "role__project__leads"
        ),
        pk=pk,
    )
    if not can_decide(request.user, application):
        raise PermissionDenied
    return application


def _carry_out(request, application, form) -> str:
    """Accept or decline as the valid ``form`` says; return what to announce."""
    name = application.applicant.public_name
    if form.accepts:
        services.accept_application(request.user, application)
        return _("You accepted the application of %(name)s.") % {"name": name}
    services.decline_application(
        request.user, application, form.cleaned_data["reason"], form.cleaned_data["note"]
    )
    return _("You declined the application of %(name)s.") % {"name": name}


def _decision_answer(request, application, *, outcome="", errors=(), status=200):
    """The updated item for htmx; otherwise back to where the form was, or the queue on refusal."""
    if request.htmx:
        fresh = attach_applicant_allocations(_decided_or_pending(application.pk))[0]
        context = {
            "application": fresh,
            "next": _safe_next(request) or "",
            "decision_errors": errors,
            "decline_reasons": DeclineReason.choices,
            "outcome": " ".join([outcome, *errors]),
            "announce": True,
        }
        return render(request, APPLICATION_ITEM, context)
    project = application.role.project
    if errors:
        for error in errors:
            messages.error(request, error)
        return _render_review_queue(request, project, status=status)
    messages.success(request, outcome)
    return redirect(_safe_next(request) or reverse("review-queue", args=[project.slug]))


def _decided_or_pending(pk) -> list[Application]:
    return list(
        Application.objects.select_related("applicant", "role__project", "decided_by").filter(pk=pk)
    )


@htmx_or_page
@require_POST
@login_required
def decide(request, pk):
    application = _get_application_for_deciding(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        errors = [error for field_errors in form.errors.values() for error in field_errors]
        return _decision_answer(request, application, errors=errors, status=UNPROCESSABLE)
    try:
        outcome = _carry_out(request, application, form)
    except services.ParticipationError as error:
        return _decision_answer(request, application, errors=error.messages, status=BAD_REQUEST)
    return _decision_answer(request, application, outcome=outcome)


# --- Withdrawing and ending -----------------------------------------------------


@require_POST
@login_required
def withdraw(request, pk):
    # Someone else's application answers 404: whether it exists is none of the asker's business.
    application = get_object_or_404(
        Application.objects.select_related("role__project"), pk=pk, applicant=request.user
    )
    try:
        services.withdraw_application(request.user, application)
    except services.ParticipationError as error:
        messages.error(request, error.message)
        return _render_dashboard(request, status=BAD_REQUEST)
    messages.success(
        request,
        _("You withdrew your application for the role “%(role)s”.")
        % {"role": application.role.title},
    )
    return redirect("my-dashboard")


@require_POST
@login_required
def end_membership(request, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("role", "project").prefetch_related("project__leads"),
        pk=pk,
    )
    if not can_end_membership(request.user, membership):
        raise PermissionDenied
    try:
        services.end_membership(request.user, membership)
    except services.ParticipationError as error:
        messages.error(request, error.message)
        return _render_dashboard(request, status=BAD_REQUEST)
    messages.success(
        request,
        _("The membership in the role “%(role)s” has ended.") % {"role": membership.role.title},
    )
    return redirect(_safe_next(request) or reverse("my-dashboard"))


# --- The dashboard ------------------------------------------------------------------


def _applications_context(user) -> dict:
    mine = Application.objects.filter(applicant=user).select_related("role__project")
    return {
        "my_pending": mine.pending().order_by("-created_at", "-id"),
        "my_past": mine.exclude(status=ApplicationStatus.PENDING)[:PAST_ENTRIES],
    }


def _memberships_context(user) -> dict:
    mine = Membership.objects.filter(person=user).select_related("role", "project")
    return {
        "my_memberships": mine.filter(ended_on__isnull=True),
        "my_past_memberships": mine.filter(ended_on__isnull=False)[:PAST_ENTRIES],
    }


def _lead_context(user) -> dict:
    led_projects = list(user.led_projects.order_by("title"))
    if not led_projects:
        return {"led_projects": [], "pending": []}
    pending = _pending_queryset().filter(role__project__in=led_projects)
    return {"led_projects": led_projects, "pending": attach_applicant_allocations(pending)}


def _render_dashboard(request, status=200):
    user = request.user
    context = {
        **_applications_context(user),
        **_memberships_context(user),
        **_lead_context(user),
        **dashboard_action_items(user),
        **dashboard_activities(user),
        "allocation": services.allocation(user) if user.is_employee else None,
        "decline_reasons": DeclineReason.choices,
        "next": reverse("my-dashboard"),
    }
    return render(request, DASHBOARD_TEMPLATE, context, status=status)


@require_safe
@login_required
def dashboard(request):
    return _render_dashboard(request)
