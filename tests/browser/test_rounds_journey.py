"""A test round and a feedback round, from planning to published results, in Chromium.

The lead plans and opens each round, three accepted participants answer it,
the lead closes it, and the public sees the aggregates: the SUS score on the
page is the mean of the scores Brooke's formula gives the answers typed in.
The journey runs with JavaScript and without: every step is a plain form.
"""

import datetime

import pytest
from django.utils import timezone

from participation.models import Question, Round, RoundTask
from tests.browser.test_joining_journey import accessibility_check, signed_in_page
from tests.conftest import context_with_axe
from tests.factories import EmployeeFactory, ProjectFactory
from tests.factories_rounds import participant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The ten SUS answers of each tester, and what each did with the two tasks.
SUS_ANSWERS = [
    [5, 1, 4, 2, 5, 2, 4, 1, 4, 1],
    [3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
    [4, 2, 4, 2, 4, 2, 4, 2, 4, 3],
]
OUTCOMES = ["yes", "difficult", "no"]
RATINGS = [5, 4, 2]


def brooke_score(answers: list[int]) -> float:
    """The standard SUS scoring, written out apart from the code under test."""
    odd = sum(answers[index] - 1 for index in range(0, 10, 2))
    even = sum(5 - answers[index] for index in range(1, 10, 2))
    return (odd + even) * 2.5


def _plan(page, live_server, project, kind: str, title: str, check) -> Round:
    page.goto(f"{live_server.url}/projects/{project.slug}/rounds/")
    check(page)
    link = "Plan a test round" if kind == "test" else "Plan a feedback round"
    page.get_by_role("link", name=link).click()
    page.get_by_label("Title").fill(title)
    closes_on = timezone.localdate() + datetime.timedelta(days=7)
    page.get_by_label("Open until").fill(closes_on.isoformat())
    if kind == "feedback":
        page.get_by_label("Everyone signed in").check()
    check(page)
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_url("**/rounds/*/")
    return Round.objects.get(title=title)


def _add_task(page, title: str) -> None:
    page.get_by_label("What the tester should do").fill(title)
    page.get_by_role("button", name="Add the task").click()
    page.get_by_text("The task is added.").wait_for()


def _add_question(page, text: str, kind_label: str, options: str = "") -> None:
    page.get_by_label("Question:", exact=True).fill(text)
    page.get_by_label(kind_label).check()
    page.get_by_label("An answer is required").check()
    if options:
        page.get_by_label("Options (one per line)").fill(options)
    page.get_by_role("button", name="Add the question").click()
    page.get_by_text("The question is added.").wait_for()


def _open(page, check) -> None:
    check(page)
    page.get_by_role("button", name="Open the round").click()
    page.get_by_text("The round is open.").wait_for()


def _close(page, live_server, round_) -> None:
    page.goto(live_server.url + round_.get_absolute_url())
    page.get_by_role("button", name="Close the round and publish the results").click()
    page.get_by_text("The round is closed and its results are published.").wait_for()


def _answer_test(page, live_server, round_, number: int, check) -> None:
    page.goto(live_server.url + round_.get_absolute_url())
    page.get_by_role("link", name="Take part in the test").click()
    check(page)
    for task in RoundTask.objects.filter(round=round_):
        page.locator(f'input[name="task-{task.pk}-outcome"][value="{OUTCOMES[number]}"]').check()
        page.locator(f'input[name="task-{task.pk}-difficulty"][value="{number + 2}"]').check()
        page.locator(f'textarea[name="task-{task.pk}-notes"]').fill(f"Notiz {number}")
    for item, value in enumerate(SUS_ANSWERS[number], 1):
        page.locator(f'input[name="sus-{item}"][value="{value}"]').check()
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("Thank you. Your answers are saved.").wait_for()
    page.get_by_role("heading", name="Your answers").wait_for()
    check(page)


def _answer_feedback(page, live_server, round_, number: int, check) -> None:
    page.goto(live_server.url + round_.get_absolute_url())
    page.get_by_role("link", name="Answer the questionnaire").click()
    check(page)
    rating, choice = Question.objects.filter(round=round_).order_by("position")
    page.locator(f'input[name="question-{rating.pk}"][value="{RATINGS[number]}"]').check()
    page.locator(f'input[name="question-{choice.pk}"][value="{number % 2}"]').check()
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("Thank you. Your answers are saved.").wait_for()


@pytest.mark.long_running
@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_rounds_run_from_opening_to_published_results(browser, live_server, javascript):
    lead = EmployeeFactory()
    project = ProjectFactory(leads=[lead], title="Wohnsitz online")
    people = [participant(project, "testing") for _ in range(3)]
    for person in people:
        participant(project, "feedback", person)

    with accessibility_check(browser, javascript) as check:
        with signed_in_page(browser, live_server, lead, javascript) as page:
            test_round = _plan(page, live_server, project, "test", "Prototyp 1", check)
            _add_task(page, "Wohnung anmelden")
            _add_task(page, "Mietvertrag hochladen")
            _open(page, check)
            feedback_round = _plan(page, live_server, project, "feedback", "Texte", check)
            _add_question(page, "Wie verständlich?", "Rating from 1 to 5")
            _add_question(page, "Online anmelden?", "Single choice", "Ja\nNein")
            _open(page, check)

        for number, person in enumerate(people):
            with signed_in_page(browser, live_server, person, javascript) as page:
                _answer_test(page, live_server, test_round, number, check)
                _answer_feedback(page, live_server, feedback_round, number, check)

        with signed_in_page(browser, live_server, lead, javascript) as page:
            _close(page, live_server, test_round)
            _close(page, live_server, feedback_round)

        public = context_with_axe(browser, locale="en-GB", java_script_enabled=javascript)
        try:
            page = public.new_page()
            page.goto(live_server.url + test_round.get_absolute_url())
            check(page)
            mean = sum(brooke_score(answers) for answers in SUS_ANSWERS) / len(SUS_ANSWERS)
            expected = f"The mean SUS score of 3 testers is {mean:.1f} of 100"
            assert page.get_by_text(expected).first.is_visible()
            assert page.locator("svg[role=img]").count() >= 3
            assert "Notiz" not in page.content()
            page.goto(live_server.url + feedback_round.get_absolute_url())
            check(page)
            rating_mean = sum(RATINGS) / len(RATINGS)
            assert page.get_by_text(f"On average {rating_mean:.1f} of 5, from 3 answers.").first
            assert page.get_by_text("3 people took part.").first.is_visible()
            page.goto(live_server.url + project.get_absolute_url())
            assert page.get_by_role("link", name="Prototyp 1").is_visible()
            assert page.get_by_text(expected).first.is_visible()
        finally:
            public.close()
