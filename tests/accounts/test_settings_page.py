"""/me/settings/: people edit their own profile and language."""

import pytest

from accounts.models import AuditEvent, User
from tests.factories import CitizenFactory, EmployeeFactory, SkillFactory, TopicFactory

URL = "/me/settings/"


def employee_data(**overrides):
    data = {
        "display_name": "Erika Muster",
        "preferred_language": "de",
        "weekly_hours": "32",
        "bio": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def participant_data(**overrides):
    data = {
        "display_name": "Clara",
        "preferred_language": "de",
        "kind": "citizen",
        "offers": ["feedback"],
        "organisation_name": "",
        "organisation_type": "",
        "bio": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_each_person_sees_only_their_own_settings(client, db):
    owner, outsider = CitizenFactory(display_name="Owner"), CitizenFactory(display_name="Outsider")
    client.force_login(outsider)
    page = client.get(URL).content.decode()
    assert 'value="Outsider"' in page
    assert 'value="Owner"' not in page
    assert owner.display_name == "Owner"


def test_an_employee_updates_hours_skills_and_interests(client, db):
    employee = EmployeeFactory()
    skill, interest = SkillFactory(), SkillFactory()
    client.force_login(employee)
    response = client.post(URL, employee_data(skills=[skill.pk], interests=[interest.pk]))
    assert response.status_code == 302
    employee.refresh_from_db()
    assert employee.weekly_hours == 32
    assert list(employee.skills.all()) == [skill]
    assert list(employee.interests.all()) == [interest]
    assert AuditEvent.objects.filter(verb="profile.updated", actor=employee).exists()


def test_changing_the_language_switches_the_portal(client, db):
    employee = EmployeeFactory()
    client.force_login(employee)
    response = client.post(URL, employee_data(preferred_language="en"), follow=True)
    assert client.cookies["pm_language"].value == "en"
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.parametrize("hours", ["0", "61", "-5", "forty", "", "1" * 10_000])
def test_invalid_weekly_hours_get_a_form_error_and_422(client, db, hours):
    employee = EmployeeFactory(weekly_hours=40)
    client.force_login(employee)
    response = client.post(URL, employee_data(weekly_hours=hours))
    assert response.status_code == 422
    assert "weekly_hours" in response.context["form"].errors
    employee.refresh_from_db()
    assert employee.weekly_hours == 40


def test_an_employee_cannot_change_their_kind_or_department(client, db):
    employee = EmployeeFactory()
    department = employee.department
    client.force_login(employee)
    client.post(URL, employee_data(kind="citizen", department="999", is_staff="on"))
    employee.refresh_from_db()
    assert employee.kind == User.Kind.EMPLOYEE
    assert employee.department == department
    assert not employee.is_staff


def test_a_citizen_becomes_an_organisation(client, db):
    citizen = CitizenFactory()
    topic = TopicFactory()
    client.force_login(citizen)
    data = participant_data(
        kind="organisation",
        organisation_name="Kiezlabor",
        organisation_type="association",
        topics=[topic.pk],
    )
    assert client.post(URL, data).status_code == 302
    citizen.refresh_from_db()
    assert citizen.kind == User.Kind.ORGANISATION
    assert list(citizen.topics.all()) == [topic]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "employee"}, "kind"),
        ({"kind": "organisation"}, "organisation_name"),
        ({"offers": None}, "offers"),
        ({"topics": ["424242"]}, "topics"),
        ({"display_name": "x" * 10_000}, "display_name"),
        ({"bio": "x" * 10_000}, "bio"),
        ({"preferred_language": "fr"}, "preferred_language"),
    ],
)
def test_bad_participant_input_gets_a_form_error_and_422(client, db, overrides, field):
    citizen = CitizenFactory()
    client.force_login(citizen)
    response = client.post(URL, participant_data(**overrides))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    citizen.refresh_from_db()
    assert citizen.kind == User.Kind.CITIZEN


def test_settings_page_links_to_email_password_and_mfa(client, db):
    client.force_login(CitizenFactory())
    page = client.get(URL).content.decode()
    for path in ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/", "/me/data/"]:
        assert f'href="{path}"' in page
