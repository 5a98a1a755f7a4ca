"""The pages of test and feedback rounds, for leads, participants, outsiders and the public."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Notification
from participation.models import Question, Response, Round
from participation.services import rounds as services
from participation.services.rounds import TaskAnswer
from tests.factories import CitizenFactory, EmployeeFactory, ProjectFactory
from tests.factories_rounds import (
    SUS_EXAMPLE,
    FeedbackRoundFactory,
    RoundFactory,
    participant,
)

pytestmark = pytest.mark.django_db


def _test_post(round_, outcome="yes", difficulty="2", sus=SUS_EXAMPLE):
    data = {}
    for task in round_.tasks.all():
        data[f"task-{task.pk}-outcome"] = outcome
        data[f"task-{task.pk}-difficulty"] = difficulty
        data[f"task-{task.pk}-notes"] = "Ging gut."
    for number, value in enumerate(sus, 1):
        data[f"sus-{number}"] = str(value)
    return data


def _url(round_, tail=""):
    return round_.get_absolute_url() + tail


def test_a_lead_plans_a_round_and_adds_tasks(client):
    lead = EmployeeFactory()
    project = ProjectFactory(leads=[lead])
    client.force_login(lead)
    closes_on = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = client.post(
        f"/projects/{project.slug}/rounds/new/",
        {
            "kind": "test",
            "title": "Prototyp",
            "audience": "members",
            "is_anonymous": "on",
            "closes_on": closes_on,
        },
    )
    round_ = Round.objects.get()
    assert response.status_code == 302 and response.url == round_.get_absolute_url()
    assert client.post(_url(round_, "tasks/"), {"title": "Anmelden"}).status_code == 302
    assert client.post(_url(round_, "open/")).status_code == 302
    round_.refresh_from_db()
    assert round_.status == "open"
    # Once open, the tasks stay as they are.
    refused = client.post(_url(round_, "tasks/"), {"title": "Noch eine"})
    assert refused.status_code == 409
    assert "nur" in refused.content.decode() or "only" in refused.content.decode()


def test_a_round_with_a_past_date_is_refused_with_a_message(client):
    lead = EmployeeFactory()
    project = ProjectFactory(leads=[lead])
    client.force_login(lead)
    response = client.post(
        f"/projects/{project.slug}/rounds/new/",
        {"kind": "test", "title": "Alt", "audience": "members", "closes_on": "2000-01-01"},
    )
    assert response.status_code == 422
    assert not Round.objects.exists()


def test_drafts_and_other_projects_rounds_are_404(client):
    draft = RoundFactory(status="draft", opened_at=None)
    other = ProjectFactory()
    assert client.get(_url(draft)).status_code == 404
    assert client.get(f"/projects/{other.slug}/rounds/{draft.pk}/").status_code == 404
    client.force_login(draft.project.leads.get())
    assert client.get(_url(draft)).status_code == 200


def test_only_leads_open_close_and_read_raw_results(client):
    round_ = RoundFactory()
    client.force_login(participant(round_.project, "testing"))
    for tail in ["close/", "open/"]:
        assert client.post(_url(round_, tail)).status_code == 403
    assert client.get(_url(round_, "results/")).status_code == 403
    assert client.get(_url(round_, "results.csv")).status_code == 403


def test_a_tester_answers_sees_their_answers_and_cannot_answer_twice(client):
    round_ = RoundFactory(steps=2)
    tester = participant(round_.project, "testing")
    client.force_login(tester)
    assert client.get(_url(round_, "answer/")).status_code == 200
    response = client.post(_url(round_, "answer/"), _test_post(round_))
    assert response.status_code == 302
    assert Response.objects.get().sus_score == 87.5
    page = client.get(_url(round_)).content.decode()
    assert "Ihre Antworten" in page and "87,5" in page
    again = client.post(_url(round_, "answer/"), _test_post(round_))
    assert again.status_code == 409
    assert "bereits" in again.content.decode()
    assert Response.objects.count() == 1


def test_out_of_range_and_foreign_values_are_422(client):
    round_ = RoundFactory(steps=1)
    client.force_login(participant(round_.project, "testing"))
    assert client.post(_url(round_, "answer/"), _test_post(round_, difficulty="9")).status_code
    bad = client.post(_url(round_, "answer/"), _test_post(round_, sus=[7] * 10))
    assert bad.status_code == 422
    assert client.post(_url(round_, "answer/"), {}).status_code == 422
    assert not Response.objects.exists()


def test_outsiders_may_not_answer_a_round_for_members(client):
    round_ = RoundFactory()
    client.force_login(CitizenFactory())
    assert client.get(_url(round_, "answer/")).status_code == 403
    assert client.post(_url(round_, "answer/"), _test_post(round_)).status_code == 403


def test_answers_after_closing_are_refused(client):
    round_ = RoundFactory()
    tester = participant(round_.project, "testing")
    services.close_round(round_.project.leads.get(), round_)
    client.force_login(tester)
    response = client.post(_url(round_, "answer/"), _test_post(round_))
    assert response.status_code == 410
    assert "geschlossen" in response.content.decode()
    assert client.get(_url(round_, "answer/")).status_code == 410


def _answered_feedback_round():
    round_ = FeedbackRoundFactory(steps=0, audience="signed_in", is_anonymous=True)
    rating = Question.objects.create(round=round_, position=1, text="Wie gut?", kind="rating")
    text = Question.objects.create(
        round=round_, position=2, text="Was fehlt?", kind="text", is_required=False
    )
    people = CitizenFactory.create_batch(3, display_name="Erika Beispiel")
    for number, person in enumerate(people):
        services.submit_feedback_response(
            person, round_, {rating.pk: number + 3, text.pk: f"Geheimer Text {number}"}
        )
    return round_, people


def test_published_results_show_aggregates_but_no_answers_or_names(client):
    round_, people = _answered_feedback_round()
    services.close_round(round_.project.leads.get(), round_)
    page = client.get(_url(round_)).content.decode()
    assert "<svg" in page and "Durchschnitt 4,0 von 5" in page
    assert "Geheimer Text" not in page and "Erika Beispiel" not in page
    project_page = client.get(round_.project.get_absolute_url()).content.decode()
    assert round_.title in project_page and "3 Personen haben teilgenommen" in project_page
    assert Notification.objects.filter(kind="round_results").count() == 3


def test_the_team_reads_texts_without_names_and_gets_a_csv(client):
    round_, _people = _answered_feedback_round()
    client.force_login(round_.project.leads.get())
    page = client.get(_url(round_, "results/")).content.decode()
    assert "Geheimer Text 1" in page and "Erika Beispiel" not in page
    csv_response = client.get(_url(round_, "results.csv"))
    body = b"".join(csv_response.streaming_content).decode()
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "Geheimer Text 2" in body and "Erika Beispiel" not in body


def test_a_test_round_page_costs_the_same_queries_for_few_and_many(
    client, django_assert_num_queries
):
    round_ = RoundFactory(steps=2)
    lead = round_.project.leads.get()

    def answer(count):
        for _ in range(count):
            tester = participant(round_.project, "testing")
            services.submit_test_response(
                tester,
                round_,
                [TaskAnswer(task.pk, "yes", 2, "x") for task in round_.tasks.all()],
                SUS_EXAMPLE,
            )

    client.force_login(lead)
    answer(1)
    client.get(_url(round_, "results/"))
    with django_assert_num_queries(ROUND_RESULTS_QUERIES):
        client.get(_url(round_, "results/"))
    answer(4)
    with django_assert_num_queries(ROUND_RESULTS_QUERIES):
        client.get(_url(round_, "results/"))
    services.close_round(lead, round_)
    client.logout()
    with django_assert_num_queries(ROUND_PAGE_QUERIES_ANONYMOUS):
        assert client.get(_url(round_)).status_code == 200


# session, user, project, leads, round, tasks, outcomes, SUS scores, count, notes
ROUND_RESULTS_QUERIES = 11
# project, leads, round, tasks
ROUND_PAGE_QUERIES_ANONYMOUS = 4
