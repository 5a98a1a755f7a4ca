"""The demo data looks like a department some months into the 3/4 rule.

It once dated project updates in the future, gave some projects two identical
roles and put the organisation at 28 % in projects.
"""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from marketplace.models import Project, ProjectUpdate, Role
from workload.models import WorkloadSnapshot


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo data once for the module (4 s a load), inside a transaction that is rolled
    back after it; each test's own transaction is a savepoint within, as ever."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(DEBUG=True):
            call_command("load_demo_data", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded, db):
    pass


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
