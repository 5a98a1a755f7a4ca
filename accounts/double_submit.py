"""The same form sent twice within moments is one submission, not two.

A double click, a reload after POST or a flaky network sends a create form
again. The services that create rows look for a row with the same content,
made by the same person within ``REPEAT_WINDOW``, and hand that one back
instead of writing a second. They first lock a row that every such submit of
the person (or on the parent) must lock as well (``lock_person`` or the
parent's ``select_for_update``), so two submits at the same moment wait for
each other and the second finds the first.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User

# The same content sent again within this time is a double submit, not a new row.
REPEAT_WINDOW = datetime.timedelta(minutes=10)


def lock_person(person) -> None:
    """Serialise the creating submits of one person (inside the caller's transaction)."""
    User.objects.select_for_update().filter(pk=person.pk).first()


def find_repeat(queryset, **fields):
    """The row of ``queryset`` with these ``fields`` made within the window, or None.

    The row found is marked ``is_repeat``, so a view can say that nothing new was saved.
    """
    since = timezone.now() - REPEAT_WINDOW
    row = queryset.filter(created_at__gte=since, **fields).order_by("-created_at", "-pk").first()
    if row is not None:
        row.is_repeat = True
    return row


def is_repeat(row) -> bool:
    return getattr(row, "is_repeat", False)


def notice(row, first_time: str) -> str:
    """What the person is told: ``first_time``, or that the repeat saved nothing new."""
    if is_repeat(row):
        return gettext("You had already sent this a moment ago; it has been saved once.")
    return first_time
