"""What every page's header needs about the signed-in person."""

from functools import cache


def notifications(request):
    """The unread count: a callable, so the query runs only where a template shows it, once."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from accounts.notifications import unread_count  # the models load after this module

    return {"unread_notifications": cache(lambda: unread_count(user))}
