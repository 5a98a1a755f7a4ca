"""Factories for test rounds, feedback rounds and ideas."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from participation.models import (
    Idea,
    IdeaQuestion,
    Membership,
    Question,
    Round,
    RoundTask,
)
from tests.factories import CitizenFactory, ProjectFactory, PublicRoleFactory

# The ten answers of one tester and the score Brooke's formula gives them:
# odd items (answer - 1): 4+3+4+3+3 = 17; even items (5 - answer): 4+3+3+4+4 = 18; 35 x 2.5.
SUS_EXAMPLE = [5, 1, 4, 2, 5, 2, 4, 1, 4, 1]
SUS_EXAMPLE_SCORE = Decimal("87.5")


def participant(project, public_kind: str, person=None):
    """A citizen accepted into a public role of that kind in the project."""
    role = project.roles.filter(public_kind=public_kind).first() or PublicRoleFactory(
        project=project, public_kind=public_kind
    )
    person = person or CitizenFactory()
    Membership.objects.create(project=project, role=role, person=person)
    return person


class RoundFactory(factory.django.DjangoModelFactory):
    """An open test round of a project with one task."""

    class Meta:
        model = Round
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    kind = "test"
    title = factory.Sequence(lambda n: f"Testrunde {n}")
    description = "Wir testen den neuen Antrag."
    phase = "prototype"
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))
    status = "open"
    opened_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def steps(round_, create, extracted, **kwargs):
        if not create:
            return
        count = 1 if extracted is None else extracted
        for position in range(1, count + 1):
            if round_.kind == "test":
                RoundTask.objects.create(
                    round=round_, position=position, title=f"Aufgabe {position}"
                )
            else:
                Question.objects.create(
                    round=round_, position=position, text=f"Frage {position}", kind="rating"
                )


class FeedbackRoundFactory(RoundFactory):
    kind = "feedback"
    title = factory.Sequence(lambda n: f"Feedbackrunde {n}")


class IdeaQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdeaQuestion

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Wie erreichen wir mehr Menschen? ({n})")
    audience = "signed_in"


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    question = factory.SubFactory(IdeaQuestionFactory)
    author = factory.SubFactory(CitizenFactory)
    title = factory.Sequence(lambda n: f"Idee {n}")
    text = "Plakate in der U-Bahn."


def published_feedback_round():
    """A closed feedback round of a public project with one answer: its aggregates published."""
    from participation.services import rounds as round_services

    round_ = FeedbackRoundFactory(steps=1, audience="signed_in")
    question = Question.objects.get(round=round_)
    round_services.submit_feedback_response(CitizenFactory(), round_, {question.pk: 4})
    return round_services.close_round(round_.project.leads.get(), round_)
