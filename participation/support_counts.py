"""``Proposal.support_count``, kept with every support that is added or removed.

Signals, not the services alone: a support also goes when its supporter's
account is erased or a proposal is deleted (cascades), and each of those must
count too. An ``F()`` update, so two supports at once both count.
"""

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save

from participation.models import Proposal, ProposalSupport


def _added(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        Proposal.objects.filter(pk=instance.proposal_id).update(
            support_count=F("support_count") + 1
        )


def _removed(sender, instance, **kwargs):
    Proposal.objects.filter(pk=instance.proposal_id, support_count__gt=0).update(
        support_count=F("support_count") - 1
    )


def recount_all() -> int:
    """Count every proposal's supports anew, in one UPDATE (after bulk loads)."""
    supports = (
        ProposalSupport.objects.filter(proposal=OuterRef("pk"))
        .order_by()
        .values("proposal")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Proposal.objects.update(support_count=Coalesce(Subquery(supports), 0))


def connect() -> None:
    uid = "participation-support-count"
    post_save.connect(_added, sender=ProposalSupport, dispatch_uid=f"{uid}-added")
    post_delete.connect(_removed, sender=ProposalSupport, dispatch_uid=f"{uid}-removed")
