"""The follow button shared by project and proposal pages.

Each page's view does the following itself (its app owns the model); this
module reads the button's form and answers it: for htmx with the button
again, otherwise with a redirect back to the page.
"""

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import audit

BUTTON_TEMPLATE = "includes/follow_button.html"
BAD_REQUEST = 400


def start_following(follow_model, user, target, **lookup) -> bool:
    """Create the follow row; True if this call did it (a double submit changes nothing).

    ``follow_model`` is the app's follow model, ``lookup`` names the followed
    object in it (``project=…``); ``target`` is what the audit event is about.
    """
    try:
        with transaction.atomic():
            follow_model.objects.create(follower=user, **lookup)
    except IntegrityError:
        return False
    audit.record(user, "follow.started", target)
    return True


def stop_following(follow_model, user, target, **lookup) -> bool:
    deleted, _ = follow_model.objects.filter(follower=user, **lookup).delete()
    if deleted:
        audit.record(user, "follow.stopped", target)
    return bool(deleted)


class FollowForm(forms.Form):
    # Explicit, not a toggle: a double submit leaves the same state.
    action = forms.ChoiceField(choices=[("follow", _("Follow")), ("unfollow", _("Unfollow"))])


def requested_action(request) -> str | None:
    """ "follow", "unfollow", or None for a tampered form."""
    form = FollowForm(request.POST)
    return form.cleaned_data["action"] if form.is_valid() else None


def handle_follow(request, target, *, follow, unfollow, is_following, follow_url, notices):
    """The whole follow view: read the form, change the follow, answer.

    ``follow``/``unfollow``/``is_following`` take (user, target); ``notices`` maps
    "follow"/"unfollow" to the message shown afterwards.
    """
    action = requested_action(request)
    if action is None:
        return refused(request, following=is_following(request.user, target), follow_url=follow_url)
    (follow if action == "follow" else unfollow)(request.user, target)
    return follow_answer(
        request,
        following=action == "follow",
        follow_url=follow_url,
        back_url=target.get_absolute_url() + "#follow-box",
        notice=str(notices[action]),
    )


def follow_answer(request, *, following: bool, follow_url: str, back_url: str, notice: str):
    if request.htmx:
        context = {"following": following, "follow_url": follow_url, "follow_notice": notice}
        return render(request, BUTTON_TEMPLATE, context)
    messages.success(request, notice)
    return redirect(back_url)


def refused(request, *, following: bool, follow_url: str):
    """A tampered form: the button with the reason for htmx (htmx 2 swaps no 4xx), else a 400."""
    error = gettext("Please use the button to follow or unfollow.")
    context = {"following": following, "follow_url": follow_url, "follow_notice": error}
    return render(request, BUTTON_TEMPLATE, context, status=200 if request.htmx else BAD_REQUEST)
