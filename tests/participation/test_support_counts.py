"""The support count is a column kept with every support: sorting by it counts nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participation.models import Proposal, ProposalSupport
from participation.services.proposals import support_proposal, withdraw_support
from participation.support_counts import recount_all
from tests.factories import CitizenFactory
from tests.factories_participation import ProposalFactory, ProposalSupportFactory

pytestmark = pytest.mark.django_db


def count_of(proposal) -> int:
    return Proposal.objects.get(pk=proposal.pk).support_count


def test_the_services_add_and_take_back_a_support():
    proposal, citizen = ProposalFactory(), CitizenFactory()
    assert support_proposal(citizen, proposal)
    assert not support_proposal(citizen, proposal)  # a repeat counts once
    assert count_of(proposal) == 1
    assert withdraw_support(citizen, proposal)
    assert count_of(proposal) == 0


def test_a_support_that_goes_with_its_supporters_account_is_no_longer_counted():
    proposal = ProposalFactory()
    supports = ProposalSupportFactory.create_batch(3, proposal=proposal)
    assert count_of(proposal) == 3
    supports[0].supporter.delete()  # erasure cascades to the support
    assert count_of(proposal) == 2


def test_a_bulk_load_is_counted_anew():
    proposal = ProposalFactory()
    ProposalSupport.objects.bulk_create(
        ProposalSupport(proposal=proposal, supporter=CitizenFactory()) for _ in range(4)
    )  # no signals
    assert count_of(proposal) == 0
    recount_all()
    assert count_of(proposal) == 4


def test_the_list_sorted_by_support_reads_the_column(client):
    few, many = ProposalFactory(title="Wenig"), ProposalFactory(title="Viel")
    ProposalSupportFactory(proposal=few)
    ProposalSupportFactory.create_batch(3, proposal=many)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/proposals/", {"sort": "supported"})
    listed = [proposal.title for proposal in response.context["page_obj"]]
    assert listed[:2] == ["Viel", "Wenig"]
    sql = " ".join(query["sql"] for query in queries)
    assert "participation_proposalsupport" not in sql  # no count over the supports
