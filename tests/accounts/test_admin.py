"""Administrators manage departments and people in Django admin, behind a second factor."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail

from accounts.models import AuditEvent, Department, User
from tests.factories import PASSWORD, AdminFactory, DepartmentFactory, EmployeeFactory


@pytest.fixture
def admin_client(client, db):
    """A signed-in administrator who has set up TOTP."""
    administrator = AdminFactory()
    TOTP.activate(administrator, generate_totp_secret())
    client.force_login(administrator)
    client.administrator = administrator
    return client


def current_code(secret: str, periods_ago: int = 0) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 - periods_ago))


def test_an_administrator_without_mfa_is_sent_to_set_it_up(client, db):
    client.force_login(AdminFactory())
    for path in ["/admin/", "/admin/accounts/department/", "/admin/accounts/user/add/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_admin_sign_in_goes_through_allauth(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_signed_in_administrator_is_led_from_the_admin_sign_in_to_admin(admin_client):
    response = admin_client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    response = admin_client.get("/admin/login/?next=/admin/accounts/department/")
    assert response["Location"] == "/admin/accounts/department/"
    # Only addresses of the portal itself: no open redirect.
    response = admin_client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/admin/"
    assert admin_client.get("/admin/login/", follow=True).status_code == 200


def test_a_signed_in_person_without_admin_access_is_told_so(client, db):
    employee = EmployeeFactory(display_name="Erika Beispiel")
    client.force_login(employee)
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "Erika Beispiel" in text
    assert 'href="/accounts/logout/"' in text


def test_an_administrator_signs_in_with_password_and_code(client, db):
    administrator = AdminFactory()
    secret = generate_totp_secret()
    TOTP.activate(administrator, secret)
    response = client.post("/accounts/login/", {"login": administrator.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302  # not signed in before the second factor
    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(("periods_ago", "accepted"), [(1, True), (3, False)])
def test_a_code_of_the_period_just_past_is_accepted_an_older_one_not(
    client, db, periods_ago, accepted
):
    """Typed at the end of its 30 s, a code arrives in the next period; older ones are refused."""
    administrator = AdminFactory()
    secret = generate_totp_secret()
    TOTP.activate(administrator, secret)
    client.post("/accounts/login/", {"login": administrator.email, "password": PASSWORD})
    response = client.post(
        "/accounts/2fa/authenticate/", {"code": current_code(secret, periods_ago)}
    )
    assert (response.status_code == 302) is accepted
    assert (client.get("/admin/").status_code == 200) is accepted


def test_employees_and_citizens_cannot_use_admin(client, db):
    client.force_login(EmployeeFactory())
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert client.get("/admin/accounts/user/").status_code == 302


def test_an_administrator_builds_a_department_tree(admin_client):
    head = EmployeeFactory()
    response = admin_client.post(
        "/admin/accounts/department/add/",
        {
            "name": "Senatsverwaltung Test",
            "code": "SENT",
            "head": head.pk,
            "is_active": "on",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    senate = Department.objects.get(code="SENT")
    admin_client.post(
        "/admin/accounts/department/add/",
        {
            "name": "Abteilung Test",
            "code": "SENT-I",
            "parent": senate.pk,
            "is_active": "on",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )
    division = Department.objects.get(code="SENT-I")
    assert division.parent == senate
    DepartmentFactory(code="SENT-I-A", name="Referat Test", parent=division)
    page = admin_client.get("/admin/accounts/department/").content.decode()
    # The tree is listed parent first, children indented below.
    assert (
        page.index("Senatsverwaltung Test")
        < page.index("— Abteilung Test")
        < page.index("— — Referat Test")
    )


def test_the_department_list_counts_people_and_lists_members(admin_client):
    department = DepartmentFactory(name="Referat Zählen")
    EmployeeFactory.create_batch(3, department=department)
    page = admin_client.get("/admin/accounts/department/").content.decode()
    assert re.search(r"Referat Zählen.*?<td class=\"field-member_count\">3</td>", page, re.S)
    change = admin_client.get(
        f"/admin/accounts/department/{department.pk}/change/"
    ).content.decode()
    assert change.count("@example.org") >= 3


def test_a_department_with_members_cannot_be_deleted(admin_client):
    department = DepartmentFactory()
    EmployeeFactory(department=department)
    page = admin_client.get(f"/admin/accounts/department/{department.pk}/delete/")
    assert page.status_code == 200
    assert "protected" in page.content.decode() or "geschützt" in page.content.decode()
    admin_client.post(f"/admin/accounts/department/{department.pk}/delete/", {"post": "yes"})
    assert Department.objects.filter(pk=department.pk).exists()
    response = admin_client.post(
        "/admin/accounts/department/",
        {"action": "delete_selected", "_selected_action": [department.pk], "post": "yes"},
    )
    assert response.status_code in {200, 302}
    assert Department.objects.filter(pk=department.pk).exists()


def test_an_administrator_creates_an_employee_who_is_invited(admin_client):
    department = DepartmentFactory()
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "Neu.Mitarbeiterin@Example.org",
            "display_name": "Neu",
            "kind": "employee",
            "preferred_language": "de",
            "department": department.pk,
            "weekly_hours": "30",
        },
    )
    assert response.status_code == 302
    person = User.objects.get(email="neu.mitarbeiterin@example.org")
    assert (person.kind, person.department, person.weekly_hours) == ("employee", department, 30)
    assert not person.has_usable_password()
    assert EmailAddress.objects.get(user=person).verified
    assert AuditEvent.objects.filter(
        verb="account.invited", actor=admin_client.administrator
    ).exists()
    [invitation] = mail.outbox
    assert invitation.to == ["neu.mitarbeiterin@example.org"]
    assert "Passwort" in invitation.body
    link = re.search(r"https?://\S+(/accounts/password/reset/key/\S+/)", invitation.body).group(1)
    # The link works: following it leads to the form where the password is set.
    response = admin_client.get(link, follow=True)
    assert response.status_code == 200
    assert "password1" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"email": "taken@example.org"}, "email"),
        ({"weekly_hours": "0"}, "weekly_hours"),
        ({"weekly_hours": "61"}, "weekly_hours"),
        ({"display_name": "x" * 10_000}, "display_name"),
        ({"department": "999999"}, "department"),
        ({"kind": "superhero"}, "kind"),
    ],
)
def test_bad_employee_input_in_admin_gets_a_form_error(admin_client, overrides, field):
    EmployeeFactory(email="taken@example.org")
    data = {
        "email": "neu@example.org",
        "display_name": "Neu",
        "kind": "employee",
        "preferred_language": "de",
        "weekly_hours": "30",
    }
    data.update(overrides)
    response = admin_client.post("/admin/accounts/user/add/", data)
    assert response.status_code == 422
    assert field in response.context["adminform"].form.errors
    assert not mail.outbox


def test_the_audit_log_is_read_only(admin_client):
    from accounts import audit

    event = audit.record(admin_client.administrator, "test.happened")
    assert admin_client.get("/admin/accounts/auditevent/").status_code == 200
    assert admin_client.get(f"/admin/accounts/auditevent/{event.pk}/change/").status_code == 200
    assert admin_client.get("/admin/accounts/auditevent/add/").status_code == 403
    admin_client.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert AuditEvent.objects.filter(pk=event.pk).exists()
