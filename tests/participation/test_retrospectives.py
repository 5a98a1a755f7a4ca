"""Retrospectives, action items and the anonymous feedback box of a project's team."""

import datetime
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent, User
from accounts.privacy import export_personal_data
from participation.models import ActionItem, Membership, Retrospective, TeamFeedback
from tests.factories import (
    AdminFactory,
    CitizenFactory,
    EmployeeFactory,
    ProjectFactory,
    RoleFactory,
)

pytestmark = pytest.mark.usefixtures("english")  # the assertions read English


@pytest.fixture
def lead(db):
    return EmployeeFactory(display_name="Lena Lead")


@pytest.fixture
def project(lead):
    return ProjectFactory(title="Digitale Bauakte", leads=[lead])


def join(project, person=None):
    person = person or EmployeeFactory()
    Membership.objects.create(project=project, role=RoleFactory(project=project), person=person)
    return person


@pytest.fixture
def member(project):
    return join(project, EmployeeFactory(display_name="Max Member", email="max@example.org"))


@pytest.fixture
def retrospective(project):
    return Retrospective.objects.create(
        project=project, iteration="Sprint 3", went_well="Gute Demo", to_improve="Mehr testen"
    )


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


def list_url(project) -> str:
    return f"/projects/{project.slug}/retrospectives/"


VISITORS = {
    "outsider employee": EmployeeFactory,
    "citizen": CitizenFactory,
    "lead of another project": lambda: ProjectFactory().leads.first(),
}


# --- Who gets in -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead", "member", "administrator"])
def test_the_team_and_administrators_see_the_retrospectives(
    client, project, lead, member, retrospective, who
):
    user = {"lead": lead, "member": member, "administrator": AdminFactory()}[who]
    as_user(client, user)
    listing = client.get(list_url(project))
    detail = client.get(retrospective.get_absolute_url())
    assert listing.status_code == detail.status_code == 200
    assert "Sprint 3" in listing.content.decode()
    assert "Gute Demo" in detail.content.decode() and "Mehr testen" in detail.content.decode()


@pytest.mark.parametrize("who", list(VISITORS))
def test_outsiders_are_refused(client, project, retrospective, who):
    as_user(client, VISITORS[who]())
    for url in [
        list_url(project),
        retrospective.get_absolute_url(),
        f"{list_url(project)}new/",
    ]:
        assert client.get(url).status_code == 403
    assert "Gute Demo" not in client.get(retrospective.get_absolute_url()).content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, project, retrospective):
    for url in [list_url(project), retrospective.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_former_member_is_an_outsider(client, project, retrospective):
    former = EmployeeFactory()
    Membership.objects.create(
        project=project,
        role=RoleFactory(project=project),
        person=former,
        started_on=datetime.date(2025, 1, 1),
        ended_on=datetime.date(2025, 6, 1),
    )
    assert as_user(client, former).get(list_url(project)).status_code == 403


def test_a_retrospective_of_another_project_is_not_found(client, project, lead):
    foreign = Retrospective.objects.create(project=ProjectFactory(), iteration="Fremd")
    as_user(client, lead)
    assert client.get(f"{list_url(project)}{foreign.pk}/").status_code == 404
    response = client.post(
        f"{list_url(project)}{foreign.pk}/actions/", {"text": "x", "owner": lead.pk}
    )
    assert response.status_code == 404
    assert client.get(f"{list_url(project)}999999/").status_code == 404
    assert not ActionItem.objects.exists()


def test_the_project_page_links_the_team_space_for_the_team_only(client, project, lead, member):
    link = f'href="{list_url(project)}"'
    for user in [lead, member, AdminFactory()]:
        assert link in as_user(client, user).get(project.get_absolute_url()).content.decode()
    for user in [EmployeeFactory(), CitizenFactory()]:
        assert link not in as_user(client, user).get(project.get_absolute_url()).content.decode()
    client.logout()
    assert link not in client.get(project.get_absolute_url()).content.decode()


# --- Recording retrospectives ---------------------------------------------------------------

GOOD_RETROSPECTIVE = {
    "held_on": "2026-05-04",
    "iteration": "Sprint 4",
    "went_well": "Schnelle Reviews",
    "to_improve": "Weniger Meetings",
}


def test_the_lead_records_a_retrospective(client, project, lead):
    as_user(client, lead)
    assert client.get(f"{list_url(project)}new/").status_code == 200
    response = client.post(f"{list_url(project)}new/", GOOD_RETROSPECTIVE)
    retrospective = Retrospective.objects.get()
    assert response.status_code == 302
    assert response["Location"] == retrospective.get_absolute_url()
    assert (retrospective.project, retrospective.iteration) == (project, "Sprint 4")
    assert retrospective.held_on == datetime.date(2026, 5, 4)
    assert AuditEvent.objects.filter(verb="retrospective.created", actor=lead).exists()


def test_a_double_submit_records_one_retrospective(client, project, lead):
    as_user(client, lead)
    first = client.post(f"{list_url(project)}new/", GOOD_RETROSPECTIVE)
    second = client.post(f"{list_url(project)}new/", GOOD_RETROSPECTIVE)
    assert first.status_code == 302
    assert second.status_code == 422  # says that it exists already
    assert "already has a retrospective" in second.content.decode()
    assert Retrospective.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"iteration": "", "held_on": ""},
        {"iteration": "x" * 201},
        {"went_well": "x" * 10_001},
        {"held_on": "not a date"},
        {"held_on": "2026-02-31"},
    ],
    ids=["empty", "iteration too long", "text too long", "wrong type", "impossible date"],
)
def test_bad_retrospectives_are_refused_with_422(client, project, lead, change):
    response = as_user(client, lead).post(f"{list_url(project)}new/", GOOD_RETROSPECTIVE | change)
    assert response.status_code == 422
    assert not Retrospective.objects.exists()


def test_members_and_outsiders_may_not_record_retrospectives(client, project, member):
    for user in [member, EmployeeFactory()]:
        assert (
            as_user(client, user).post(f"{list_url(project)}new/", GOOD_RETROSPECTIVE).status_code
            == 403
        )
    assert not Retrospective.objects.exists()


# --- Action items ------------------------------------------------------------------------


def add_item(client, retrospective, **data):
    return client.post(f"{retrospective.get_absolute_url()}actions/", data)


def test_the_lead_adds_an_action_item_owned_by_a_team_member(client, retrospective, lead, member):
    as_user(client, lead)
    page = client.get(retrospective.get_absolute_url()).content.decode()
    assert "Max Member" in page and "Lena Lead" in page  # the team to choose from

    response = add_item(client, retrospective, text="Testplan schreiben", owner=member.pk)

    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert (item.owner, item.text, item.is_done) == (member, "Testplan schreiben", False)
    # A double submit adds nothing.
    add_item(client, retrospective, text="Testplan schreiben", owner=member.pk)
    assert ActionItem.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"text": "", "owner": ""},
        {"text": "x" * 501, "owner": "MEMBER"},
        {"text": "Tun", "owner": "abc"},
        {"text": "Tun", "owner": "OUTSIDER"},
        {"text": "Tun", "owner": "999999"},
    ],
    ids=["empty", "too long", "wrong type", "someone outside the team", "unknown person"],
)
def test_bad_action_items_are_refused_with_422(client, retrospective, lead, member, data):
    outsider = EmployeeFactory()
    owner = {"MEMBER": member.pk, "OUTSIDER": outsider.pk}.get(data["owner"], data["owner"])
    response = add_item(as_user(client, lead), retrospective, text=data["text"], owner=owner)
    assert response.status_code == 422
    assert not ActionItem.objects.exists()


def test_a_member_may_not_add_action_items(client, retrospective, member):
    response = add_item(as_user(client, member), retrospective, text="Tun", owner=member.pk)
    assert response.status_code == 403


def done_url(item) -> str:
    return f"/action-items/{item.pk}/done/"


def test_the_owner_ticks_off_their_item_once_even_when_sent_twice(client, retrospective, member):
    item = ActionItem.objects.create(retrospective=retrospective, text="Tun", owner=member)
    as_user(client, member)
    for _ in range(2):
        response = client.post(done_url(item), {"done": "1", "next": "/me/"})
        assert response.status_code == 302 and response["Location"] == "/me/"
    item.refresh_from_db()
    assert item.is_done and item.done_at is not None
    assert AuditEvent.objects.filter(verb="action_item.done").count() == 1
    client.post(done_url(item), {"done": "0"})
    item.refresh_from_db()
    assert not item.is_done and item.done_at is None


def test_the_lead_may_tick_any_item_other_members_and_outsiders_may_not(
    client, project, retrospective, lead, member
):
    item = ActionItem.objects.create(retrospective=retrospective, text="Tun", owner=member)
    for user in [join(project), EmployeeFactory(), CitizenFactory()]:
        assert as_user(client, user).post(done_url(item), {"done": "1"}).status_code == 403
    client.logout()
    assert client.post(done_url(item), {"done": "1"}).status_code == 302  # to sign-in
    assert not ActionItem.objects.get().is_done
    assert as_user(client, lead).post(done_url(item), {"done": "1"}).status_code == 302
    assert ActionItem.objects.get().is_done


@pytest.mark.parametrize("data", [{}, {"done": "yes"}, {"done": ["1", "x"]}])
def test_a_wrong_done_value_is_a_bad_request(client, retrospective, member, data):
    item = ActionItem.objects.create(retrospective=retrospective, text="Tun", owner=member)
    assert as_user(client, member).post(done_url(item), data).status_code == 400
    assert client.post("/action-items/999999/done/", {"done": "1"}).status_code == 404


def test_the_dashboard_lists_the_open_items_of_my_teams(
    client, project, retrospective, lead, member
):
    mine = ActionItem.objects.create(retrospective=retrospective, text="Mein Punkt", owner=member)
    ActionItem.objects.create(retrospective=retrospective, text="Punkt der Leitung", owner=lead)
    ActionItem.objects.create(
        retrospective=retrospective,
        text="Erledigt",
        owner=member,
        is_done=True,
        done_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    other = Retrospective.objects.create(project=ProjectFactory(), iteration="Fremd")
    ActionItem.objects.create(retrospective=other, text="Fremder Punkt", owner=EmployeeFactory())

    page = as_user(client, member).get("/me/").content.decode()

    assert "Open action items of your teams" in page
    assert "Mein Punkt" in page and "Punkt der Leitung" in page
    assert "Erledigt" not in page and "Fremder Punkt" not in page
    assert f'action="{done_url(mine)}"' in page  # ticked off right there
    assert page.count('action="/action-items/') == 1  # not the lead's
    assert (
        "Open action items" not in as_user(client, EmployeeFactory()).get("/me/").content.decode()
    )


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/me/").status_code == 200
    return len(queries)


def test_the_dashboards_action_items_cost_the_same_queries_for_few_and_many(client, lead):
    def add_projects(count):
        for _ in range(count):
            project = ProjectFactory(leads=[lead, EmployeeFactory()])
            retrospective = Retrospective.objects.create(project=project, iteration="S")
            for _ in range(3):
                ActionItem.objects.create(
                    retrospective=retrospective, text="x", owner=join(project)
                )

    add_projects(1)
    as_user(client, lead)
    client.get("/me/")
    few = _dashboard_queries(client)
    add_projects(6)
    assert _dashboard_queries(client) == few


# --- The anonymous feedback box ----------------------------------------------------------


def feedback_url(project) -> str:
    return f"/projects/{project.slug}/feedback/"


def test_a_member_sends_feedback_the_leads_read_it_without_a_name(client, project, lead, member):
    response = as_user(client, member).post(feedback_url(project), {"text": "Zu viele Meetings."})
    assert response.status_code == 302 and response["Location"] == list_url(project)
    assert "Zu viele Meetings." not in client.get(list_url(project)).content.decode()

    page = as_user(client, lead).get(list_url(project)).content.decode()
    assert "Zu viele Meetings." in page
    assert "Max Member" not in page


def test_feedback_stores_no_author_anywhere(client, project, member, caplog):
    identity = {str(member.pk), member.email, member.display_name}
    caplog.set_level(logging.DEBUG)
    before = set(AuditEvent.objects.values_list("pk", flat=True))

    as_user(client, member).post(feedback_url(project), {"text": "Bitte kürzere Stand-ups."})

    # The table has no column that could hold an author: pinned, so none is added unseen.
    columns = [
        column.name
        for column in connection.introspection.get_table_description(
            connection.cursor(), TeamFeedback._meta.db_table
        )
    ]
    # ``language`` tells no more about the writer than the text itself does.
    assert sorted(columns) == ["id", "language", "project_id", "received_on", "text"]
    assert not any(field.related_model is User for field in TeamFeedback._meta.get_fields())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT text, received_on FROM {TeamFeedback._meta.db_table}")  # noqa: S608
        ((text, received_on),) = cursor.fetchall()
    assert text == "Bitte kürzere Stand-ups." and isinstance(received_on, datetime.date)
    assert not isinstance(received_on, datetime.datetime)  # the day, not the minute

    (event,) = AuditEvent.objects.exclude(pk__in=before)
    assert event.verb == "team_feedback.received"
    assert event.actor is None
    assert not any(value in str(event.data) for value in identity)
    assert event.target_id == str(project.pk)

    logged = "\n".join(record.getMessage() + repr(record.args) for record in caplog.records)
    assert member.email not in logged and member.display_name not in logged
    assert not any(getattr(record, "user", None) for record in caplog.records)


def test_a_double_submit_of_feedback_stores_it_once(client, project, member):
    as_user(client, member)
    for _ in range(2):
        assert client.post(feedback_url(project), {"text": "Danke!"}).status_code == 302
    assert TeamFeedback.objects.count() == 1


@pytest.mark.parametrize("text", ["", "   ", "x" * 5001], ids=["empty", "blank", "too long"])
def test_bad_feedback_is_refused_with_422(client, project, member, text):
    assert as_user(client, member).post(feedback_url(project), {"text": text}).status_code == 422
    assert not TeamFeedback.objects.exists()


def test_only_the_team_may_send_feedback(client, project):
    for user in [EmployeeFactory(), CitizenFactory(), AdminFactory()]:
        assert (
            as_user(client, user).post(feedback_url(project), {"text": "Hallo"}).status_code == 403
        )
    client.logout()
    assert client.post(feedback_url(project), {"text": "Hallo"}).status_code == 302
    assert client.get(feedback_url(project)).status_code == 405
    assert not TeamFeedback.objects.exists()


# --- Personal data -------------------------------------------------------------------------


def test_the_export_holds_my_action_items_and_no_feedback(project, retrospective, member):
    ActionItem.objects.create(retrospective=retrospective, text="Mein Punkt", owner=member)
    TeamFeedback.objects.create(project=project, text="Anonym")
    export = export_personal_data(member)
    assert [row["text"] for row in export["participation.actionitem"]] == ["Mein Punkt"]
    assert "Anonym" not in str(export)
