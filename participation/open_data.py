"""The proposals dataset of ``/open-data/`` (machinery: ``marketplace.open_data``).

Proposals are public as a whole, but not who submitted or supports them: the
dataset holds the texts, the topic, the status, the dates and the number of
supporters, never a person.
"""

from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from marketplace.catalogue import CatalogueEntry, Extent, describe_dataset
from marketplace.open_data import (
    INTEGER,
    TEXT,
    TIMESTAMP,
    Dataset,
    Field,
    register_dataset,
)
from marketplace.text import plain_text
from participation.models import Proposal


def public_proposals():
    return Proposal.objects.select_related("topic", "project").with_support_count().order_by("id")


def proposal_row(proposal: Proposal) -> dict:
    project = proposal.project
    return {
        "id": proposal.pk,
        "url": proposal.get_absolute_url(),
        "title": proposal.title,
        "language": proposal.language,
        "problem": plain_text(proposal.problem),
        "idea": plain_text(proposal.idea),
        "beneficiaries": plain_text(proposal.beneficiaries),
        "topic": proposal.topic.slug,
        "status": proposal.status,
        "supporters": proposal.support_count,
        # The project an accepted proposal became, once it is published: drafts stay secret.
        "project": project.slug if project is not None and not project.is_draft else None,
        "submitted_at": proposal.created_at,
        "decided_at": proposal.decided_at,
    }


def proposal_modified_at(proposal: Proposal):
    return proposal.decided_at or proposal.review_started_at or proposal.created_at


register_dataset(
    Dataset(
        slug="proposals",
        title=_("Proposals"),
        description=_(
            "Every proposal from the public, without the people: neither who submitted "
            "nor who supports it."
        ),
        fields=[
            Field("id", INTEGER, _("Number of the proposal; it never changes.")),
            Field("url", TEXT, _("The path of the proposal's page.")),
            Field("title", TEXT, _("Title of the proposal.")),
            Field(
                "language",
                TEXT,
                _("The language the proposal is written in: de (German) or en (English)."),
            ),
            Field("problem", TEXT, _("What does not work well today, and for whom.")),
            Field("idea", TEXT, _("What the administration could do about it.")),
            Field("beneficiaries", TEXT, _("Who would be better off, and how.")),
            Field("topic", TEXT, _("Short name of the proposal's topic.")),
            Field("status", TEXT, _("One of: submitted, in_review, accepted, declined.")),
            Field("supporters", INTEGER, _("How many people support the proposal.")),
            Field(
                "project",
                TEXT,
                _("Slug of the published project an accepted proposal became; else empty."),
            ),
            Field("submitted_at", TIMESTAMP, _("When the proposal was submitted.")),
            Field("decided_at", TIMESTAMP, _("When it was accepted or declined; else empty.")),
        ],
        records=public_proposals,
        row=proposal_row,
        modified_at=proposal_modified_at,
    )
)


def _proposal_extent() -> Extent:
    figures = Proposal.objects.aggregate(
        start=Min("created_at"),
        end=Max("created_at"),
        reviewed=Max("review_started_at"),
        decided=Max("decided_at"),
    )
    moments = [figures["end"], figures["reviewed"], figures["decided"]]
    return Extent(
        start=figures["start"],
        end=figures["end"],
        modified=max(filter(None, moments), default=None),
    )


describe_dataset(
    "proposals",
    CatalogueEntry(
        keywords=(_("proposals"), _("participation"), _("citizen participation")),
        themes=("GOVE", "SOCI"),
        extent=_proposal_extent,
    ),
)
