"""Roles of a project, added, edited and removed inline (htmx) or on their own pages.

With htmx the form is loaded into the roles section of the project page and a
successful change answers with the updated section. Without JavaScript the
same URLs serve whole pages and redirect back to the project.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from accounts import double_submit
from marketplace import services
from marketplace.forms import RoleForm
from marketplace.models import Role
from marketplace.views.projects import (
    UNPROCESSABLE,
    get_project_for_editing,
    project_page_queryset,
    roles_context,
)

FORM_TEMPLATE = "marketplace/role_form.html"
ROLES_SECTION = "marketplace/project_detail.html#roles"

# Fragments and whole pages share URLs: caches must keep them apart.
htmx_or_page = vary_on_headers("HX-Request")


def _get_role(project, role_id) -> Role:
    """Only a role of this project: an id from another project answers 404."""
    role = get_object_or_404(Role, pk=role_id, project=project)
    role.project = project  # the loaded one, with its leads for the permission check
    return role


def _role_changed(request, project, notice: str):
    if request.htmx:
        fresh = project_page_queryset().get(pk=project.pk)
        return render(request, ROLES_SECTION, roles_context(request, fresh, notice))
    messages.success(request, notice)
    return redirect(project.get_absolute_url() + "#roles")


def _render_form(request, project, form, role=None, saved_title=""):
    action = (
        reverse("role-edit", args=[project.slug, role.pk])
        if role
        else reverse("role-create", args=[project.slug])
    )
    context = {
        "project": project,
        "form": form,
        "role": role,
        "saved_title": saved_title,
        "action": action,
    }
    if not request.htmx:
        status = UNPROCESSABLE if form.is_bound else 200
        return render(request, FORM_TEMPLATE, context, status=status)
    response = render(request, f"{FORM_TEMPLATE}#role-form", context)
    if form.is_bound:
        # htmx 2 swaps no 4xx answer, so a refused form comes back as 200 and
        # replaces itself (not the roles section it targets on success).
        retarget(response, "this")
        reswap(response, "outerHTML")
    return response


def _save(request, project, form, notice: str):
    role = services.save_role(request.user, form.save(commit=False), form.cleaned_data["skills"])
    return _role_changed(
        request, project, double_submit.notice(role, notice % {"title": role.title})
    )


@htmx_or_page
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def role_create(request, slug):
    project = get_project_for_editing(request, slug)
    form = RoleForm(
        request.POST if request.method == "POST" else None, instance=Role(project=project)
    )
    if form.is_bound and form.is_valid():
        return _save(request, project, form, _("The role “%(title)s” has been added."))
    return _render_form(request, project, form)


@htmx_or_page
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def role_edit(request, slug, role_id):
    project = get_project_for_editing(request, slug)
    role = _get_role(project, role_id)
    # Validation writes the submitted values onto the role; the heading keeps the saved title.
    saved_title = role.text_for("title")
    form = RoleForm(request.POST if request.method == "POST" else None, instance=role)
    if form.is_bound and form.is_valid():
        return _save(request, project, form, _("The role “%(title)s” has been saved."))
    return _render_form(request, project, form, role=role, saved_title=saved_title)


@htmx_or_page
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def role_delete(request, slug, role_id):
    project = get_project_for_editing(request, slug)
    role = _get_role(project, role_id)
    if request.method == "POST":
        services.delete_role(request.user, role)
        notice = _("The role “%(title)s” has been deleted.") % {"title": role.title}
        return _role_changed(request, project, notice)
    template = f"{FORM_TEMPLATE}#role-delete" if request.htmx else FORM_TEMPLATE
    return render(request, template, {"project": project, "role": role, "deleting": True})
