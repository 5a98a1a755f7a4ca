import io
import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts import audit
from accounts.models import AuditEvent, Department, User
from accounts.privacy import delete_account, export_personal_data
from tests.factories import (
    PASSWORD,
    AdminFactory,
    CitizenFactory,
    DepartmentFactory,
    OrganisationFactory,
    SkillFactory,
    TopicFactory,
)

DATA_URL = reverse("my-data")
EXPORT_URL = reverse("my-data-export")
DELETE_URL = reverse("delete-account")
CONFIRMED_DELETION = {"password": PASSWORD, "confirm": "on"}


def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def download_export(client) -> dict:
    response = client.get(EXPORT_URL)
    assert response.status_code == 200
    return json.loads(response.content)


# --- Export completeness ------------------------------------------------------------


def labels_relating_to_user() -> set[str]:
    """Every model with a foreign key, one-to-one or many-to-many field to the user."""
    user_model = get_user_model()
    return {
        model._meta.label_lower
        for model in apps.get_models()
        for field in [*model._meta.fields, *model._meta.many_to_many]
        if field.related_model is user_model
    }


def missing_from_export(export: dict) -> list[str]:
    """Model labels and own M2M fields of the user that the export leaves out."""
    missing = sorted(labels_relating_to_user() - export.keys())
    user_section = export.get("accounts.user", [{}])[0]
    missing += [
        f"accounts.user.{field.name}"
        for field in get_user_model()._meta.many_to_many
        if field.name not in user_section
    ]
    return missing


def test_export_covers_every_model_pointing_at_the_user(citizen):
    missing = missing_from_export(export_personal_data(citizen))

    assert not missing, (
        "These models or fields point at the user but are not in the personal data "
        f"export: {missing}. Register an exporter with accounts.privacy.register_exporter "
        "in the app's AppConfig.ready."
    )


def test_completeness_check_notices_a_missing_exporter(citizen):
    export = export_personal_data(citizen)
    del export["accounts.auditevent"]
    del export["accounts.user"][0]["topics"]

    assert {"accounts.auditevent", "accounts.user.topics"} <= set(missing_from_export(export))


def test_export_lists_the_relations_this_app_knows_about():
    # Guards the completeness walk itself: it must see relations of every kind.
    assert {
        "accounts.auditevent",
        "accounts.department",
        "account.emailaddress",
        "mfa.authenticator",
        "socialaccount.socialaccount",
        "admin.logentry",
    } <= labels_relating_to_user()


# --- Export content -----------------------------------------------------------------


def test_owner_downloads_their_data_as_a_json_attachment(citizen):
    skill, topic = SkillFactory(), TopicFactory()
    citizen.skills.add(skill)
    citizen.topics.add(topic)
    audit.record(citizen, "proposal.submitted", topic)

    response = logged_in_client(citizen).get(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="projektmarktplatz-data.json"'
    export = json.loads(response.content)
    assert export["format_version"] == 1
    assert export["exported_at"]
    user_row = export["accounts.user"][0]
    assert user_row["email"] == citizen.email
    assert "password" not in user_row
    assert [item["id"] for item in user_row["skills"]] == [skill.pk]
    assert [item["id"] for item in user_row["topics"]] == [topic.pk]
    assert export["account.emailaddress"] == [
        {"email": citizen.email, "verified": True, "primary": True}
    ]
    assert [event["verb"] for event in export["accounts.auditevent"]] == ["proposal.submitted"]
    assert export["accounts.auditevent"][0]["target_type"] == "accounts.topic"


def test_export_lists_headed_departments_and_admin_actions(administrator):
    department = DepartmentFactory(head=administrator)
    LogEntry.objects.create(
        user=administrator,
        content_type=ContentType.objects.get_for_model(Department),
        object_id=str(department.pk),
        object_repr=str(department),
        action_flag=CHANGE,
        change_message="[]",
    )

    export = export_personal_data(administrator)

    assert export["accounts.department"][0]["code"] == department.code
    assert export["admin.logentry"][0]["object_repr"] == str(department)


def test_export_never_contains_authenticator_secrets(citizen):
    secret = generate_totp_secret()
    TOTP.activate(citizen, secret)
    recovery_codes = RecoveryCodes.activate(citizen)

    response = logged_in_client(citizen).get(EXPORT_URL)

    body = response.content.decode()
    assert secret not in body
    assert recovery_codes.instance.data["seed"] not in body
    assert not any(code in body for code in recovery_codes.get_unused_codes())
    types = [row["type"] for row in json.loads(body)["mfa.authenticator"]]
    assert sorted(types) == ["recovery_codes", "totp"]
    assert all(
        set(row) == {"type", "created_at", "last_used_at"}
        for row in json.loads(body)["mfa.authenticator"]
    )


def test_export_is_recorded_in_the_audit_trail(citizen):
    logged_in_client(citizen).get(EXPORT_URL)

    assert AuditEvent.objects.filter(actor=citizen, verb="account.data_exported").exists()


def test_export_holds_only_the_requesters_data(citizen):
    outsider = CitizenFactory()
    audit.record(citizen, "proposal.submitted", citizen)

    export = download_export(logged_in_client(outsider))

    assert export["accounts.user"][0]["email"] == outsider.email
    assert citizen.email not in json.dumps(export)
    assert all(event["verb"] != "proposal.submitted" for event in export["accounts.auditevent"])


def test_anonymous_visitor_is_sent_to_login_for_the_export(client, db):
    response = client.get(EXPORT_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Data page ----------------------------------------------------------------------


def test_owner_sees_the_data_page(citizen):
    response = logged_in_client(citizen).get(DATA_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>" in page
    assert f'href="{EXPORT_URL}"' in page
    assert f'action="{DELETE_URL}"' in page
    assert 'type="password"' in page
    assert "csrfmiddlewaretoken" in page


def test_anonymous_visitor_is_sent_to_login_for_the_data_page(client, db):
    response = client.get(DATA_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- Deletion -----------------------------------------------------------------------

DISTINCTIVE = {
    "email": "quirinius.zettelmann@example.org",
    "display_name": "Quirinius Zettelmann",
    "bio": "Zuechtet Kakteen am Tempelhofer Feld",
    "organisation_name": "Kaktusfreunde Zettelmann",
}


def make_person_with_traces():
    """A citizen with a name, sign-in data, audit events, admin history and a department."""
    person = CitizenFactory(**DISTINCTIVE)
    person.skills.add(SkillFactory())
    person.topics.add(TopicFactory())
    EmailAddress.objects.create(user=person, email="q.zettelmann@example.net", verified=True)
    SocialAccount.objects.create(
        user=person,
        provider="openid_connect",
        uid="zettelmann-uid",
        extra_data={"name": DISTINCTIVE["display_name"]},
    )
    TOTP.activate(person, generate_totp_secret())
    audit.record(person, "proposal.submitted", person.topics.first())
    department = DepartmentFactory(head=person)
    LogEntry.objects.create(
        user=AdminFactory(),
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(person.pk),
        object_repr=str(person),
        action_flag=CHANGE,
        change_message="[]",
    )
    return person, department


def dump_database() -> str:
    buffer = io.StringIO()
    call_command("dumpdata", exclude=["contenttypes", "auth.permission", "sessions"], stdout=buffer)
    # The JSON serialiser may escape non-ASCII; decoding makes the search exact.
    return json.dumps(json.loads(buffer.getvalue()), ensure_ascii=False).lower()


def sessions_of(user) -> list[Session]:
    return [s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user.pk)]


def test_deletion_leaves_no_personal_data_in_the_database(client, db):
    person, department = make_person_with_traces()
    other_device = logged_in_client(person)
    client.login(email=DISTINCTIVE["email"], password=PASSWORD)

    response = client.post(DELETE_URL, CONFIRMED_DELETION)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert SESSION_KEY not in client.session
    person.refresh_from_db()
    assert person.deleted_at is not None
    with translation.override("en"):
        assert str(person.public_name) == "deleted account"
    assert not person.is_active
    assert not person.has_usable_password()
    department.refresh_from_db()
    assert department.head is None
    assert sessions_of(person) == []
    assert other_device.get(DATA_URL).status_code == 302
    assert not Client().login(email=DISTINCTIVE["email"], password=PASSWORD)
    assert not Client().login(email=person.email, password=PASSWORD)
    database = dump_database()
    leaked = [
        value
        for value in [*DISTINCTIVE.values(), "q.zettelmann@example.net", "zettelmann-uid"]
        if value.lower() in database
    ]
    assert not leaked, f"personal data left in the database after deletion: {leaked}"
    assert AuditEvent.objects.filter(verb="account.deleted", target_id=str(person.pk)).exists()


def test_deleted_person_keeps_their_anonymised_row_and_audit_events(db):
    person, _department = make_person_with_traces()

    delete_account(person)

    person.refresh_from_db()
    assert person.email == f"deleted-{person.pk}@deleted.invalid"
    assert (person.display_name, person.bio, person.organisation_name) == ("", "", "")
    assert not (person.is_staff or person.is_superuser)
    assert person.privacy_consent_at is None
    assert person.privacy_notice_version == ""
    assert not person.skills.exists()
    assert not person.topics.exists()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not SocialAccount.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()
    assert AuditEvent.objects.filter(actor=person, verb="proposal.submitted").exists()
    deletion = AuditEvent.objects.get(verb="account.deleted")
    assert deletion.actor is None
    assert deletion.data == {}


def test_deleting_an_administrator_removes_their_rights(db):
    administrator = AdminFactory()

    delete_account(administrator)

    administrator.refresh_from_db()
    assert not (administrator.is_staff or administrator.is_superuser)
    assert administrator.department is None
    assert administrator.weekly_hours == 40


def test_deleting_an_organisation_keeps_the_name_constraint(db):
    organisation = OrganisationFactory()

    delete_account(organisation)

    organisation.refresh_from_db()
    assert organisation.kind == User.Kind.CITIZEN
    assert organisation.organisation_name == ""


def test_deleting_twice_changes_nothing_more(citizen):
    delete_account(citizen)
    delete_account(citizen)

    assert AuditEvent.objects.filter(verb="account.deleted").count() == 1


# --- Deletion: bad input ------------------------------------------------------------


def assert_untouched(user) -> None:
    user.refresh_from_db()
    assert user.deleted_at is None
    assert user.is_active
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"password": "wrong password", "confirm": "on"}, id="wrong password"),
        pytest.param({}, id="empty"),
        pytest.param({"password": PASSWORD}, id="not confirmed"),
    ],
)
def test_deletion_refuses_bad_input_with_422(citizen, data):
    response = logged_in_client(citizen).post(DELETE_URL, data)

    assert response.status_code == 422
    assert 'class="errorlist' in response.content.decode()
    assert_untouched(citizen)


def test_delete_url_refuses_get(citizen):
    response = logged_in_client(citizen).get(DELETE_URL)

    assert response.status_code == 405
    assert_untouched(citizen)


def test_anonymous_visitor_cannot_delete(client, citizen):
    response = client.post(DELETE_URL, CONFIRMED_DELETION)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert_untouched(citizen)


def test_double_submit_does_not_fail(citizen):
    client = logged_in_client(citizen)
    client.post(DELETE_URL, CONFIRMED_DELETION)

    second = client.post(DELETE_URL, CONFIRMED_DELETION)

    assert second.status_code == 302
    assert AuditEvent.objects.filter(verb="account.deleted").count() == 1
