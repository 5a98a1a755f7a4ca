"""Measure ``take_snapshot`` on a large organisation seeded into the configured database.

    manage.py bench_workload --employees 10000 --memberships 50000

Everything runs in one transaction that is rolled back at the end, so the
seeded people, projects, memberships, the snapshots and any notification leave
nothing behind, even when the command fails half-way. It first measures a small
slice of the organisation, then the whole, to show that the number of queries
does not grow with the number of employees.
"""

import random
import time
import uuid
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Department, User
from marketplace.models import Project, Role
from participation.models import Membership
from workload.models import WorkloadSnapshot
from workload.snapshots import take_snapshot

ROLES_PER_PROJECT = 5
WEEKLY_HOURS = [40, 40, 40, 39, 35, 30, 20]
ROLE_HOURS = [2, 4, 4, 6, 8, 8, 10, 12]
SEED = 7


class Command(BaseCommand):
    help = "Seed a large organisation, time a workload snapshot, count its queries, roll back."

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=10_000)
        parser.add_argument("--memberships", type=int, default=50_000)
        parser.add_argument("--projects", type=int, default=400)
        parser.add_argument("--slice", type=int, default=100, help="employees in the small run")

    def handle(self, *args, **options):
        employees, memberships = options["employees"], options["memberships"]
        self.verbosity = options["verbosity"]
        per_person = -(-memberships // max(employees, 1))
        if employees < 1 or per_person > options["projects"] * ROLES_PER_PROJECT:
            raise CommandError("Need at least one employee and enough roles for the memberships.")
        self.random = random.Random(SEED)
        self.tag = uuid.uuid4().hex[:8]
        with transaction.atomic():
            self._run(employees, memberships, options)
            transaction.set_rollback(True)  # the clean-up: nothing seeded stays
        self.stdout.write("Rolled back: the seeded rows are gone.")

    def _run(self, employees, memberships, options):
        started = time.perf_counter()
        units = self._departments()
        roles = self._roles(options["projects"])
        small = min(options["slice"], employees)
        small_memberships = memberships * small // employees
        self._people_with_memberships(small, small_memberships, units, roles, offset=0)
        self._analyse()
        self._measure(f"{small:,} employees / {small_memberships:,} memberships")
        self._people_with_memberships(
            employees - small, memberships - small_memberships, units, roles, offset=small
        )
        self.stdout.write(f"Seeded in {time.perf_counter() - started:.1f} s.")
        self._analyse()
        self._measure(f"{employees:,} employees / {memberships:,} memberships")

    def _measure(self, label: str) -> None:
        ContentType.objects.get_for_model(WorkloadSnapshot)  # cached from then on, as in a server
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            snapshot = take_snapshot(timezone.localdate(), origin=WorkloadSnapshot.Origin.BUTTON)
            seconds = time.perf_counter() - started
        if self.verbosity > 1:
            for query in queries.captured_queries:
                self.stdout.write(f"  {query['time']} s  {query['sql'][:100]}")
        self.stdout.write(
            f"{label}: snapshot in {seconds:.3f} s with {len(queries.captured_queries)} queries "
            f"({snapshot.employee_count:,} rows, {snapshot.department_figures.count()} "
            f"department figures, organisation {snapshot.project_percent} % in projects)"
        )

    def _analyse(self) -> None:
        """Fresh planner statistics, as autovacuum would have them in production."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (User, Department, Membership, Role, Project):
                    cursor.execute(f'ANALYZE "{model._meta.db_table}"')  # noqa: S608 - our table names

    def _departments(self) -> list[Department]:
        """A tree of three levels: 5 departments, 4 divisions each, 5 units each."""
        roots = Department.objects.bulk_create(
            Department(name=f"Bench {i}", code=f"B{self.tag}-{i}") for i in range(5)
        )
        divisions = Department.objects.bulk_create(
            Department(name=f"Bench {r.code}-{i}", code=f"{r.code}-{i}", parent=r)
            for r in roots
            for i in range(4)
        )
        return Department.objects.bulk_create(
            Department(name=f"Bench {d.code}-{i}", code=f"{d.code}-{i}", parent=d)
            for d in divisions
            for i in range(5)
        )

    def _roles(self, count: int) -> list[Role]:
        projects = Project.objects.bulk_create(
            Project(title=f"Bench {i}", slug=f"bench-{self.tag}-{i}", status="in_progress")
            for i in range(count)
        )
        return Role.objects.bulk_create(
            Role(
                project=project,
                title=f"Role {i}",
                audience="employees",
                hours_per_week=self.random.choice(ROLE_HOURS),
                seats=1,
            )
            for project in projects
            for i in range(ROLES_PER_PROJECT)
        )

    def _people_with_memberships(self, employees, memberships, units, roles, offset) -> None:
        if employees <= 0:
            return
        people = User.objects.bulk_create(
            (
                User(
                    email=f"bench-{self.tag}-{offset + i}@bench.invalid",
                    display_name=f"Bench Person {offset + i}",
                    kind=User.Kind.EMPLOYEE,
                    weekly_hours=self.random.choice(WEEKLY_HOURS),
                    # A tenth without a department, as with new starters.
                    department=None if i % 10 == 9 else self.random.choice(units),
                    password="!",  # unusable; hashing 10,000 passwords is not what we measure
                )
                for i in range(employees)
            ),
            batch_size=2000,
        )
        Membership.objects.bulk_create(self._memberships(people, memberships, roles), 5000)

    def _memberships(self, people, count, roles):
        today = timezone.localdate()
        for index in range(count):
            number, slot = divmod(index, len(people))  # the n-th membership of person ``slot``
            person = people[slot]
            role = roles[(slot * 13 + number) % len(roles)]  # distinct per person, spread out
            ended = index % 5 == 4  # a fifth ended before today: history the snapshot must skip
            yield Membership(
                project_id=role.project_id,
                role=role,
                person=person,
                hours_per_week=role.hours_per_week,
                started_on=today - timedelta(days=30 + index % 300),
                ended_on=today - timedelta(days=1 + index % 20) if ended else None,
            )
