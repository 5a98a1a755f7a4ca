"""Ideas on open questions: posting, supporting, answering, and what the public sees."""

import json

import pytest

from accounts.models import AuditEvent, Notification
from accounts.privacy import delete_account, export_personal_data
from participation.models import Idea, IdeaQuestion, IdeaSupport, Question
from participation.services import rounds as round_services
from tests.factories import CitizenFactory, EmployeeFactory, ProjectFactory
from tests.factories_rounds import (
    FeedbackRoundFactory,
    IdeaFactory,
    IdeaQuestionFactory,
    participant,
)

pytestmark = pytest.mark.django_db


def _list(project):
    return f"/projects/{project.slug}/ideas/"


def test_a_lead_asks_and_idea_givers_post_once(client):
    lead = EmployeeFactory()
    project = ProjectFactory(leads=[lead])
    client.force_login(lead)
    response = client.post(
        _list(project) + "questions/",
        {"new-question-title": "Wie erreichen wir Ältere?", "new-question-audience": "members"},
    )
    assert response.status_code == 302
    question = IdeaQuestion.objects.get()
    giver = participant(project, "ideas")
    client.force_login(giver)
    post = {f"question-{question.pk}-title": "Aushänge", f"question-{question.pk}-text": "Im Kiez."}
    url = _list(project) + f"questions/{question.pk}/ideas/"
    assert client.post(url, post).status_code == 302
    assert client.post(url, post).status_code == 302  # a double submit
    assert Idea.objects.count() == 1
    client.force_login(CitizenFactory())  # not an idea giver of this project
    assert client.post(url, post).status_code == 403


def test_others_questions_and_ideas_are_404(client):
    idea = IdeaFactory()
    other = ProjectFactory()
    client.force_login(CitizenFactory())
    assert (
        client.post(_list(other) + f"{idea.pk}/support/", {"action": "support"}).status_code == 404
    )
    url = _list(other) + f"questions/{idea.question.pk}/ideas/"
    assert client.post(url, {}).status_code == 404


def test_support_is_idempotent_and_not_for_ones_own_idea(client):
    idea = IdeaFactory()
    url = _list(idea.question.project) + f"{idea.pk}/support/"
    client.force_login(CitizenFactory())
    client.post(url, {"action": "support"})
    client.post(url, {"action": "support"})
    assert IdeaSupport.objects.count() == 1
    assert client.post(url, {"action": "nonsense"}).status_code == 400
    client.force_login(idea.author)
    assert client.post(url, {"action": "support"}).status_code == 409


def test_the_team_answers_with_a_reason_and_the_author_is_told(client):
    idea = IdeaFactory()
    project = idea.question.project
    url = _list(project) + f"{idea.pk}/answer/"
    client.force_login(idea.author)
    assert client.post(url, {f"idea-{idea.pk}-status": "adopted"}).status_code == 403
    client.force_login(project.leads.get())
    missing = client.post(url, {f"idea-{idea.pk}-status": "adopted"})
    assert missing.status_code == 422
    bad = client.post(url, {f"idea-{idea.pk}-status": "new", f"idea-{idea.pk}-reason": "x"})
    assert bad.status_code == 422
    answer = {f"idea-{idea.pk}-status": "adopted", f"idea-{idea.pk}-reason": "Machen wir."}
    assert client.post(url, answer).status_code == 302
    assert Notification.objects.get(kind="idea_answered").recipient == idea.author
    assert AuditEvent.objects.filter(verb="idea.answered").exists()
    client.logout()
    project_page = client.get(project.get_absolute_url()).content.decode()
    assert "Was aus Ihren Ideen wurde" in project_page and "Machen wir." in project_page
    client.force_login(idea.author)
    assert "Machen wir." in client.get("/me/").content.decode()


def test_closed_questions_take_no_ideas(client):
    question = IdeaQuestionFactory()
    client.force_login(question.project.leads.get())
    client.post(_list(question.project) + f"questions/{question.pk}/close/")
    client.force_login(CitizenFactory())
    url = _list(question.project) + f"questions/{question.pk}/ideas/"
    post = {f"question-{question.pk}-title": "Spät", f"question-{question.pk}-text": "Zu spät."}
    assert client.post(url, post).status_code == 409
    assert not Idea.objects.exists()


def test_the_ideas_page_costs_the_same_queries_for_few_and_many(client, django_assert_num_queries):
    question = IdeaQuestionFactory()
    IdeaFactory(question=question)
    client.force_login(CitizenFactory())
    url = _list(question.project)
    client.get(url)
    with django_assert_num_queries(IDEAS_PAGE_QUERIES):
        assert client.get(url).status_code == 200
    IdeaFactory.create_batch(6, question=question)
    IdeaQuestionFactory.create_batch(2, project=question.project)
    with django_assert_num_queries(IDEAS_PAGE_QUERIES):
        assert client.get(url).status_code == 200


# session, user, project, leads, questions, ideas, own supports, idea-giver role, unread count
IDEAS_PAGE_QUERIES = 9


def test_export_and_erasure_keep_published_aggregates(client):
    round_ = FeedbackRoundFactory(steps=0, audience="signed_in")
    rating = Question.objects.create(round=round_, position=1, text="Wie?", kind="rating")
    text = Question.objects.create(round=round_, position=2, text="Was?", kind="text")
    person = CitizenFactory()
    round_services.submit_feedback_response(person, round_, {rating.pk: 5, text.pk: "Ich, Ada"})
    exported = json.loads(json.dumps(export_personal_data(person), default=str))
    assert exported["participation.response"][0]["answers"][1]["text"] == "Ich, Ada"
    delete_account(person)
    answer = round_.responses.get().answers.get(question=text)
    assert answer.text == "" and round_.responses.get().respondent is None
    closed = round_services.close_round(round_.project.leads.get(), round_)
    assert closed.published_results["questions"][0]["counts"] == [0, 0, 0, 0, 1]
    data = client.get("/open-data/round-results.json").json()
    assert "Ich, Ada" not in json.dumps(data)
    assert data["results"][0]["respondents"] == 1
    assert data["results"][0]["items"][0].startswith("1. Wie?: mean 5.0")
    csv_body = b"".join(client.get("/open-data/round-results.csv").streaming_content).decode()
    assert "Ich, Ada" not in csv_body and round_.title in csv_body


@pytest.mark.parametrize("form", ["idea", "answer"])
def test_a_refused_idea_or_answer_puts_error_before_the_page_title(client, form):
    idea = IdeaFactory()
    project, question = idea.question.project, idea.question
    if form == "idea":
        client.force_login(participant(project, "ideas"))
        url, data = _list(project) + f"questions/{question.pk}/ideas/", {}
    else:
        client.force_login(project.leads.get())
        url, data = _list(project) + f"{idea.pk}/answer/", {f"idea-{idea.pk}-status": "adopted"}
    response = client.post(url, data, headers={"accept-language": "de"})
    assert response.status_code == 422
    assert "<title>Fehler: " in response.content.decode()
    assert "<title>Fehler: " not in client.get(_list(project)).content.decode()
