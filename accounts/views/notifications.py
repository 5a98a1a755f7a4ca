"""The inbox, the unread count in the header, email preferences and the one-click opt-out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import delivery
from accounts.forms import NotificationPreferencesForm
from accounts.models import Notification, User
from accounts.notification_messages import message_of, messages_of
from accounts.notification_preferences import (
    email_modes,
    kinds_for,
    save_email_modes,
    unsubscribe_from,
)
from accounts.query_numbers import page_or_404

PAGE_SIZE = 25
BAD_REQUEST = 400
UNPROCESSABLE = 422


def _own_notification(request, pk) -> Notification:
    # Someone else's notification is as absent as one that never existed.
    return get_object_or_404(Notification, pk=pk, recipient=request.user)


def _mark_read(notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


@require_safe
@login_required
def inbox(request):
    rows = Notification.objects.filter(recipient=request.user).order_by("-created_at", "-id")
    page = page_or_404(Paginator(rows, PAGE_SIZE), request.GET.get("page"))
    shown = list(page.object_list)
    items = [
        {"notification": row, "message": message}
        for row, message in zip(shown, messages_of(shown), strict=True)
    ]
    return render(
        request,
        "accounts/notifications/inbox.html",
        {"page_obj": page, "paginator": page.paginator, "items": items},
    )


@require_safe
@login_required
def unread_badge(request):
    """The header's count, polled by htmx every minute."""
    return render(request, "accounts/notifications/unread_badge.html")


@require_POST
@login_required
def mark_read(request, pk):
    notification = _own_notification(request, pk)
    _mark_read(notification)
    if request.htmx:
        return render(
            request,
            "accounts/notifications/inbox.html#item",
            {"item": {"notification": notification, "message": message_of(notification)}},
        )
    return redirect("notification-inbox")


@require_POST
@login_required
def mark_all_read(request):
    count = Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notification-inbox")


@require_safe
@login_required
def open_notification(request, pk):
    """Mark read and go to what the notification is about."""
    notification = _own_notification(request, pk)
    _mark_read(notification)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect("notification-inbox")
    return redirect(target)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def preferences(request):
    current = email_modes(request.user)
    form = NotificationPreferencesForm(
        request.POST if request.method == "POST" else None,
        current=current,
        kinds=kinds_for(request.user),
    )
    if form.is_bound:
        if not form.is_valid():
            return render(
                request,
                "accounts/notifications/preferences.html",
                {"form": form},
                status=UNPROCESSABLE,
            )
        save_email_modes(request.user, form.cleaned_data, current)
        messages.success(request, _("Your notification settings have been saved."))
        return redirect("notification-preferences")
    return render(request, "accounts/notifications/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058: mail programs POST here without a session or a CSRF token
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """The email's opt-out link: the signed token names the person and the kind.

    GET asks for confirmation (link scanners must not unsubscribe anyone);
    POST, from the page or from the mail program, switches that kind's email off.
    """
    try:
        user_id, kind = delivery.read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(
            request, "accounts/notifications/unsubscribe_invalid.html", status=BAD_REQUEST
        )
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return render(
            request, "accounts/notifications/unsubscribe_invalid.html", status=BAD_REQUEST
        )
    kind_label = Notification.Kind(kind).label
    if request.method == "POST":
        unsubscribe_from(user, kind)
        return render(
            request,
            "accounts/notifications/unsubscribe.html",
            {"done": True, "kind_label": kind_label},
        )
    return render(
        request,
        "accounts/notifications/unsubscribe.html",
        {"done": False, "kind_label": kind_label, "token": token},
    )
