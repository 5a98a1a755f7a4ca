"""The organisation-wide workload figures as open data: aggregates only, never a person."""

import json
from datetime import date

import pytest
from django.urls import reverse

from participation.models import Membership
from tests.factories import DepartmentFactory, ProjectFactory, RoleFactory
from tests.workload.workload_factories import PersonFactory
from workload import snapshots

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot():
    department = DepartmentFactory(name="Referat Geheim", code="GEHEIM")
    people = [
        PersonFactory(department=department, display_name=f"Erika Muster {n}") for n in range(3)
    ]
    role = RoleFactory(project=ProjectFactory(), hours_per_week=30, seats=3)
    for person in people[:2]:
        Membership.objects.create(project=role.project, role=role, person=person)
    return snapshots.take_snapshot(date(2026, 11, 1))


def test_the_workload_json_holds_the_organisations_figures(client, snapshot):
    response = client.get(reverse("open-data-json", kwargs={"dataset": "workload"}))
    assert response.status_code == 200
    (record,) = json.loads(response.content)["results"]
    assert record["reference_date"] == "2026-11-01"
    assert record["employees"] == snapshot.employee_count
    assert record["project_share"] == str(snapshot.project_share)
    assert set(record) == {
        "id", "reference_date", "employees", "weekly_hours", "project_hours",
        "project_share", "department_share", "target", "tolerance", "taken_at",
    }  # fmt: skip


def test_the_workload_data_names_no_person_and_no_department(client, snapshot):
    for view in ("open-data-json", "open-data-csv"):
        body = client.get(reverse(view, kwargs={"dataset": "workload"})).getvalue()
        body = body.decode("utf-8-sig")
        assert "Erika" not in body
        assert "GEHEIM" not in body and "Geheim" not in body
        assert "@" not in body


def test_the_workload_csv_has_a_bom_and_the_open_data_page_lists_it(client, snapshot):
    csv = client.get(reverse("open-data-csv", kwargs={"dataset": "workload"})).getvalue()
    assert csv.startswith(b"\xef\xbb\xbf")
    assert b"reference_date" in csv.splitlines()[0]
    page = client.get(reverse("open-data"), headers={"accept-language": "en"}).content.decode()
    assert "/open-data/workload.json" in page
    assert "project_share" in page
