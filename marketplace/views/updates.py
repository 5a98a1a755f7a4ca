"""Leads post updates to a project's public timeline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import double_submit
from marketplace import services
from marketplace.forms import ProjectUpdateForm
from marketplace.views.projects import get_project_for_editing

FORM_TEMPLATE = "marketplace/update_form.html"
BAD_REQUEST = 400
UNPROCESSABLE = 422


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def update_create(request, slug):
    project = get_project_for_editing(request, slug)
    form = ProjectUpdateForm(request.POST if request.method == "POST" else None, project=project)
    status = 200
    if project.is_draft:
        # Updates are public: a draft has no public yet.
        messages.error(request, _("Publish the project before you post updates."))
        status = BAD_REQUEST
    elif project.is_closed:
        messages.error(request, _("The project is closed: no more updates can be posted."))
        status = BAD_REQUEST
    elif form.is_bound and form.is_valid():
        try:
            update = services.post_update(
                request.user,
                project,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                language=form.cleaned_data["language"],
                move_to_next_phase=form.cleaned_data.get("move_to_next_phase", False),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, double_submit.notice(update, _("The update is published.")))
            return redirect(update)
    if form.is_bound and status == 200:
        status = UNPROCESSABLE
    return render(request, FORM_TEMPLATE, {"form": form, "project": project}, status=status)
