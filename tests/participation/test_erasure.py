"""After an account is erased, no column of any table holds the person's name or address.

The person leaves traces in other people's rows: the lead's "application
received" and reminder notifications, proposals others follow, comments.
Notifications refer to people by reference and are named when read, so the
lead's inbox and export read "deleted account" afterwards.
"""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from accounts.models import Notification
from accounts.notification_messages import message_of
from accounts.privacy import delete_account, export_personal_data
from marketplace.models import ProjectFollow
from participation.models import Proposal
from participation.services import applications, comments, proposals, reminders
from tests.factories import CitizenFactory, EmployeeFactory, ProjectFactory, PublicRoleFactory
from tests.factories_participation import ProposalFactory, ReviewerFactory

pytestmark = pytest.mark.django_db

NAME = "Hieronymus Quackenbusch"
EMAIL = "hieronymus.quackenbusch@example.org"
# Django's introspection names the column types portably (PostgreSQL and SQLite).
TEXT_TYPES = {"CharField", "TextField", "JSONField", "EmailField", "SlugField", "URLField"}


def text_columns() -> list[tuple[str, str]]:
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                try:
                    kind = connection.introspection.get_field_type(column.type_code, column)
                except KeyError:  # a type Django has no field for, e.g. a search tsvector
                    kind = "unknown"
                if kind in TEXT_TYPES or kind == "unknown":
                    found.append((table, column.name))
    return found


def rows_holding(word: str) -> list[str]:
    """Every ``table.column`` with a value that contains ``word``, case-insensitively."""
    quote = connection.ops.quote_name
    hits = []
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(
                f"SELECT COUNT(*) FROM {quote(table)} "  # noqa: S608 - names from introspection
                f"WHERE LOWER(CAST({quote(column)} AS TEXT)) LIKE %s",
                [f"%{word.lower()}%"],
            )
            if cursor.fetchone()[0]:
                hits.append(f"{table}.{column}")
    return hits


@pytest.fixture
def lead():
    return EmployeeFactory()


@pytest.fixture
def person(lead):
    """A citizen who applied, commented, proposed, supported and followed."""
    person = CitizenFactory(display_name=NAME, email=EMAIL)
    project = ProjectFactory(leads=[lead])
    ProjectFollow.objects.create(project=project, follower=person)
    applications.apply_for_public_role(person, PublicRoleFactory(project=project), "Gern!")
    comments.post_comment(person, project, "Eine gute Idee.")
    own = proposals.submit_proposal(
        person,
        Proposal(
            title="Mehr Bänke",
            problem="Zu wenig Sitzplätze.",
            idea="Bänke aufstellen.",
            beneficiaries="Alle.",
            topic=ProposalFactory().topic,
        ),
    )
    other = ProposalFactory()
    proposals.support_proposal(person, other)
    proposals.follow_proposal(person, other)
    reviewer = ReviewerFactory()
    proposals.change_proposal_status(reviewer, own, "in_review")
    proposals.change_proposal_status(reviewer, other, "in_review")
    return person


def test_the_name_is_in_the_database_before_erasure(person):
    # Proves the search below can find what it looks for.
    assert rows_holding(NAME)
    assert rows_holding(EMAIL)


def test_after_erasure_no_text_or_json_column_holds_the_name_or_address(person, lead):
    with translation.override("en"):
        before = message_of(Notification.objects.get(recipient=lead, kind="application_received"))
    assert NAME in before  # the lead reads the name while the account exists

    delete_account(person)

    assert rows_holding(NAME) == []
    assert rows_holding(EMAIL) == []


def test_the_leads_inbox_and_export_say_deleted_account(client, person, lead):
    delete_account(person)

    client.force_login(lead)
    inbox = client.get(reverse("notification-inbox"), headers={"accept-language": "en"})
    assert inbox.status_code == 200
    assert "deleted account applied for the role" in inbox.content.decode()
    with translation.override("en"):
        messages = [row["message"] for row in export_personal_data(lead)["accounts.notification"]]
    assert any(message.startswith("deleted account applied") for message in messages)
    assert not any(NAME in message for message in messages)


def test_notifications_written_with_the_name_are_converted_on_erasure(person, lead):
    """Rows from before references held ``"applicant": "<name>"`` itself."""
    received = Notification.objects.get(recipient=lead, kind="application_received")
    legacy = {key: value for key, value in received.data.items() if key != "applicant_id"}
    received.data = {**legacy, "applicant": NAME}
    received.save()
    stray = Notification.objects.create(
        recipient=lead, kind="project_update", event_key="stray", data={"title": NAME}
    )

    delete_account(person)

    received.refresh_from_db()
    assert received.data["applicant_id"] == person.pk
    assert "applicant" not in received.data
    with translation.override("en"):
        assert message_of(received).startswith("deleted account applied")
    stray.refresh_from_db()
    assert stray.data == {"title": "deleted account"}


def test_a_namesake_keeps_their_name_in_old_notifications(person, lead):
    namesake = CitizenFactory(display_name=NAME)
    kept = Notification.objects.create(
        recipient=lead, kind="project_update", event_key="namesake", data={"title": NAME}
    )

    delete_account(person)

    kept.refresh_from_db()
    assert kept.data == {"title": NAME}
    assert namesake.display_name == NAME


def test_reminders_name_the_applicant_when_read(person, lead):
    from datetime import timedelta

    from django.utils import timezone

    reminders.remind_pending_applications(now=timezone.now() + timedelta(days=8))
    reminder = Notification.objects.get(recipient=lead, kind="application_reminder")
    assert reminder.data["applicant_id"] == person.pk
    assert NAME not in str(reminder.data)
