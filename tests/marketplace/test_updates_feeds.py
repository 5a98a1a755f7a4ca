"""Project updates: posting them, the public timeline, follower notifications and Atom feeds."""

import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent, Notification, User
from marketplace import services
from marketplace.models import ProjectFollow, ProjectUpdate
from tests.factories import AdminFactory, CitizenFactory, EmployeeFactory, ProjectFactory

ATOM = "{http://www.w3.org/2005/Atom}"


pytestmark = pytest.mark.usefixtures("english")  # the assertions read English


@pytest.fixture
def lead(db):
    return EmployeeFactory(display_name="Lena Lead")


@pytest.fixture
def project(lead):
    return ProjectFactory(title="Digitale Bauakte", phase="define", leads=[lead])


def form_url(project) -> str:
    return f"/projects/{project.slug}/updates/new/"


def post_update(client, user, project, **data):
    client.force_login(user)
    payload = {"title": "Prototyp fertig", "text": "Wir testen ab Montag."} | data
    return client.post(form_url(project), payload)


def follow(project, person):
    ProjectFollow.objects.create(project=project, follower=person)
    return person


def atom_entries(response) -> list[dict]:
    root = ET.fromstring(response.content)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary") or "",
        }
        for entry in root.iter(f"{ATOM}entry")
    ]


# --- Posting --------------------------------------------------------------------------


def test_the_lead_posts_an_update_and_lands_on_it_in_the_timeline(client, project, lead):
    assert client.get(form_url(project)).status_code == 302  # anonymous: to sign-in
    client.force_login(lead)
    form = client.get(form_url(project))
    assert form.status_code == 200
    assert "Ideate" in form.content.decode()  # the next phase is offered

    response = post_update(client, lead, project)

    update = ProjectUpdate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.slug}/#update-{update.pk}"
    assert (update.project, update.author, update.phase) == (project, lead, "")
    assert AuditEvent.objects.filter(verb="project.update_posted", actor=lead).count() == 1
    page = client.get(project.get_absolute_url()).content.decode()
    assert f'id="update-{update.pk}"' in page
    assert "Prototyp fertig" in page and "Wir testen ab Montag." in page


def test_an_update_can_move_the_project_to_the_next_phase(client, project, lead):
    post_update(client, lead, project, move_to_next_phase="on")

    project.refresh_from_db()
    update = ProjectUpdate.objects.get()
    assert project.phase == "ideate" and update.phase == "ideate"
    assert project.phase_changed_at is not None
    assert AuditEvent.objects.filter(verb="project.phase_changed").count() == 1
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Moved to the phase “Ideate”" in page


def test_in_the_last_phase_no_move_is_offered_and_none_happens(client, lead):
    project = ProjectFactory(phase="implement", leads=[lead])
    client.force_login(lead)
    assert "move_to_next_phase" not in client.get(form_url(project)).content.decode()
    assert post_update(client, lead, project, move_to_next_phase="on").status_code == 302
    project.refresh_from_db()
    assert project.phase == "implement"
    assert ProjectUpdate.objects.get().phase == ""
    with pytest.raises(ValidationError):
        services.post_update(lead, project, title="x", text="y", move_to_next_phase=True)


def test_followers_are_notified_in_the_same_transaction(project, lead):
    fan, other_fan = follow(project, CitizenFactory()), follow(project, EmployeeFactory())
    follow(project, lead)  # the author hears nothing about their own update
    stranger = CitizenFactory()

    update = services.post_update(lead, project, title="Neu", text="Etwas Neues.")

    notes = Notification.objects.filter(kind="project_update")
    assert {note.recipient for note in notes} == {fan, other_fan}
    assert {note.event_key for note in notes} == {f"project-update:{update.pk}"}
    assert notes[0].data == {"project": project.title, "title": "Neu"}
    assert notes[0].url == f"/projects/{project.slug}/#update-{update.pk}"
    assert not Notification.objects.filter(recipient=stranger).exists()


def test_followers_of_an_internal_project_hear_only_if_they_may_read_it(lead):
    project = ProjectFactory(is_internal=True, internal_reason="Intern.", leads=[lead])
    citizen, colleague = follow(project, CitizenFactory()), follow(project, EmployeeFactory())

    services.post_update(lead, project, title="Intern", text="Nur für Beschäftigte.")

    assert set(User.objects.filter(notifications__kind="project_update")) == {colleague}
    assert not citizen.notifications.exists()


def test_a_double_submit_posts_one_update_moves_once_and_notifies_once(client, project, lead):
    follow(project, CitizenFactory())
    first = post_update(client, lead, project, move_to_next_phase="on")
    second = post_update(client, lead, project, move_to_next_phase="on")

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert ProjectUpdate.objects.count() == 1
    project.refresh_from_db()
    assert project.phase == "ideate"
    assert Notification.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "text": ""},
        {"title": "   ", "text": "Text"},
        {"title": "x" * 201, "text": "Text"},
        {"title": "Titel", "text": "x" * 10_001},
    ],
    ids=["empty", "blank", "title too long", "text too long"],
)
def test_bad_input_is_refused_with_422(client, project, lead, data):
    response = post_update(client, lead, project, **data)
    assert response.status_code == 422
    assert not ProjectUpdate.objects.exists()


def test_a_checkbox_of_the_wrong_type_is_read_as_a_checkbox(client, project, lead):
    response = post_update(client, lead, project, move_to_next_phase=["yes", "no"])
    assert response.status_code == 302
    assert ProjectUpdate.objects.count() == 1


@pytest.mark.parametrize("visitor", ["employee", "citizen", "other lead"])
def test_others_may_not_post(client, project, visitor):
    user = {
        "employee": EmployeeFactory,
        "citizen": CitizenFactory,
        # Leading another project gives no right on this one.
        "other lead": lambda: ProjectFactory().leads.first(),
    }[visitor]()
    assert post_update(client, user, project).status_code == 403
    assert client.get(form_url(project)).status_code == 403
    assert not ProjectUpdate.objects.exists()
    with pytest.raises(PermissionDenied):
        services.post_update(user, project, title="x", text="y")


def test_an_administrator_may_post(client, project):
    assert post_update(client, AdminFactory(), project).status_code == 302


def test_a_draft_takes_no_updates(client, lead):
    draft = ProjectFactory(status="draft", published_at=None, leads=[lead])
    assert post_update(client, lead, draft).status_code == 400
    assert client.get(form_url(draft)).status_code == 400
    assert not ProjectUpdate.objects.exists()
    assert client.get("/projects/no-such-project/updates/new/").status_code == 404


def test_the_timeline_escapes_text_and_shows_the_newest_first(client, project, lead):
    services.post_update(lead, project, title="Erstes", text="<b>eins</b>")
    services.post_update(lead, project, title="Zweites", text="zwei")
    page = client.get(project.get_absolute_url()).content.decode()
    assert page.index("Zweites") < page.index("Erstes")
    assert "<b>eins</b>" not in page and "&lt;b&gt;eins&lt;/b&gt;" in page
    assert "Lena Lead" in page


# --- Feeds --------------------------------------------------------------------------------


def test_the_project_feed_holds_exactly_its_updates_and_is_linked(client, project, lead):
    services.post_update(lead, project, title="Erstes", text="<script>x</script>")
    second = services.post_update(lead, project, title="Zweites", text="zwei")
    other = ProjectFactory()
    services.post_update(other.leads.first(), other, title="Fremd", text="anderes Projekt")

    response = client.get(f"/projects/{project.slug}/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = atom_entries(response)
    assert [entry["title"] for entry in entries] == ["Zweites", "Erstes"]
    assert entries[0]["link"] == f"http://testserver/projects/{project.slug}/#update-{second.pk}"
    assert "<script>" not in entries[1]["summary"]
    page = client.get(project.get_absolute_url()).content.decode()
    assert (
        f'<link rel="alternate" type="application/atom+xml" href="/projects/{project.slug}/feed/"'
        in page
    )
    assert 'href="/feeds/projects/"' in page


@pytest.mark.parametrize("kind", ["draft", "internal", "unknown"])
def test_there_is_no_feed_for_drafts_internal_or_unknown_projects(client, lead, kind):
    if kind == "draft":
        slug = ProjectFactory(status="draft", published_at=None, leads=[lead]).slug
    elif kind == "internal":
        slug = ProjectFactory(is_internal=True, internal_reason="Intern.", leads=[lead]).slug
    else:
        slug = "no-such-project"
    client.force_login(lead)  # even the lead gets none: feeds are public
    assert client.get(f"/projects/{slug}/feed/").status_code == 404


def test_the_projects_feed_lists_published_projects_without_internal_details(client, lead):
    public = ProjectFactory(title="Öffentlich", summary="Offene Zusammenfassung")
    internal = ProjectFactory(
        title="Intern sichtbar",
        summary="Geheime Zusammenfassung",
        is_internal=True,
        internal_reason="Interne Abläufe.",
    )
    ProjectFactory(title="Entwurf", status="draft", published_at=None)

    response = client.get("/feeds/projects/")

    assert response.status_code == 200
    entries = {entry["title"]: entry for entry in atom_entries(response)}
    assert set(entries) == {public.title, internal.title}
    assert "Offene Zusammenfassung" in entries["Öffentlich"]["summary"]
    assert "Geheime Zusammenfassung" not in response.content.decode()
    for url in ["/", "/projects/", "/open-data/"]:
        assert (
            'type="application/atom+xml" href="/feeds/projects/"'
            in client.get(url).content.decode()
        )


def test_both_feeds_cost_the_same_queries_for_3_and_30_entries(client, project, lead):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries.captured_queries)

    project_feed, all_feed = f"/projects/{project.slug}/feed/", "/feeds/projects/"
    for number in range(3):
        ProjectUpdate.objects.create(project=project, title=f"N{number}", text="t", author=lead)
        ProjectFactory()
    few = (count(project_feed), count(all_feed))
    for number in range(27):
        ProjectUpdate.objects.create(project=project, title=f"M{number}", text="t", author=lead)
        ProjectFactory()
    assert (count(project_feed), count(all_feed)) == few
