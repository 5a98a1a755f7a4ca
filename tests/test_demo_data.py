"""The demo data, loaded once for this module: what `make run` shows a newcomer.

It looks like a department some months into the 3/4 rule (it once dated project
updates in the future, gave some projects two identical roles and put the
organisation at 28 % in projects); it loads once and again only when asked or
changed; and no public channel (open data, feeds) shows what is not public of it.

A load costs about ten seconds, so every test against the demo data lives here
and shares one. The commands themselves run in a subprocess against SQLite in
``tests/test_foundation.py::test_the_embedded_default_migrates_and_loads_the_demo_data``.
"""

import io
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from accounts.management.commands import load_demo_data
from accounts.models import AuditEvent, Department, User
from marketplace.models import Project, ProjectUpdate, Role
from participation.models import Proposal
from tests.marketplace.test_open_data import HIDDEN_FOR_INTERNAL, all_rows
from tests.marketplace.test_updates_feeds import atom_entries
from workload.models import WorkloadSnapshot

DEMO_EMAILS = [email for email, _role in load_demo_data.DEMO_LOGINS]


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo data once for the module, inside a transaction that is rolled back after
    it; each test's own transaction is a savepoint within, as ever."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(DEBUG=True):
            call_command("load_demo_data", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded, db):
    pass


@pytest.fixture
def debug(settings):
    """`make run` runs the command with DEBUG on; it refuses to run without."""
    settings.DEBUG = True
    return settings


RECORDED_LOADS = []


def record_a_load():
    """A demo loader of another source than the apps' (see the test that uses it)."""
    RECORDED_LOADS.append(True)


def test_every_update_lies_in_the_past_after_its_project_was_published(demo):
    now = timezone.now()
    updates = ProjectUpdate.objects.select_related("project")
    assert updates.count() >= 10
    for update in updates:
        assert update.created_at < now, (update.project.slug, update.created_at)
        assert (
            update.project.published_at is None or update.created_at > update.project.published_at
        )


def test_started_and_finished_projects_carry_past_dates(demo):
    today = timezone.localdate()
    for project in Project.objects.exclude(status="draft"):
        assert project.starts_on <= today, project.slug
        if project.status in {"completed", "cancelled"}:
            assert project.ends_on < today, project.slug
        else:
            assert project.ends_on > today, project.slug  # no reminders for a passed end


def test_no_project_has_two_roles_of_the_same_name(demo):
    doubled = (
        Role.objects.values("project__slug", "title")
        .annotate(count=Count("id"))
        .filter(count__gt=1)
    )
    assert list(doubled) == []
    titles = Counter(Role.objects.filter(audience="employees").values_list("title", flat=True))
    assert len(titles) >= 8  # varied roles across the projects


def test_the_organisation_sits_near_but_under_the_target_with_a_few_over(demo):
    latest = WorkloadSnapshot.objects.order_by("-reference_date", "-pk").first()
    assert 0.60 <= latest.project_share < latest.target
    assert 2 <= latest.over_count <= 5
    assert latest.on_count >= latest.employee_count // 3
    assert latest.below_count >= 3  # the administrators and the demo employee in no project
    assert latest.above_count >= 1
    trend = list(
        WorkloadSnapshot.objects.order_by("reference_date").values_list("project_share", flat=True)
    )
    assert trend == sorted(trend) and trend[0] < trend[-1]  # the share grew over the months


def test_the_showcase_has_a_finished_test_round_an_open_feedback_round_and_answered_ideas(demo):
    from accounts.models import User
    from participation.demo_activities import showcase_project
    from participation.models import Idea

    project = showcase_project(User.objects.get(email="lead@example.org"))
    test_round = project.rounds.get(kind="test")
    assert test_round.status == "closed"
    assert test_round.published_results["sus"]["count"] >= 3
    assert test_round.published_results["sus"]["mean"] is not None
    assert project.rounds.get(kind="feedback").status == "open"
    answered = Idea.objects.answered().filter(question__project=project)
    assert {idea.status for idea in answered} == {"adopted", "considering", "not_pursued"}


# --- Loading again ------------------------------------------------------------------------------


def test_a_second_load_is_a_no_op_of_a_few_queries_that_prints_the_logins(
    demo, debug, django_assert_max_num_queries
):
    people, departments = User.objects.count(), Department.objects.count()
    output = io.StringIO()
    with django_assert_max_num_queries(3):
        call_command("load_demo_data", stdout=output)
    assert (User.objects.count(), Department.objects.count()) == (people, departments)
    assert AuditEvent.objects.filter(verb=load_demo_data.LOADED).count() == 1
    assert "loaded already" in output.getvalue()
    for email in DEMO_EMAILS:
        assert email in output.getvalue()
        assert User.objects.get(email=email).check_password("demo")
    assert User.objects.get(email=DEMO_EMAILS[0]).is_superuser


def test_a_forced_load_loads_again_without_duplicates(demo, debug):
    people, departments = User.objects.count(), Department.objects.count()
    User.objects.filter(email="staff@example.org").delete()
    call_command("load_demo_data", stdout=io.StringIO())
    assert not User.objects.filter(email="staff@example.org").exists()  # unchanged: skipped

    call_command("load_demo_data", "--force", stdout=io.StringIO())
    assert User.objects.filter(email="staff@example.org").exists()
    assert (User.objects.count(), Department.objects.count()) == (people, departments)


def test_the_demo_data_loads_again_once_its_loaders_changed(demo, debug, monkeypatch):
    """Another loader source stands for an edited one: its fingerprint is not the loaded one."""
    monkeypatch.setattr(load_demo_data, "demo_loaders", lambda: [f"{__name__}.record_a_load"])
    RECORDED_LOADS.clear()
    call_command("load_demo_data", stdout=io.StringIO())
    assert RECORDED_LOADS == [True]
    call_command("load_demo_data", stdout=io.StringIO())
    assert RECORDED_LOADS == [True]  # this version is loaded now: skipped


def test_the_demo_administrator_can_open_the_admin(demo, client):
    assert client.login(email="admin@example.org", password="demo")
    assert client.get("/admin/").status_code == 200


# --- What the public channels show of it ---------------------------------------------------------


def test_open_data_holds_exactly_the_public_records_of_the_demo_data(demo, client):
    drafts = list(Project.objects.filter(status="draft"))
    internal = Project.objects.get(is_internal=True)
    assert drafts and internal.summary and internal.updates.exists()

    projects = all_rows(client, "projects")
    proposals = all_rows(client, "proposals")
    texts = [
        json.dumps(projects, ensure_ascii=False),
        json.dumps(proposals, ensure_ascii=False),
        client.get("/open-data/projects.csv").getvalue().decode("utf-8-sig"),
        client.get("/open-data/proposals.csv").getvalue().decode("utf-8-sig"),
    ]

    assert [row["id"] for row in projects] == sorted(
        Project.objects.published().values_list("id", flat=True)
    )
    assert [row["id"] for row in proposals] == sorted(Proposal.objects.values_list("id", flat=True))
    (internal_row,) = [row for row in projects if row["internal"]]
    assert internal_row["id"] == internal.pk
    assert all(internal_row[name] is None for name in HIDDEN_FOR_INTERNAL)
    everything = "\n".join(texts)
    for draft in drafts:
        assert draft.title not in everything and draft.slug not in everything
    assert internal.summary not in everything
    assert internal.description not in everything
    for person in User.objects.all():
        assert person.email not in everything
        if person.kind == "citizen" and person.display_name:
            assert person.display_name not in everything
    assert "@" not in everything


def test_feeds_leak_no_draft_no_internal_detail_and_no_personal_data(demo, client, english):
    drafts = Project.objects.filter(status="draft")
    internal = Project.objects.get(is_internal=True)
    assert drafts.exists() and internal.updates.exists()  # the demo data has all three risks
    # A draft's update could only come from outside the service; it must stay hidden all the same.
    draft = drafts.first()
    ProjectUpdate.objects.create(project=draft, title="Geheimer Entwurf", text="Geheim")

    everything = client.get("/feeds/projects/").content.decode()
    feeds = [everything]
    for project in Project.objects.published().filter(is_internal=False):
        response = client.get(f"/projects/{project.slug}/feed/")
        assert response.status_code == 200
        titles = [entry["title"] for entry in atom_entries(response)]
        assert titles == list(project.updates.values_list("title", flat=True))
        feeds.append(response.content.decode())
    for project in [*drafts, internal]:
        assert client.get(f"/projects/{project.slug}/feed/").status_code == 404

    # The feed is read in English here: English titles where the project has one.
    published = {project.title_for("en").text for project in Project.objects.published()}
    assert {entry["title"] for entry in atom_entries(client.get("/feeds/projects/"))} == (published)
    text = "\n".join(feeds)
    for project in drafts:
        assert project.title not in text and project.slug not in text
    assert "Geheimer Entwurf" not in text
    assert internal.summary not in text
    for person in User.objects.all():
        assert person.email not in text
