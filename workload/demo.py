"""Demo history for the workload report (`manage.py load_demo_data`).

Runs after the participation loader, which gives employees their memberships;
only once: a second run finds the snapshots and leaves everything as it is.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from participation.models import Membership
from workload import snapshots
from workload.models import WorkloadSnapshot


@transaction.atomic
def load_workload_history():
    if WorkloadSnapshot.objects.exists():
        return
    _workload_history()


def _first_of_month(day, months_back: int):
    year, month = divmod(day.year * 12 + day.month - 1 - months_back, 12)
    return day.replace(year=year, month=month + 1, day=1)


def _workload_history() -> None:
    """Memberships that began over the last months, and a snapshot on the first of each.

    So the report shows a trend: the share grows as people join projects.
    """
    today = timezone.localdate()
    running = Membership.objects.filter(ended_on__isnull=True, hours_per_week__isnull=False)
    for index, pk in enumerate(running.order_by("pk").values_list("pk", flat=True)):
        Membership.objects.filter(pk=pk).update(started_on=today - timedelta(days=index * 17 % 100))
    for months_back in (3, 2, 1):
        snapshots.take_scheduled_snapshot(_first_of_month(today, months_back))
    admin = User.objects.get(email="admin@example.org")
    snapshots.take_snapshot(today, created_by=admin, origin=WorkloadSnapshot.Origin.BUTTON)
