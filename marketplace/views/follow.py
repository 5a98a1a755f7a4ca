"""Following a project: anyone with an account may, to hear about its updates."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts import following
from marketplace import notifications
from marketplace.views.projects import get_project_for_viewing


@vary_on_headers("HX-Request")
@require_POST
@login_required
def project_follow(request, slug):
    project = get_project_for_viewing(request, slug)
    follow_url = reverse("project-follow", kwargs={"slug": slug})
    action = following.requested_action(request)
    if action is None:
        is_following = notifications.is_following(request.user, project)
        return following.refused(request, following=is_following, follow_url=follow_url)
    if action == "follow":
        notifications.follow(request.user, project)
        notice = _("You follow this project. You will be notified of its updates.")
    else:
        notifications.unfollow(request.user, project)
        notice = _("You no longer follow this project.")
    return following.follow_answer(
        request,
        following=action == "follow",
        follow_url=follow_url,
        back_url=project.get_absolute_url() + "#follow-box",
        notice=notice,
    )
