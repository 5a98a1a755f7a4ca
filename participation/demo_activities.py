"""Demo test round, feedback round and ideas on the showcase project (``load_demo_data``).

The showcase is the demo lead's first public project. One finished test round
with results and SUS, one open feedback round, and ideas with the team's
answers; written through the services, so they hold what the pages expect.
"""

import datetime

from django.utils import timezone

from accounts.models import User
from marketplace.models import Project, Role
from participation.models import IdeaQuestion, Membership, Question, Round, RoundTask
from participation.services import ideas as idea_services
from participation.services import rounds as round_services
from participation.services.rounds import TaskAnswer

# Each tester's outcomes per task and their ten SUS answers.
TESTERS = [
    (["yes", "yes", "difficult"], [2, 1, 3], [4, 2, 4, 1, 4, 2, 5, 2, 4, 2]),
    (["yes", "difficult", "no"], [1, 4, 5], [3, 3, 3, 2, 3, 3, 4, 3, 3, 2]),
    (["yes", "yes", "yes"], [1, 2, 2], [5, 1, 5, 1, 4, 1, 5, 1, 5, 1]),
    (["difficult", "yes", "difficult"], [3, 2, 4], [4, 2, 4, 2, 3, 2, 4, 2, 4, 3]),
]
TASKS = [
    "Melden Sie eine neue Wohnung an",
    "Laden Sie den Mietvertrag hoch",
    "Finden Sie heraus, wann die Meldebescheinigung kommt",
]
IDEAS = [
    (
        "Erklärvideo in Gebärdensprache",
        "Ein kurzes Video erklärt jeden Schritt.",
        "adopted",
        "Wir nehmen das Video in die nächste Version auf.",
    ),
    (
        "Papierformular weiter anbieten",
        "Nicht alle sind online.",
        "considering",
        "Wir klären, wie das Bürgeramt beide Wege anbieten kann.",
    ),
    (
        "Anmeldung per Chatbot",
        "Ein Chat führt durch die Fragen.",
        "not_pursued",
        "Die Tests zeigten, dass ein klares Formular schneller ist.",
    ),
]


def showcase_project(lead) -> Project | None:
    return (
        Project.objects.filter(leads=lead, is_internal=False)
        .exclude(status__in=["draft", "cancelled"])
        .order_by("slug")
        .first()
    )


def _role(project, kind: str, title: str) -> Role:
    role = project.roles.filter(public_kind=kind).first()
    if role is None:
        role = Role.objects.create(
            project=project, title=title, audience="public", public_kind=kind, seats=25
        )
    return role


def _participants(project, people) -> None:
    for kind, title in [("testing", "Testen"), ("feedback", "Feedback"), ("ideas", "Ideen")]:
        role = _role(project, kind, title)
        for person in people:
            Membership.objects.get_or_create(project=project, role=role, person=person)


def _test_round(project, lead, people) -> None:
    round_ = Round.objects.create(
        project=project,
        kind="test",
        title="Prototyp der Online-Anmeldung",
        description="Wir testen den klickbaren Prototyp der neuen Anmeldung.",
        access_notes="Der Prototyp funktioniert mit Tastatur und Screenreader.",
        phase=project.phase,
        closes_on=timezone.localdate() + datetime.timedelta(days=7),
        status="open",
        opened_at=timezone.now(),
        created_by=lead,
    )
    tasks = [
        RoundTask.objects.create(round=round_, position=number, title=title)
        for number, title in enumerate(TASKS, 1)
    ]
    for person, (outcomes, difficulties, sus) in zip(people, TESTERS, strict=False):
        answers = [
            TaskAnswer(task.pk, outcome, difficulty, "")
            for task, outcome, difficulty in zip(tasks, outcomes, difficulties, strict=True)
        ]
        round_services.submit_test_response(person, round_, answers, sus)
    round_services.close_round(lead, round_)


def _feedback_round(project, lead) -> None:
    round_ = Round.objects.create(
        project=project,
        kind="feedback",
        title="Wie verständlich sind unsere Texte?",
        description="Lesen Sie die neuen Hinweistexte und sagen Sie uns Ihre Meinung.",
        phase=project.phase,
        audience="signed_in",
        closes_on=timezone.localdate() + datetime.timedelta(days=21),
        created_by=lead,
    )
    questions = [
        ("Wie verständlich sind die Texte?", "rating", True, []),
        ("Welche Texte waren schwierig?", "multiple", False, ["Start", "Unterlagen", "Abschluss"]),
        ("Würden Sie die Anmeldung online machen?", "single", True, ["Ja", "Nein", "Weiß nicht"]),
        ("Was sollen wir noch wissen?", "text", False, []),
    ]
    for position, (text, kind, required, options) in enumerate(questions, 1):
        Question.objects.create(
            round=round_,
            position=position,
            text=text,
            kind=kind,
            is_required=required,
            options=options,
        )
    round_services.open_round(lead, round_)


def _ideas(project, lead, people) -> None:
    question = idea_services.create_question(
        lead,
        IdeaQuestion(
            project=project,
            title="Wie erreichen wir Menschen, die selten online sind?",
            audience="signed_in",
        ),
    )
    for number, (title, text, status, reason) in enumerate(IDEAS):
        idea = idea_services.post_idea(
            people[number % len(people)], question, title=title, text=text
        )
        for supporter in people:
            if supporter.pk != idea.author_id:
                idea_services.support_idea(supporter, idea)
        idea_services.answer_idea(lead, idea, status=status, reason=reason)


def load_activities() -> None:
    lead = User.objects.filter(email="lead@example.org").first()
    project = showcase_project(lead) if lead else None
    if project is None or project.rounds.exists():
        return
    people = list(
        User.objects.filter(is_active=True)
        .exclude(kind="employee")
        .order_by("email")[: len(TESTERS)]
    )
    if not people:
        return
    _participants(project, people)
    _test_round(project, lead, people)
    _feedback_round(project, lead)
    _ideas(project, lead, people)
