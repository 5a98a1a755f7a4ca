"""Open data of test and feedback rounds (published aggregates only) and of ideas.

A round appears once it is closed, with the aggregates its closing published:
counts, rates, medians and means, never an answer, a text or a person. Ideas
appear with the team's answer, without who posted or supports them. Internal
projects and drafts never appear. (Machinery: ``marketplace.open_data``.)
"""

from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from marketplace.catalogue import CatalogueEntry, Extent, describe_dataset
from marketplace.models import Project
from marketplace.open_data import (
    DECIMAL,
    INTEGER,
    TEXT,
    TEXT_LIST,
    TIMESTAMP,
    Dataset,
    Field,
    register_dataset,
)
from participation.models import Idea, Round


def published_rounds():
    return (
        Round.objects.published()
        .filter(project__in=_public_projects())
        .select_related("project")
        .order_by("id")
    )


def _public_projects():
    return Project.objects.published().filter(is_internal=False)


def _counts(labels, counts) -> list[str]:
    return [f"{label}: {count}" for label, count in zip(labels, counts, strict=True)]


def round_row(round_: Round) -> dict:
    results = round_.published_results or {}
    sus = results.get("sus") or {}
    return {
        "id": round_.pk,
        "url": round_.get_absolute_url(),
        "project": round_.project.slug,
        "kind": round_.kind,
        "title": round_.title,
        "language": round_.language,
        "phase": round_.phase,
        "respondents": results.get("respondents"),
        "sus_mean": sus.get("mean"),
        "sus_median": sus.get("median"),
        "sus_distribution": sus.get("distribution") or [],
        "items": [_item_text(item) for item in results.get("tasks", results.get("questions", []))],
        "closed_at": round_.closed_at,
    }


def _item_text(item: dict) -> str:
    """One task or question in a line: its aggregates, no answer of anyone."""
    label = item.get("title") or item.get("text")
    if "success_rate" in item:
        return (
            f"{item['position']}. {label}: yes {item['yes']}, difficult {item['difficult']}, "
            f"no {item['no']}, median difficulty {item['median_difficulty']}"
        )
    if "options" in item:
        return f"{item['position']}. {label}: " + ", ".join(
            _counts(item["options"], item["counts"])
        )
    if "mean" in item:
        return f"{item['position']}. {label}: mean {item['mean']}, counts 1-5 {item['counts']}"
    return f"{item['position']}. {label}: {item['answers']} written answers"


register_dataset(
    Dataset(
        slug="round-results",
        title=_("Results of test and feedback rounds"),
        description=_(
            "The published aggregates of every closed test and feedback round of the "
            "public projects: how many took part, the System Usability Scale and the "
            "figures per task or question. No answer, text or person."
        ),
        fields=[
            Field("id", INTEGER, _("Number of the round; it never changes.")),
            Field("url", TEXT, _("The path of the round's page.")),
            Field("project", TEXT, _("Slug of the project.")),
            Field("kind", TEXT, _("One of: test, feedback.")),
            Field("title", TEXT, _("Title of the round.")),
            Field(
                "language",
                TEXT,
                _("The language the round is written in: de (German) or en (English)."),
            ),
            Field("phase", TEXT, _("The project's phase when the round was planned.")),
            Field("respondents", INTEGER, _("How many people took part.")),
            Field("sus_mean", DECIMAL, _("Mean System Usability Scale score (0-100); tests.")),
            Field("sus_median", DECIMAL, _("Median System Usability Scale score; tests.")),
            Field(
                "sus_distribution",
                TEXT_LIST,
                _("Testers per tenth of the SUS scale, from 0-9 to 90-100 (in CSV: “; ”)."),
            ),
            Field(
                "items",
                TEXT_LIST,
                _("Per task or question one line of figures (in CSV: separated by “; ”)."),
            ),
            Field("closed_at", TIMESTAMP, _("When the round was closed and published.")),
        ],
        records=published_rounds,
        row=round_row,
        modified_at=lambda round_: round_.closed_at,
    )
)


def public_ideas():
    return (
        Idea.objects.filter(question__project__in=_public_projects())
        .select_related("question__project")
        .with_support_count()
        .order_by("id")
    )


def idea_row(idea: Idea) -> dict:
    return {
        "id": idea.pk,
        "project": idea.question.project.slug,
        "question": idea.question.title,
        "title": idea.title,
        "language": idea.language,
        "text": idea.text,
        "supporters": getattr(idea, "support_count", 0),
        "status": idea.status,
        "reason": idea.reason,
        "posted_at": idea.created_at,
        "answered_at": idea.answered_at,
    }


register_dataset(
    Dataset(
        slug="ideas",
        title=_("Ideas on projects' open questions"),
        description=_(
            "Every idea on an open question of a public project, with the team's answer "
            "and its reason; without who posted or supports it."
        ),
        fields=[
            Field("id", INTEGER, _("Number of the idea; it never changes.")),
            Field("project", TEXT, _("Slug of the project.")),
            Field("question", TEXT, _("The open question the idea answers.")),
            Field("title", TEXT, _("Title of the idea.")),
            Field(
                "language",
                TEXT,
                _("The language the idea is written in: de (German) or en (English)."),
            ),
            Field("text", TEXT, _("The idea.")),
            Field("supporters", INTEGER, _("How many people support the idea.")),
            Field("status", TEXT, _("One of: new, considering, adopted, not_pursued.")),
            Field("reason", TEXT, _("The team's public reason; empty while unanswered.")),
            Field("posted_at", TIMESTAMP, _("When the idea was posted.")),
            Field("answered_at", TIMESTAMP, _("When the team answered; else empty.")),
        ],
        records=public_ideas,
        row=idea_row,
        modified_at=lambda idea: idea.answered_at or idea.created_at,
    )
)


def _round_extent() -> Extent:
    figures = published_rounds().aggregate(start=Min("closed_at"), end=Max("closed_at"))
    return Extent(start=figures["start"], end=figures["end"], modified=figures["end"])


def _idea_extent() -> Extent:
    figures = public_ideas().aggregate(
        start=Min("created_at"), end=Max("created_at"), answered=Max("answered_at")
    )
    moments = [figures["end"], figures["answered"]]
    return Extent(
        start=figures["start"],
        end=figures["end"],
        modified=max(filter(None, moments), default=None),
    )


describe_dataset(
    "round-results",
    CatalogueEntry(
        keywords=(_("usability test"), _("feedback"), _("System Usability Scale")),
        themes=("GOVE", "TECH"),
        extent=_round_extent,
    ),
)

describe_dataset(
    "ideas",
    CatalogueEntry(
        keywords=(_("ideas"), _("participation"), _("citizen participation")),
        themes=("GOVE", "SOCI"),
        extent=_idea_extent,
    ),
)
