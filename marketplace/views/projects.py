"""A project's page; create, edit, publish, move status and phase."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import double_submit
from accounts.content_language import page_language
from marketplace import notifications, project_sections, services
from marketplace.forms import PhaseChangeForm, ProjectForm, StatusChangeForm
from marketplace.models import (
    FINAL_STATUSES,
    PHASE_ORDER,
    Phase,
    Project,
    ProjectStatus,
    ProjectUpdate,
    Role,
)
from marketplace.permissions import (
    can_create_project,
    can_edit_project,
    can_view_project,
    sees_full_project,
)

PAGE_TEMPLATE = "marketplace/project_detail.html"
FORM_TEMPLATE = "marketplace/project_form.html"
BAD_REQUEST = 400
UNPROCESSABLE = 422
# The timeline shows the newest updates; the project's feed has them all.
UPDATES_ON_PAGE = 20


def project_page_queryset():
    """Everything the project page shows, in a fixed number of queries however many roles."""
    roles = Role.objects.prefetch_related("skills")
    updates = ProjectUpdate.objects.select_related("author")[:UPDATES_ON_PAGE]
    return Project.objects.select_related("department").prefetch_related(
        "leads",
        "topics",
        Prefetch("roles", queryset=roles),
        Prefetch("updates", queryset=updates, to_attr="recent_updates"),
    )


def get_project_for_viewing(request, slug) -> Project:
    """The project, or 404; also for a draft the visitor may not see, which stays secret."""
    project = project_page_queryset().filter(slug=slug).first()
    if project is None or not can_view_project(request.user, project):
        raise Http404
    return project


def get_project_for_editing(request, slug) -> Project:
    project = get_project_for_viewing(request, slug)
    if not can_edit_project(request.user, project):
        raise PermissionDenied
    return project


def roles_context(request, project, notice: str = "") -> dict:
    """What the roles section needs; shared by the page and the htmx role views.

    ``sections`` are what other apps show on the page; each is loaded only if shown.
    """
    can_edit = can_edit_project(request.user, project)
    roles = list(project.roles.all())
    open_roles = [role for role in roles if role.is_open]
    return {
        "project": project,
        "can_edit": can_edit,
        # Roles on offer, roles whose seats are all taken, and (for leads, so they can
        # open them again) closed roles: each group under a heading of its own.
        "open_roles": [role for role in open_roles if role.free_seats],
        "filled_roles": [role for role in open_roles if not role.free_seats],
        "closed_roles": [role for role in roles if not role.is_open] if can_edit else [],
        "roles_notice": notice,
        "sections": project_sections.sections_for(request, project),
    }


def _management_context(project) -> dict:
    status_choices = [
        (value, ProjectStatus(value).label)
        for value in project.allowed_statuses()
        # A draft opens through the publish button, which says what is still missing.
        if not (project.is_draft and value == ProjectStatus.OPEN)
    ]
    return {
        "status_choices": status_choices,
        "phase_choices": [(value, Phase(value).label) for value in project.allowed_phases()],
        "next_phase": _next_phase(project),
        "missing": services.missing_for_publication(project) if project.is_draft else [],
    }


def _next_phase(project) -> str:
    """The step forward, preselected: going back is allowed but rarely meant."""
    following = PHASE_ORDER[PHASE_ORDER.index(project.phase) + 1 :]
    return following[0] if following else ""


def render_project_page(request, project, status: int = 200):
    context = roles_context(request, project)
    context["full_view"] = sees_full_project(request.user, project)
    context["following"] = notifications.is_following(request.user, project)
    context["follow_url"] = reverse("project-follow", kwargs={"slug": project.slug})
    if context["can_edit"]:
        context.update(_management_context(project))
    return render(request, PAGE_TEMPLATE, context, status=status)


def refuse(request, project, reasons):
    """Show the project page again with the reasons the change was refused (400)."""
    for reason in reasons:
        messages.error(request, reason)
    return render_project_page(request, project, status=BAD_REQUEST)


@require_safe
def project_detail(request, slug):
    return render_project_page(request, get_project_for_viewing(request, slug))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def project_create(request):
    if not can_create_project(request.user):
        raise PermissionDenied
    form = ProjectForm(
        request.POST if request.method == "POST" else None,
        initial={"department": request.user.department_id},
    )
    if form.is_bound and form.is_valid():
        try:
            project = services.create_project(
                request.user, form.save(commit=False), form.cleaned_data["topics"]
            )
        except ValidationError as error:  # no free slug left for this title
            form.add_error("title", error)
        else:
            created = _("The draft has been created. Add roles, then publish it when it is ready.")
            messages.success(request, double_submit.notice(project, created))
            return redirect(project)
    status = UNPROCESSABLE if form.is_bound else 200
    return render(request, FORM_TEMPLATE, {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def project_edit(request, slug):
    project = get_project_for_editing(request, slug)
    # Validation writes the submitted values onto the instance; the heading keeps the saved title.
    saved_title = project.title_for(page_language())
    form = ProjectForm(request.POST if request.method == "POST" else None, instance=project)
    if form.is_bound and form.is_valid():
        with transaction.atomic():
            project = form.save(commit=False)
            form.save_m2m()  # the topics; update_project saves the row and writes the audit event
            services.update_project(request.user, project, form.changed_data)
        messages.success(request, _("The project has been saved."))
        return redirect(project)
    context = {"form": form, "project": project, "saved_title": saved_title}
    status = UNPROCESSABLE if form.is_bound else 200
    return render(request, FORM_TEMPLATE, context, status=status)


@require_POST
@login_required
def project_publish(request, slug):
    project = get_project_for_editing(request, slug)
    try:
        services.publish_project(request.user, project)
    except ValidationError as error:
        return refuse(request, project, error.messages)
    messages.success(request, _("The project is published: everyone can see it now."))
    return redirect(project)


@require_POST
@login_required
def project_status(request, slug):
    project = get_project_for_editing(request, slug)
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        return refuse(request, project, form.errors["status"])
    target = form.cleaned_data["status"]
    if needs_confirmation(project, target) and not form.cleaned_data["confirmed"]:
        # Cancelling and completing cannot be undone: a page of their own asks first.
        return redirect(
            reverse("project-status-confirm", args=[project.slug]) + f"?status={target}"
        )
    try:
        project = services.change_status(request.user, project, target)
    except ValidationError as error:
        return refuse(request, project, error.messages)
    messages.success(
        request, _("The status is now “%(status)s”.") % {"status": project.get_status_display()}
    )
    return redirect(project)


def needs_confirmation(project, target: str) -> bool:
    """A final status the project may reach: the lead confirms it on a page of its own."""
    return target in FINAL_STATUSES and target in project.allowed_statuses()


@require_POST
@login_required
def project_phase(request, slug):
    project = get_project_for_editing(request, slug)
    if project.is_closed:
        return refuse(
            request, project, [_("The project is closed: its phase cannot change any more.")]
        )
    form = PhaseChangeForm(request.POST)
    if not form.is_valid():
        return refuse(request, project, form.errors["phase"])
    try:
        project = services.change_phase(request.user, project, form.cleaned_data["phase"])
    except ValidationError as error:
        return refuse(request, project, error.messages)
    messages.success(
        request, _("The phase is now “%(phase)s”.") % {"phase": project.get_phase_display()}
    )
    return redirect(project)
