"""Following a project: anyone with an account may, to hear about its updates."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from accounts import following
from marketplace import notifications
from marketplace.views.projects import get_project_for_viewing

NOTICES = {
    "follow": _("You follow this project. You will be notified of its updates."),
    "unfollow": _("You no longer follow this project."),
}


@vary_on_headers("HX-Request")
@require_POST
@login_required
def project_follow(request, slug):
    return following.handle_follow(
        request,
        get_project_for_viewing(request, slug),
        follow=notifications.follow,
        unfollow=notifications.unfollow,
        is_following=notifications.is_following,
        follow_url=reverse("project-follow", kwargs={"slug": slug}),
        notices=NOTICES,
    )
