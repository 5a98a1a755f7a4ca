"""/workload/: who sees what, the CSV export, snapshots by hand, bad input, query counts."""

import csv
import io
from datetime import date, timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.admin import helpers
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from participation.models import Membership
from tests.factories import (
    AdminFactory,
    CitizenFactory,
    DepartmentFactory,
    ProjectFactory,
    RoleFactory,
)
from tests.workload.workload_factories import PersonFactory
from workload import snapshots
from workload.models import WorkloadSnapshot

URL = "/workload/"
EXPORT = "/workload/export.csv"
DAY = date(2026, 3, 1)
pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the assertions read English
    if user is not None:
        client.force_login(user)
    return client


def member(person, project, hours):
    role = RoleFactory(project=project, hours_per_week=hours)
    Membership.objects.create(
        project=project,
        role=role,
        person=person,
        hours_per_week=hours,
        started_on=DAY - timedelta(days=10),
    )


class World:
    """Senate S > division S-I (headed) > unit S-I-A, and division S-II beside it."""

    def __init__(self):
        self.project = ProjectFactory(leads=[])
        self.senate = DepartmentFactory(code="S", name="Senat")
        self.head = PersonFactory(display_name="Helga Head")
        self.division = DepartmentFactory(
            code="S-I", name="Abteilung Eins", parent=self.senate, head=self.head
        )
        self.head.department = self.division
        self.head.save()
        self.unit = DepartmentFactory(code="S-I-A", name="Referat Eins A", parent=self.division)
        self.other = DepartmentFactory(code="S-II", name="Abteilung Zwei", parent=self.senate)
        self.unit_people = self.people(self.unit, 3, "Unit")
        self.division_people = self.people(self.division, 3, "Division")
        self.other_people = self.people(self.other, 6, "Other")
        for person in self.unit_people + self.division_people:
            member(person, self.project, 30)
        self.snapshot = snapshots.take_snapshot(DAY)

    def people(self, department, count, label):
        return [
            PersonFactory(department=department, display_name=f"{label} Person {n}")
            for n in range(count)
        ]


@pytest.fixture
def world():
    return World()


def page(user, url=URL, status=200) -> str:
    response = client_for(user).get(url)
    assert response.status_code == status
    return response.content.decode()


# --- Who sees what ----------------------------------------------------------------------


def test_the_public_sees_the_organisation_and_departments_of_five_or_more(world):
    html = page(None)
    assert "The whole organisation" in html
    assert "Abteilung Eins" in html and "Abteilung Zwei" in html
    assert "Referat Eins A" not in html  # three people: they could be singled out
    assert "Person" not in html
    assert EXPORT not in html and "Take a snapshot now" not in html
    assert 'role="img"' in html and "<table" in html and "<title" in html


def test_an_employee_sees_their_own_row_but_nobody_elses(world):
    person = world.unit_people[0]
    html = page(person)
    assert "Your week" in html
    assert "30 of 40 hours in projects (75 %), 25 % for your department." in html
    assert "On target" in html
    assert "Unit Person 1" not in html and "Other Person 0" not in html
    assert "Referat Eins A" not in html
    assert 'href="/me/"' in html


def test_a_head_sees_their_departments_and_people_but_no_others(world):
    html = page(world.head)
    assert "Your departments" in html
    assert "Referat Eins A" in html
    assert "Unit Person 2" in html and "Division Person 0" in html and "Helga Head" in html
    assert "Other Person" not in html and "Abteilung Zwei" not in html
    assert f'href="/workload/departments/{world.unit.pk}/?snapshot={world.snapshot.pk}"' in html
    assert f"{EXPORT}?snapshot={world.snapshot.pk}" in html
    assert "Trends of the departments" in html


def test_a_head_opens_their_departments_and_is_refused_others(world):
    html = page(world.head, f"/workload/departments/{world.unit.pk}/")
    assert "Unit Person 0" in html and "Division Person 0" not in html
    assert page(world.head, f"/workload/departments/{world.division.pk}/").count("Person") > 3
    page(world.head, f"/workload/departments/{world.other.pk}/", status=404)
    page(world.head, f"/workload/departments/{world.senate.pk}/", status=404)
    page(world.head, "/workload/departments/999999/", status=404)


def test_departments_pages_are_for_heads_and_administrators_only(world):
    url = f"/workload/departments/{world.unit.pk}/"
    page(world.unit_people[0], url, status=404)
    page(CitizenFactory(), url, status=404)
    response = client_for().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_administrator_sees_everything(world):
    html = page(AdminFactory())
    for name in ["Unit Person 0", "Division Person 2", "Other Person 5", "Referat Eins A"]:
        assert name in html
    assert "Take a snapshot now" in html
    assert "Distribution in the organisation" in html
    html = page(AdminFactory(), f"/workload/departments/{world.other.pk}/")
    assert "Other Person 3" in html


def test_a_head_sees_a_mover_in_the_department_of_the_day(world):
    mover = world.unit_people[0]
    mover.department = world.other
    mover.save()
    later = snapshots.take_snapshot(DAY + timedelta(days=31))

    assert "Unit Person 0" in page(world.head, f"{URL}?snapshot={world.snapshot.pk}")
    assert "Unit Person 0" not in page(world.head, f"{URL}?snapshot={later.pk}")
    assert "Unit Person 0" in page(AdminFactory(), f"/workload/departments/{world.other.pk}/")


def test_the_page_says_so_before_the_first_snapshot(db):
    assert "No snapshot has been taken yet" in page(None)
    assert "No snapshot has been taken yet" in page(AdminFactory())


# --- CSV export -------------------------------------------------------------------------


def exported(user, query="") -> list[dict]:
    response = client_for(user).get(EXPORT + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_heads_export_their_departments_only(world):
    names = {row["employee"] for row in exported(world.head)}
    assert names == {
        "Helga Head",
        *(p.display_name for p in world.unit_people + world.division_people),
    }
    unit_rows = exported(world.head, f"?department={world.unit.pk}")
    assert {row["department_code"] for row in unit_rows} == {"S-I-A"}
    row = unit_rows[0]
    assert (row["project_hours"], row["project_share"], row["state"]) == ("30", "0.7500", "on")
    assert row["reference_date"] == "2026-03-01"


def test_heads_cannot_export_other_departments(world):
    response = client_for(world.head).get(f"{EXPORT}?department={world.other.pk}")
    assert response.status_code == 404


def test_administrators_export_everyone(world):
    assert len(exported(AdminFactory())) == 13


def test_the_export_is_refused_to_everyone_else(world):
    assert client_for(world.unit_people[0]).get(EXPORT).status_code == 403
    assert client_for(CitizenFactory()).get(EXPORT).status_code == 403
    assert client_for().get(EXPORT).status_code == 302


def test_names_cannot_smuggle_formulas_into_a_spreadsheet(world):
    AdminFactory(display_name="=HYPERLINK(1)", department=world.unit)
    snapshot = snapshots.take_snapshot(DAY)
    names = {row["employee"] for row in exported(AdminFactory(), f"?snapshot={snapshot.pk}")}
    assert "'=HYPERLINK(1)" in names


# --- Snapshots by hand ------------------------------------------------------------------


def test_administrators_take_a_snapshot_with_the_button(world):
    administrator = AdminFactory()
    response = client_for(administrator).post("/workload/snapshots/new/")
    snapshot = WorkloadSnapshot.objects.first()
    assert response.status_code == 302
    assert response["Location"] == f"/workload/?snapshot={snapshot.pk}"
    assert (snapshot.origin, snapshot.created_by) == ("button", administrator)
    assert WorkloadSnapshot.objects.count() == 2


def test_nobody_else_takes_snapshots(world):
    assert client_for(world.head).post("/workload/snapshots/new/").status_code == 403
    assert client_for().post("/workload/snapshots/new/").status_code == 403
    assert client_for(AdminFactory()).get("/workload/snapshots/new/").status_code == 405
    assert WorkloadSnapshot.objects.count() == 1


def test_administrators_take_a_snapshot_with_the_admin_action(db):
    administrator = AdminFactory()
    TOTP.activate(administrator, generate_totp_secret())
    PersonFactory()
    changelist = "/admin/workload/workloadsnapshot/"
    client = client_for(administrator)
    assert "take_snapshot_now" in client.get(changelist).content.decode()

    response = client.post(changelist, {"action": "take_snapshot_now", "index": 0})

    assert response.status_code == 302
    snapshot = WorkloadSnapshot.objects.get()
    assert (snapshot.origin, snapshot.created_by) == ("admin", administrator)
    client.post(
        changelist,
        {"action": "take_snapshot_now", "index": 0, helpers.ACTION_CHECKBOX_NAME: [snapshot.pk]},
    )
    assert WorkloadSnapshot.objects.count() == 2


def test_snapshots_are_read_only_in_the_admin(world):
    administrator = AdminFactory()
    TOTP.activate(administrator, generate_totp_secret())
    client = client_for(administrator)
    snapshot, row = world.snapshot, world.snapshot.rows.first()
    assert client.get(f"/admin/workload/workloadsnapshot/{snapshot.pk}/change/").status_code == 200
    assert client.get("/admin/workload/workloadsnapshot/add/").status_code == 403
    assert client.post(f"/admin/workload/workloadrow/{row.pk}/delete/").status_code == 403
    assert client.get(f"/admin/workload/workloadrow/{row.pk}/change/").status_code == 200


# --- Bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("?snapshot=abc", 400),
        ("?snapshot=-1", 400),
        ("?snapshot=0", 400),
        ("?snapshot=1.5", 400),
        ("?snapshot=99999999999999999999", 400),
        ("?snapshot=2147483000", 404),
        ("?page=abc", 404),
        ("?page=99", 404),
    ],
)
def test_bad_queries_get_a_clear_4xx(world, query, status):
    administrator = AdminFactory()
    assert client_for(administrator).get(URL + query).status_code == status
    department = f"/workload/departments/{world.unit.pk}/"
    assert client_for(administrator).get(department + query).status_code == status
    if "page" not in query:
        assert client_for(administrator).get(EXPORT + query).status_code == status
    assert client_for().get(URL + query).status_code in {status, 200}  # no people list


@pytest.mark.parametrize("department", ["abc", "-3", "99999999999999999999"])
def test_a_malformed_department_in_the_export_is_a_bad_request(world, department):
    response = client_for(AdminFactory()).get(f"{EXPORT}?department={department}")
    assert response.status_code == 400


def test_department_ids_beyond_the_database_range_are_not_found(world):
    response = client_for(AdminFactory()).get("/workload/departments/99999999999999999999/")
    assert response.status_code == 404


# --- A fixed number of queries ----------------------------------------------------------


def queries_for_page(user_factory, rows: int) -> int:
    department = DepartmentFactory()
    head = PersonFactory(department=department)
    department.head = head
    department.save()
    project = ProjectFactory(leads=[])
    for person in PersonFactory.create_batch(rows, department=department):
        member(person, project, 8)
    snapshots.take_snapshot(DAY - timedelta(days=31))
    snapshots.take_snapshot(DAY)
    user = user_factory(head, department)
    client = client_for(user)
    client.get(URL)  # warm caches that a running server keeps (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


VIEWERS = {
    "anonymous": lambda head, department: None,
    "employee": lambda head, department: PersonFactory(department=department),
    "head": lambda head, department: head,
    "administrator": lambda head, department: AdminFactory(),
}


@pytest.mark.parametrize("viewer", list(VIEWERS))
def test_the_report_costs_the_same_queries_for_3_or_30_people(viewer, db):
    few = queries_for_page(VIEWERS[viewer], 3)
    WorkloadSnapshot.objects.all().delete()
    many = queries_for_page(VIEWERS[viewer], 30)
    assert few == many


def test_the_department_page_costs_the_same_queries_for_3_or_30_people(db):
    def count(rows):
        department = DepartmentFactory()
        for child in range(2):
            DepartmentFactory(parent=department, code=f"{department.code}-{child}")
        project = ProjectFactory(leads=[])
        for person in PersonFactory.create_batch(rows, department=department):
            member(person, project, 8)
        snapshots.take_snapshot(DAY)
        client = client_for(AdminFactory())
        url = f"/workload/departments/{department.pk}/"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert count(3) == count(30)


def test_the_dashboard_links_to_the_report(world):
    assert f'href="{URL}"' in page(world.unit_people[0], "/me/")
