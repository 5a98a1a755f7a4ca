"""The services of test and feedback rounds: SUS, opening, answering, closing, notifying."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import AuditEvent, Notification
from participation.models import Question, Response, Round, RoundStatus
from participation.services import rounds as services
from participation.services.rounds import AlreadyAnswered, RoundError, TaskAnswer, sus_score
from tests.factories import CitizenFactory, EmployeeFactory, ProjectFactory
from tests.factories_rounds import (
    SUS_EXAMPLE,
    SUS_EXAMPLE_SCORE,
    FeedbackRoundFactory,
    RoundFactory,
    participant,
)


def test_sus_follows_brookes_formula():
    assert sus_score(SUS_EXAMPLE) == SUS_EXAMPLE_SCORE
    assert sus_score([5, 1] * 5) == 100
    assert sus_score([1, 5] * 5) == 0
    assert sus_score([3] * 10) == 50
    assert sus_score([4, 2, 4, 2, 4, 2, 4, 2, 4, 1]) == Decimal("77.5")


@pytest.mark.parametrize("answers", [[3] * 9, [3] * 11, [0] + [3] * 9, [6] + [3] * 9])
def test_sus_refuses_anything_but_ten_answers_from_1_to_5(answers):
    with pytest.raises(RoundError):
        sus_score(answers)


def _answers(round_, outcome="yes", difficulty=2):
    return [TaskAnswer(task.pk, outcome, difficulty, "") for task in round_.tasks.all()]


@pytest.mark.django_db
def test_a_lead_drafts_opens_and_testers_are_told():
    lead = EmployeeFactory()
    project = ProjectFactory(leads=[lead])
    tester = participant(project, "testing")
    participant(project, "feedback")  # not asked: another kind of role
    round_ = services.create_round(
        lead,
        Round(
            project=project,
            kind="test",
            title="Prototyp 1",
            closes_on=timezone.localdate() + datetime.timedelta(days=7),
        ),
    )
    assert round_.status == RoundStatus.DRAFT and round_.phase == project.phase
    with pytest.raises(RoundError):
        services.open_round(lead, round_)  # no task yet
    services.add_task(lead, round_, title="Anmelden")
    services.add_task(lead, round_, title="Anmelden")  # a double submit: one task
    assert round_.tasks.count() == 1
    services.open_round(lead, round_)
    notified = Notification.objects.filter(kind="round_opened")
    assert [row.recipient for row in notified] == [tester]
    assert set(AuditEvent.objects.values_list("verb", flat=True)) >= {
        "round.created",
        "round.task_added",
        "round.opened",
    }


@pytest.mark.django_db
def test_only_leads_run_rounds():
    round_ = RoundFactory(status="draft", opened_at=None)
    with pytest.raises(PermissionDenied):
        services.open_round(EmployeeFactory(), round_)
    with pytest.raises(PermissionDenied):
        services.add_task(CitizenFactory(), round_, title="x")


@pytest.mark.django_db
def test_a_tester_answers_once_and_closing_publishes_the_aggregates():
    round_ = RoundFactory(steps=2)
    lead = round_.project.leads.get()
    testers = [participant(round_.project, "testing") for _ in range(3)]
    services.submit_test_response(testers[0], round_, _answers(round_, "yes", 1), SUS_EXAMPLE)
    services.submit_test_response(testers[1], round_, _answers(round_, "difficult", 4), [3] * 10)
    services.submit_test_response(testers[2], round_, _answers(round_, "no", 5), [1, 5] * 5)
    with pytest.raises(AlreadyAnswered):
        services.submit_test_response(testers[0], round_, _answers(round_), SUS_EXAMPLE)
    closed = services.close_round(lead, round_)
    results = closed.published_results
    assert results["respondents"] == 3
    assert results["sus"]["mean"] == pytest.approx((87.5 + 50 + 0) / 3, abs=0.05)
    assert results["sus"]["distribution"][8] == 1 and results["sus"]["distribution"][0] == 1
    first = results["tasks"][0]
    assert (first["yes"], first["difficult"], first["no"]) == (1, 1, 1)
    assert first["success_rate"] == 67 and first["median_difficulty"] == 4
    assert set(
        Notification.objects.filter(kind="round_results").values_list("recipient", flat=True)
    ) == {tester.pk for tester in testers}
    late = participant(round_.project, "testing")
    with pytest.raises(RoundError, match="geschlossen"):
        services.submit_test_response(late, closed, _answers(closed), SUS_EXAMPLE)


@pytest.mark.django_db
def test_outsiders_and_others_tasks_are_refused():
    round_ = RoundFactory(steps=1)
    other = RoundFactory(steps=1)
    with pytest.raises(PermissionDenied):
        services.submit_test_response(CitizenFactory(), round_, _answers(round_), SUS_EXAMPLE)
    tester = participant(round_.project, "testing")
    with pytest.raises(RoundError):
        services.submit_test_response(tester, round_, _answers(other), SUS_EXAMPLE)
    with pytest.raises(RoundError):
        services.submit_test_response(tester, round_, _answers(round_, difficulty=6), SUS_EXAMPLE)
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_a_round_past_its_date_takes_no_answers():
    round_ = RoundFactory(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    tester = participant(round_.project, "testing")
    with pytest.raises(RoundError):
        services.submit_test_response(tester, round_, _answers(round_), SUS_EXAMPLE)


@pytest.mark.django_db
def test_feedback_answers_are_checked_and_anonymous_ones_audited_without_actor():
    round_ = FeedbackRoundFactory(steps=0, audience="signed_in")
    rating = Question.objects.create(round=round_, position=1, text="Wie?", kind="rating")
    choice = Question.objects.create(
        round=round_, position=2, text="Was?", kind="multiple", options=["A", "B", "C"]
    )
    text = Question.objects.create(
        round=round_, position=3, text="Sonst?", kind="text", is_required=False
    )
    person = CitizenFactory()
    for bad in [
        {rating.pk: 6, choice.pk: [0]},
        {rating.pk: 3, choice.pk: [5]},
        {rating.pk: 3},
        {rating.pk: 3, choice.pk: [0], 999_999: "x"},
    ]:
        with pytest.raises(RoundError):
            services.submit_feedback_response(person, round_, bad)
    services.submit_feedback_response(person, round_, {rating.pk: 4, choice.pk: [0, 2]})
    assert not round_.responses.get().answers.filter(question=text).exists()
    event = AuditEvent.objects.get(verb="round.answered")
    assert event.actor is None
    lead = round_.project.leads.get()
    results = services.close_round(lead, round_).published_results
    assert results["questions"][0]["counts"] == [0, 0, 0, 1, 0]
    assert results["questions"][1]["counts"] == [1, 0, 1]
    assert "Sonst?" in results["questions"][2]["text"]
