"""Steps that cannot be undone, each confirmed on a page of its own.

Deleting a draft and moving a project to a final status (completed,
cancelled) are asked on a GET page whose form POSTs; the page works without
JavaScript and nothing is ever pre-selected for the lead.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from marketplace import services
from marketplace.models import ProjectStatus
from marketplace.views.projects import get_project_for_editing, needs_confirmation, refuse

CONFIRM_TEMPLATE = "marketplace/project_confirm.html"

# What each final status means for the project, said on its confirmation page.
CONSEQUENCES = {
    ProjectStatus.COMPLETED: gettext_lazy(
        "The project is then finished: its status, its phase and its updates cannot change "
        "any more, and no one can join it."
    ),
    ProjectStatus.CANCELLED: gettext_lazy(
        "The project is then stopped for good: its status, its phase and its updates cannot "
        "change any more, and no one can join it."
    ),
}


@require_safe
@login_required
def project_status_confirm(request, slug):
    """Ask before a final status; the form posts to the ordinary status view."""
    project = get_project_for_editing(request, slug)
    target = request.GET.get("status", "")
    if not needs_confirmation(project, target):
        message = _("This status change needs no confirmation or is not possible.")
        return refuse(request, project, [message])
    context = {
        "project": project,
        "target": target,
        "target_label": ProjectStatus(target).label,
        "consequence": CONSEQUENCES[target],
    }
    return render(request, CONFIRM_TEMPLATE, context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def project_delete(request, slug):
    project = get_project_for_editing(request, slug)
    if not project.is_draft:
        message = _("Only a draft can be deleted; a published project can be cancelled instead.")
        return refuse(request, project, [message])
    if request.method != "POST":
        return render(request, CONFIRM_TEMPLATE, {"project": project, "deleting": True})
    try:
        services.delete_draft(request.user, project)
    except ValidationError as error:
        return refuse(request, project, error.messages)
    messages.success(
        request, _("The draft “%(title)s” has been deleted.") % {"title": project.title}
    )
    return redirect("project-list")
