"""Every numeric query parameter of every page and dataset, fed strings that are no number.

``int()`` reads "١٢" as 12 and " 1" as 1, and raises past 4,300 digits; the portal
must answer each of them with 400 or 404, never with a 500 or a page for a guess.
"""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

import accounts
from accounts.query_numbers import (
    WholeNumberField,
    is_whole_number,
    page_or_none,
    parse_whole_number,
)
from participation.models import Retrospective
from tests.factories import (
    AdminFactory,
    DepartmentFactory,
    ProjectFactory,
    SkillFactory,
    TopicFactory,
)
from workload import snapshots

BAD_NUMBERS = [
    "9" * 5000,  # int() raises: "Exceeds the limit (4300 digits)"
    "9" * 25,  # beyond every integer column
    "-1",
    "+1",
    "abc",
    "١٢",  # Arabic-Indic digits: int() reads 12
    "²",
    " 1",
    "1 ",
    "1\u00a0",
    "1.0",
    "1e3",
    "1_0",
    "0x1",
]

# (address, numeric parameter); "{project}" and "{department}" are filled in.
NUMERIC_PARAMETERS = [
    ("/projects/", "page"),
    ("/projects/", "department"),
    ("/projects/", "topic"),
    ("/projects/", "skill"),
    ("/projects/", "hours_min"),
    ("/projects/", "hours_max"),
    ("/participate/", "page"),
    ("/proposals/", "page"),
    ("/open-data/projects.json", "page"),
    ("/open-data/proposals.json", "page"),
    ("/open-data/workload.json", "page"),
    ("/me/notifications/", "page"),
    ("/projects/{project}/retrospectives/", "page"),
    ("/workload/", "page"),
    ("/workload/", "snapshot"),
    ("/workload/departments/{department}/", "page"),
    ("/workload/departments/{department}/", "snapshot"),
    ("/workload/export.csv", "snapshot"),
    ("/workload/export.csv", "department"),
    *[("/api/v1/projects/", name) for name in ("after", "limit", "department", "topic")],
    *[("/api/v1/projects/", name) for name in ("skill", "hours_min", "hours_max")],
    *[(f"/api/v1/{name}/", "after") for name in ("proposals", "workload")],
    *[(f"/api/v1/{name}/", "limit") for name in ("proposals", "workload")],
    ("/sitemap-projects.xml", "p"),
    ("/sitemap-proposals.xml", "p"),
    ("/open-data/projects.json", "after"),
    ("/projects/{project}/", "comments"),
]


@pytest.fixture
def world(client, db):
    """An administrator with a second factor, signed in, and one of everything."""
    administrator = AdminFactory()
    TOTP.activate(administrator, generate_totp_secret())
    department = DepartmentFactory(head=administrator)
    project = ProjectFactory(department=department, leads=[administrator])
    topic, skill = TopicFactory(), SkillFactory()
    Retrospective.objects.create(project=project, iteration="Sprint 1", went_well="Gut.")
    accounts.notify([administrator], "application_received", "numbers", url="/")
    snapshots.take_snapshot(timezone.localdate(), created_by=administrator)
    client.force_login(administrator)
    return {
        "project": project.slug,
        "department": department.pk,
        "topic": topic.pk,
        "skill": skill.pk,
    }


@pytest.mark.parametrize(("address", "parameter"), NUMERIC_PARAMETERS)
def test_a_valid_number_is_answered(client, world, address, parameter):
    """The baseline: the parameter is really read, and a fitting value is answered."""
    url = address.format(**world)
    value = {"snapshot": "999999", **world}.get(parameter, "1")
    response = client.get(url, {parameter: value})
    expected = 404 if parameter == "snapshot" else 200
    assert response.status_code == expected, (url, parameter)


@pytest.mark.parametrize(("address", "parameter"), NUMERIC_PARAMETERS)
def test_a_string_that_is_no_number_is_answered_with_400_or_404(client, world, address, parameter):
    """Every bad string against one world: building it per string cost 30 s of the suite."""
    url = address.format(**world)
    answered = {bad[:12]: client.get(url, {parameter: bad}).status_code for bad in BAD_NUMBERS}
    wrong = {bad: status for bad, status in answered.items() if status not in (400, 404)}
    assert not wrong, (url, parameter, wrong)


def test_an_id_in_the_path_too_long_for_the_database_is_not_found(client, world):
    for url in [f"/proposals/{'9' * 25}/", f"/workload/departments/{'9' * 5000}/"]:
        assert client.get(url).status_code == 404


def test_only_plain_ascii_digits_make_a_whole_number():
    assert parse_whole_number("0") == 0
    assert parse_whole_number("007") == 7
    assert parse_whole_number("9" * 18) == int("9" * 18)
    for bad in [*BAD_NUMBERS, "", None, 12]:
        assert parse_whole_number(bad) is None
    assert is_whole_number("9" * 5000)  # well formed, if too long to be an id or a page
    assert not is_whole_number("١٢")


def test_an_absent_page_is_the_first_and_page_zero_is_none():
    from django.core.paginator import Paginator

    paginator = Paginator(list(range(30)), 10)
    assert page_or_none(paginator, None).number == 1
    assert page_or_none(paginator, "").number == 1
    assert page_or_none(paginator, "3").number == 3
    assert page_or_none(paginator, "0") is None
    assert page_or_none(paginator, "4") is None
    assert page_or_none(paginator, "9" * 5000) is None


def test_the_whole_number_field_names_a_bad_value():
    field = WholeNumberField(required=False, min_value=0)
    assert field.clean("12") == 12
    assert field.clean("") is None
    form_errors = []
    for bad in BAD_NUMBERS:
        try:
            field.clean(bad)
        except Exception as error:  # noqa: BLE001 - collected and checked below
            form_errors.append(type(error).__name__)
    assert form_errors == ["ValidationError"] * len(BAD_NUMBERS)
