"""The Frictionless data package: valid, and every CSV download matches its Table Schema."""

import json
from datetime import date
from urllib.parse import urlsplit

import frictionless
import pytest
from django.conf import settings
from django.urls import reverse

from marketplace.models import ProjectUpdate
from marketplace.open_data import DATASETS
from participation.models import Membership
from tests.factories import ProjectFactory, RoleFactory, TopicFactory
from tests.factories_participation import ProposalFactory, ProposalSupportFactory
from tests.factories_rounds import IdeaFactory, published_feedback_round
from tests.workload.workload_factories import PersonFactory
from workload import snapshots

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    """At least one record with every kind of value: lists, dates, empties, umlauts."""
    project = ProjectFactory(title="Bürgeramt=digital", starts_on=date(2026, 1, 5))
    project.topics.set([TopicFactory(), TopicFactory()])
    role = RoleFactory(project=project, hours_per_week=20)
    Membership.objects.create(project=project, role=role, person=PersonFactory())
    ProjectUpdate.objects.create(project=project, title="Start", text="Es geht los.")
    ProjectFactory(is_internal=True, internal_reason="Intern.")
    ProposalSupportFactory(proposal=ProposalFactory(title="@Straßen ohne Löcher"))
    snapshots.take_snapshot(date(2026, 11, 1))
    published_feedback_round()
    IdeaFactory(title="Aushänge im Kiez")


def _package(client) -> dict:
    response = client.get(reverse("open-data-datapackage"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_the_data_package_is_valid(client):
    report = frictionless.Package.validate_descriptor(_package(client))
    assert report.valid, report.flatten(["type", "note"])


def test_it_has_a_table_schema_with_a_key_for_every_csv(client):
    package = _package(client)
    resources = {resource["name"]: resource for resource in package["resources"]}
    assert set(resources) == set(DATASETS)
    for slug, resource in resources.items():
        assert resource["path"] == f"{settings.SITE_URL}/open-data/{slug}.csv"
        fields = resource["schema"]["fields"]
        assert [field["name"] for field in fields] == DATASETS[slug].field_names
        assert all(field["description"] for field in fields)
        assert resource["schema"]["primaryKey"] == ["id"]
    kinds = {field["name"]: field["type"] for field in resources["projects"]["schema"]["fields"]}
    assert kinds["id"] == "integer"
    assert kinds["internal"] == "boolean"
    assert kinds["start"] == "date"
    assert kinds["last_change"] == "datetime"


def test_the_descriptions_are_the_dictionarys_in_the_visitors_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    fields = _package(client)["resources"][0]["schema"]["fields"]
    assert "Nummer" in fields[0]["description"]


def test_every_csv_validates_against_its_schema(client, records, tmp_path):
    package = _package(client)
    for resource in package["resources"]:
        csv = client.get(urlsplit(resource["path"]).path)
        assert csv.status_code == 200
        (tmp_path / f"{resource['name']}.csv").write_bytes(b"".join(csv.streaming_content))
        resource["path"] = f"{resource['name']}.csv"
        report = frictionless.validate(frictionless.Resource(resource, basepath=str(tmp_path)))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        assert report.task.stats["rows"] >= 1  # records were read, not an empty file


def test_a_csv_that_breaks_its_schema_is_caught(client, records, tmp_path):
    """Self-test: the validation above would see a wrong type."""
    package = _package(client)
    resource = next(item for item in package["resources"] if item["name"] == "projects")
    lines = (
        b"".join(client.get(urlsplit(resource["path"]).path).streaming_content)
        .decode("utf-8-sig")
        .splitlines()
    )
    header, first, *rest = lines
    (tmp_path / "projects.csv").write_text("\n".join([header, "x" + first, *rest]) + "\n")
    resource["path"] = "projects.csv"
    report = frictionless.validate(frictionless.Resource(resource, basepath=str(tmp_path)))
    assert not report.valid
