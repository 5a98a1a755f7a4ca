"""Factories for proposals and comments (applications and the rest: ``tests.factories``)."""

import factory

from participation.models import (
    Comment,
    CommentReport,
    Proposal,
    ProposalStatus,
    ProposalStatusChange,
    ProposalSupport,
)
from tests.factories import CitizenFactory, EmployeeFactory, ProjectFactory, TopicFactory


class ProposalFactory(factory.django.DjangoModelFactory):
    """A freshly submitted proposal by a verified citizen, with its first history row."""

    class Meta:
        model = Proposal
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Vorschlag {n}")
    problem = "Termine im Bürgeramt sind schwer zu bekommen."
    idea = "Eine Warteliste, die freie Termine automatisch vergibt."
    beneficiaries = "Alle, die einen Termin brauchen."
    topic = factory.SubFactory(TopicFactory)
    proposer = factory.SubFactory(CitizenFactory)
    status = ProposalStatus.SUBMITTED

    @factory.post_generation
    def history(proposal, create, extracted, **kwargs):
        if create:
            ProposalStatusChange.objects.create(
                proposal=proposal, status=ProposalStatus.SUBMITTED, by=proposal.proposer
            )


class ProposalSupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposalSupport

    proposal = factory.SubFactory(ProposalFactory)
    supporter = factory.SubFactory(CitizenFactory)


class ReviewerFactory(EmployeeFactory):
    """An employee who reviews proposals (no administrator rights, so no second factor needed)."""

    reviews_proposals = True


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment on an open project; pass ``proposal=...`` and ``project=None`` for a proposal."""

    class Meta:
        model = Comment

    project = factory.SubFactory(ProjectFactory)
    proposal = None
    author = factory.SubFactory(CitizenFactory)
    body = factory.Sequence(lambda n: f"Ein hilfreicher Kommentar Nummer {n}.")


class CommentReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommentReport

    comment = factory.SubFactory(CommentFactory)
    reporter = factory.SubFactory(CitizenFactory)
    reason = "Beleidigend."
