"""Every create form is safe against a double submit: the same POST twice makes one row.

The second POST answers like the first (a redirect to the one row) and says
that it was saved once; nothing answers 500.
"""

import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client

from accounts.models import AuditEvent
from marketplace.models import Project, ProjectUpdate, Role
from participation.models import Application, Comment, Proposal
from tests.factories import (
    CitizenFactory,
    EmployeeFactory,
    ProjectFactory,
    PublicRoleFactory,
    RoleFactory,
    TopicFactory,
)
from tests.factories_participation import ProposalFactory

REPEAT_NOTICE = "You had already sent this a moment ago; it has been saved once."


pytestmark = pytest.mark.usefixtures("english")  # the assertions read English


def signed_in(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def post_twice(client, url, data, **extra):
    first = client.post(url, data, **extra)
    second = client.post(url, data, **extra)
    return first, second


def proposal_data():
    return {
        "title": "Sitzbänke an Bushaltestellen",
        "problem": "Ältere Menschen können nicht lange stehen.",
        "idea": "Mehr Bänke an den Haltestellen.",
        "beneficiaries": "Ältere Menschen.",
        "topic": TopicFactory().pk,
    }


def test_a_proposal_sent_twice_is_one_proposal(client, db):
    signed_in(client, CitizenFactory())
    first, second = post_twice(client, "/proposals/new/", proposal_data())
    assert (first.status_code, second.status_code) == (302, 302)
    assert second["Location"] == first["Location"]
    assert messages_of(second)[-1] == REPEAT_NOTICE
    assert Proposal.objects.count() == 1
    assert AuditEvent.objects.filter(verb="proposal.submitted").count() == 1


def test_a_different_proposal_of_the_same_person_is_a_new_one(client, db):
    signed_in(client, CitizenFactory())
    data = proposal_data()
    client.post("/proposals/new/", data)
    client.post("/proposals/new/", {**data, "idea": "Klappsitze an den Masten."})
    assert Proposal.objects.count() == 2


def test_the_same_proposal_of_two_people_is_two_proposals(client, db):
    data = proposal_data()
    for person in (CitizenFactory(), CitizenFactory()):
        signed_in(Client(), person).post("/proposals/new/", data)
    assert Proposal.objects.count() == 2


@pytest.mark.parametrize("target", ["project", "proposal"])
def test_a_comment_sent_twice_is_one_comment(client, db, target):
    if target == "project":
        url = f"/projects/{ProjectFactory().slug}/comments/"
    else:
        url = f"/proposals/{ProposalFactory().pk}/comments/"
    signed_in(client, CitizenFactory())
    first, second = post_twice(client, url, {"body": "Gute Idee!"})
    assert (first.status_code, second.status_code) == (302, 302)
    assert second["Location"] == first["Location"]
    assert messages_of(second)[-1] == REPEAT_NOTICE
    assert Comment.objects.count() == 1


def test_a_comment_sent_twice_with_htmx_shows_one_comment(client, db):
    project = ProjectFactory()
    signed_in(client, CitizenFactory())
    url = f"/projects/{project.slug}/comments/"
    first, second = post_twice(client, url, {"body": "Gute Idee!"}, HTTP_HX_REQUEST="true")
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.content.decode().count("Gute Idee!") == 1
    assert REPEAT_NOTICE in second.content.decode()
    assert Comment.objects.count() == 1


def test_a_repeated_comment_does_not_count_towards_the_rate_limit(client, db):
    project = ProjectFactory()
    signed_in(client, CitizenFactory())
    url = f"/projects/{project.slug}/comments/"
    for _ in range(10):
        assert client.post(url, {"body": "Gute Idee!"}).status_code == 302
    assert Comment.objects.count() == 1


def test_a_role_sent_twice_is_one_role(client, db):
    lead = EmployeeFactory()
    project = ProjectFactory(leads=[lead])
    data = {
        "title": "Backend developer",
        "description": "Django.",
        "audience": "employees",
        "seats": "2",
        "hours_per_week": "8",
        "public_kind": "",
        "is_open": "on",
    }
    signed_in(client, lead)
    first, second = post_twice(client, f"/projects/{project.slug}/roles/new/", data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert messages_of(second)[-1] == REPEAT_NOTICE
    assert Role.objects.filter(project=project).count() == 1
    assert AuditEvent.objects.filter(verb="role.created").count() == 1


def test_a_project_update_sent_twice_is_one_update(client, db):
    lead = EmployeeFactory()
    project = ProjectFactory(leads=[lead])
    signed_in(client, lead)
    url = f"/projects/{project.slug}/updates/new/"
    first, second = post_twice(client, url, {"title": "Neu", "text": "Es geht voran."})
    assert (first.status_code, second.status_code) == (302, 302)
    assert messages_of(second)[-1] == REPEAT_NOTICE
    assert ProjectUpdate.objects.count() == 1


@pytest.mark.parametrize("role_factory", [RoleFactory, PublicRoleFactory])
def test_an_application_sent_twice_is_one_application(client, db, role_factory):
    role = role_factory()
    person = EmployeeFactory() if role.is_for_employees else CitizenFactory()
    signed_in(client, person)
    url = f"/projects/{role.project.slug}/roles/{role.pk}/join/"
    first, second = post_twice(client, url, {"message": "Gern!"})
    assert first.status_code == 302
    assert second.status_code == 400
    assert "You have already applied for this role." in second.content.decode()
    assert Application.objects.count() == 1


def _post_in_thread(user, url, data, barrier, results):
    client = Client()
    client.force_login(user)
    try:
        barrier.wait(timeout=10)
        results.append(client.post(url, data).status_code)
    finally:
        connection.close()  # the thread's own connection, or the test database cannot be dropped


def _at_the_same_moment(user, url, data):
    barrier, results = threading.Barrier(2), []
    threads = [
        threading.Thread(target=_post_in_thread, args=(user, url, data, barrier, results))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _twice(user, url, data):
    if connection.vendor == "postgresql":
        return _at_the_same_moment(user, url, data)
    # SQLite serialises writers: the same race, one after the other.
    client = signed_in(Client(), user)
    return [client.post(url, data).status_code for _ in range(2)]


@pytest.mark.django_db(transaction=True)
def test_two_identical_submits_at_the_same_moment_make_one_proposal_and_one_comment():
    person = CitizenFactory()
    assert _twice(person, "/proposals/new/", proposal_data()) == [302, 302]
    assert Proposal.objects.count() == 1
    url = f"/projects/{ProjectFactory().slug}/comments/"
    assert _twice(person, url, {"body": "Gleichzeitig"}) == [302, 302]
    assert Comment.objects.count() == 1


def test_drafts_are_not_merged_across_people(client, db):
    data = {
        "title": "Digitale Bauakte",
        "summary": "",
        "description": "",
        "phase": "understand",
        "open_for_participation": "on",
    }
    for person in (EmployeeFactory(), EmployeeFactory()):
        assert signed_in(Client(), person).post("/projects/new/", data).status_code == 302
    assert Project.objects.count() == 2
