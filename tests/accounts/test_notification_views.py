"""The inbox, the header count, the preferences page and the one-click opt-out."""

import pytest
from django.urls import reverse

import accounts
from accounts import delivery, notifications
from accounts.models import AuditEvent, EmailMode, Notification, NotificationPreference
from tests.factories import AdminFactory, CitizenFactory, EmployeeFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
KIND = Notification.Kind.PROJECT_UPDATE


def tell(person, key, url="/projects/p/"):
    accounts.notify([person], KIND, key, url=url, project="Bürgeramt online", title=f"News {key}")
    return Notification.objects.get(recipient=person, event_key=key)


@pytest.fixture
def reader(client):
    person = CitizenFactory()
    client.force_login(person)
    return person


# --- Inbox -------------------------------------------------------------------------


def test_the_inbox_lists_the_readers_notifications_only_newest_first(client, reader):
    tell(reader, "one")
    tell(reader, "two")
    tell(CitizenFactory(), "someone-else")
    response = client.get(reverse("notification-inbox"), headers=EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("News two") < page.index("News one")
    assert "News someone-else" not in page
    assert "Unread" in page


def test_the_inbox_is_for_signed_in_people(client):
    response = client.get(reverse("notification-inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_inbox_needs_a_fixed_number_of_queries(client, reader, django_assert_max_num_queries):
    for number in range(3):
        tell(reader, f"few-{number}")
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("notification-inbox"))
    for number in range(30):
        tell(reader, f"many-{number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("notification-inbox"))


def test_the_inbox_pages_and_a_page_that_is_not_there_is_not_found(client, reader):
    """As on every page (issue 14): no silent guess at what a bad page number meant."""
    for number in range(30):
        tell(reader, f"n-{number}")
    assert client.get(reverse("notification-inbox") + "?page=2").status_code == 200
    assert client.get(reverse("notification-inbox") + "?page=abc").status_code == 404
    assert client.get(reverse("notification-inbox") + "?page=999").status_code == 404


def test_the_header_shows_the_unread_count_in_a_live_region(client, reader):
    tell(reader, "one")
    tell(reader, "two")
    page = client.get(reverse("home"), headers=EN).content.decode()
    assert 'id="unread-badge"' in page
    assert 'aria-live="polite"' in page
    assert 'hx-trigger="every 60s"' in page
    badge = client.get(reverse("notification-unread"), headers=EN).content.decode()
    assert '<span class="count">2</span>' in badge
    assert "unread" in badge


def test_the_unread_count_is_empty_when_all_is_read(client, reader):
    Notification.objects.filter(pk=tell(reader, "one").pk).update(read_at="2026-11-01T10:00Z")
    assert "count" not in client.get(reverse("notification-unread")).content.decode()


def test_the_unread_count_is_for_signed_in_people(client):
    assert client.get(reverse("notification-unread")).status_code == 302


# --- Marking read -----------------------------------------------------------------


def test_marking_one_read(client, reader):
    notification = tell(reader, "one")
    response = client.post(reverse("notification-read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_read_with_htmx_answers_with_the_item(client, reader):
    notification = tell(reader, "one")
    response = client.post(
        reverse("notification-read", args=[notification.pk]), headers={"HX-Request": "true", **EN}
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert f'id="notification-{notification.pk}"' in fragment
    assert "Unread" not in fragment
    assert "<html" not in fragment


def test_another_persons_notification_id_is_not_found(client, reader):
    foreign = tell(CitizenFactory(), "foreign")
    assert client.post(reverse("notification-read", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("notification-open", args=[foreign.pk])).status_code == 404
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_a_missing_notification_id_is_not_found(client, reader):
    assert client.post(reverse("notification-read", args=[999999])).status_code == 404


def test_marking_read_needs_a_post(client, reader):
    notification = tell(reader, "one")
    assert client.get(reverse("notification-read", args=[notification.pk])).status_code == 405


def test_marking_all_read_leaves_other_peoples_alone(client, reader):
    tell(reader, "one")
    tell(reader, "two")
    foreign = tell(CitizenFactory(), "foreign")
    response = client.post(reverse("notification-read-all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=reader, read_at__isnull=True).exists()
    foreign.refresh_from_db()
    assert foreign.read_at is None
    assert client.post(reverse("notification-read-all")).status_code == 302  # double submit


def test_opening_marks_read_and_goes_to_the_item(client, reader):
    notification = tell(reader, "one", url="/projects/p/")
    response = client.get(reverse("notification-open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/projects/p/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_opening_never_leaves_the_site(client, reader):
    notification = tell(reader, "one", url="https://evil.example/")
    response = client.get(reverse("notification-open", args=[notification.pk]))
    assert response["Location"] == reverse("notification-inbox")


def test_anonymous_visitors_cannot_mark_anything(client):
    notification = tell(CitizenFactory(), "one")
    response = client.post(reverse("notification-read", args=[notification.pk]))
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is None


# --- Preferences ------------------------------------------------------------------


CITIZEN_KINDS = [
    "application_decided",
    "membership_ended",
    "proposal_status",
    "project_update",
    "comment_hidden",
    "round_opened",
    "round_results",
    "idea_answered",
]


@pytest.mark.parametrize(
    ("factory", "offered"),
    [
        (CitizenFactory, CITIZEN_KINDS),
        (OrganisationFactory, CITIZEN_KINDS),
        (EmployeeFactory, Notification.Kind.values),
        (AdminFactory, Notification.Kind.values),
    ],
)
def test_each_person_is_offered_the_kinds_that_reach_them(client, factory, offered):
    person = factory()
    assert notifications.kinds_for(person) == list(offered)
    client.force_login(person)
    response = client.get(reverse("notification-preferences"), headers=EN)
    assert response.status_code == 200
    assert list(response.context["form"].fields) == list(offered)


def test_a_citizen_is_not_offered_workload_lead_or_role_match_kinds(client, reader):
    page = client.get(reverse("notification-preferences"), headers=EN).content.decode()
    for label in ["Workload report", "Application received", "past its end date", "New role"]:
        assert label not in page


def test_a_kind_that_did_reach_someone_stays_on_offer(reader):
    # Say an administrator made a citizen a lead by hand: what arrives can be switched off.
    accounts.notify([reader], "application_received", "by-hand", applicant_id=1)
    assert "application_received" in notifications.kinds_for(reader)


def test_the_preferences_show_the_defaults(client, reader):
    response = client.get(reverse("notification-preferences"), headers=EN)
    form = response.context["form"]
    assert form["application_decided"].initial == EmailMode.IMMEDIATELY
    client.force_login(EmployeeFactory())
    form = client.get(reverse("notification-preferences"), headers=EN).context["form"]
    assert form["role_match"].initial == EmailMode.DIGEST


def test_saving_preferences(client, reader):
    choices = dict.fromkeys(CITIZEN_KINDS, EmailMode.IMMEDIATELY)
    choices["project_update"] = EmailMode.OFF
    choices["comment_hidden"] = EmailMode.DIGEST
    response = client.post(reverse("notification-preferences"), choices)
    assert response.status_code == 302
    modes = notifications.email_modes(reader)
    assert modes["project_update"] == EmailMode.OFF
    assert modes["comment_hidden"] == EmailMode.DIGEST
    assert AuditEvent.objects.filter(verb="notifications.preferences_changed").exists()
    assert client.post(reverse("notification-preferences"), choices).status_code == 302


@pytest.mark.parametrize("kind", ["workload_report", "application_received", "project_overdue"])
def test_a_choice_for_a_kind_not_offered_is_refused(client, reader, kind):
    choices = dict.fromkeys(CITIZEN_KINDS, EmailMode.IMMEDIATELY) | {kind: EmailMode.OFF}
    response = client.post(reverse("notification-preferences"), choices, headers=EN)
    assert response.status_code == 422
    assert "This kind of notification does not reach you." in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_an_employee_saves_every_kind(client):
    employee = EmployeeFactory()
    client.force_login(employee)
    choices = dict.fromkeys(Notification.Kind.values, EmailMode.DIGEST)
    assert client.post(reverse("notification-preferences"), choices).status_code == 302
    assert notifications.email_modes(employee)["workload_report"] == EmailMode.DIGEST


@pytest.mark.parametrize(
    "tampering",
    [
        {"project_update": "weekly"},  # not an offered choice
        {"project_update": ""},  # empty
        {"project_update": "x" * 5000},  # too long
    ],
)
def test_a_tampered_preferences_form_is_refused_with_a_clear_message(client, reader, tampering):
    choices = dict.fromkeys(CITIZEN_KINDS, EmailMode.IMMEDIATELY) | tampering
    response = client.post(reverse("notification-preferences"), choices, headers=EN)
    assert response.status_code == 422
    assert "Please choose one of the offered options" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_a_preferences_form_missing_a_kind_is_refused(client, reader):
    response = client.post(reverse("notification-preferences"), {"project_update": "off"})
    assert response.status_code == 422


def test_preferences_are_for_signed_in_people(client):
    assert client.get(reverse("notification-preferences")).status_code == 302
    assert client.post(reverse("notification-preferences"), {}).status_code == 302


# --- One-click opt-out ------------------------------------------------------------


def test_the_opt_out_link_asks_first_then_switches_the_kind_off(client):
    person = EmployeeFactory()
    url = reverse("notification-unsubscribe", args=[delivery.unsubscribe_token(person.pk, KIND)])
    page = client.get(url, headers=EN)
    assert page.status_code == 200
    assert "Project update posted" in page.content.decode()
    assert notifications.email_modes(person)[KIND] == EmailMode.IMMEDIATELY  # GET changes nothing
    done = client.post(url, headers=EN)
    assert done.status_code == 200
    assert notifications.email_modes(person)[KIND] == EmailMode.OFF
    assert notifications.email_modes(person)["application_decided"] == EmailMode.IMMEDIATELY
    assert client.post(url).status_code == 200  # the mail program may post twice


def test_the_one_click_post_needs_neither_session_nor_csrf_token():
    from django.test import Client

    person = EmployeeFactory()
    url = reverse("notification-unsubscribe", args=[delivery.unsubscribe_token(person.pk, KIND)])
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert notifications.email_modes(person)[KIND] == EmailMode.OFF


@pytest.mark.parametrize("token", ["nonsense", "eyJ1c2VyIjoxfQ:1abc:forged", "a" * 3000])
def test_an_invalid_opt_out_token_is_a_400(client, token):
    assert client.get(reverse("notification-unsubscribe", args=[token])).status_code == 400
    assert client.post(reverse("notification-unsubscribe", args=[token])).status_code == 400
    assert not NotificationPreference.objects.exists()


def test_an_opt_out_token_of_a_deleted_account_is_a_400(client):
    person = EmployeeFactory()
    token = delivery.unsubscribe_token(person.pk, KIND)
    person.is_active = False
    person.save()
    assert client.post(reverse("notification-unsubscribe", args=[token])).status_code == 400
