"""Open data: a registry of datasets, each offered as paginated JSON and as CSV.

A dataset names its fields (with the descriptions the data dictionary on
``/open-data/`` shows), the public records in a stable order, and how one
record becomes a row. Apps above the marketplace register theirs in their
``AppConfig.ready``, as they do for the privacy export::

    from marketplace.open_data import Dataset, Field, register_dataset

    register_dataset(Dataset(slug="proposals", ...))

Only public records go in, and of them only what their public page shows:
never drafts, never the hidden details of internal projects, never e-mail
addresses or other personal data.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Topic
from marketplace.models import Project

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
PAGE_SIZE = 100


@dataclass(frozen=True)
class Field:
    name: str
    type: Promise | str
    description: Promise | str


@dataclass(frozen=True)
class Dataset:
    """A set of public records; ``records()`` must be ordered the same way on every call."""

    slug: str
    title: Promise | str
    description: Promise | str
    fields: list[Field]
    records: Callable[[], QuerySet | Sequence]
    # Each dataset's own model: ``row`` and ``modified_at`` read its fields.
    row: Callable[[Any], dict]
    # When a record last changed, for ``Last-Modified``; None when it says nothing.
    modified_at: Callable[[Any], datetime | None] = field(default=lambda record: None)
    page_size: int = PAGE_SIZE

    @property
    def field_names(self) -> list[str]:
        return [item.name for item in self.fields]


DATASETS: dict[str, Dataset] = {}


def register_dataset(dataset: Dataset) -> Dataset:
    DATASETS[dataset.slug] = dataset
    return dataset


# Types in the data dictionary.
INTEGER = _("integer")
TEXT = _("text")
DATE = _("date (YYYY-MM-DD)")
TIMESTAMP = _("date and time (ISO 8601)")
DECIMAL = _("decimal number, point as separator")
BOOLEAN = _("true or false")
TEXT_LIST = _("list of texts")


def hidden_for_internal(description):
    return format_lazy("{} {}", description, _("Empty for internal projects."))


# --- Projects ---------------------------------------------------------------------------


def public_projects():
    """Every published project, drafts never; ordered by id so pages stay stable."""
    return (
        Project.objects.published()
        .select_related("department")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("slug")))
        .with_public_figures()
        .order_by("id")
    )


def project_row(project: Project) -> dict:
    """What the public project page shows; for internal projects only title, department, status."""
    row = {
        "id": project.pk,
        "slug": project.slug,
        "url": project.get_absolute_url(),
        "title": project.title,
        "title_en": project.title_en,
        "language": project.language,
        "internal": project.is_internal,
        "status": project.status,
        "department": project.department.name if project.department else None,
    }
    if project.is_internal:
        hidden = [name for name in PROJECT_FIELD_NAMES if name not in row]
        return {**row, **dict.fromkeys(hidden)}
    return {
        **row,
        "summary": project.summary,
        "summary_en": project.summary_en,
        "phase": project.phase,
        "topics": [topic.slug for topic in project.topics.all()],
        "start": project.starts_on,
        "end": project.ends_on,
        "open_roles": project.open_role_total,
        "team_size": project.team_size,
        "last_update": project.last_update_at,
        "last_change": project.updated_at,
    }


def project_modified_at(project: Project) -> datetime | None:
    if project.is_internal:
        return project.published_at
    return max(filter(None, [project.updated_at, project.last_update_at]), default=None)


PROJECT_FIELDS = [
    Field("id", INTEGER, _("Number of the project; it never changes.")),
    Field("slug", TEXT, _("The project's address on the portal, as in /projects/<slug>/.")),
    Field("url", TEXT, _("The path of the project's page.")),
    Field("title", TEXT, _("Title of the project.")),
    Field("title_en", TEXT, _("English title of the project; empty if it has none.")),
    Field(
        "language",
        TEXT,
        _("The language of the title, summary and description: de (German) or en (English)."),
    ),
    Field(
        "internal",
        BOOLEAN,
        _("Whether the project is internal: then only title, department and status are public."),
    ),
    Field(
        "summary",
        TEXT,
        hidden_for_internal(_("What the project is about, in at most 300 characters.")),
    ),
    Field(
        "summary_en",
        TEXT,
        hidden_for_internal(_("English summary of the project; empty if it has none.")),
    ),
    Field(
        "status",
        TEXT,
        _("One of: open, in_progress, paused, completed, cancelled."),
    ),
    Field(
        "phase",
        TEXT,
        hidden_for_internal(
            _(
                "The design-thinking phase, one of: understand, observe, define, ideate, "
                "prototype, test, implement."
            )
        ),
    ),
    Field("department", TEXT, _("Name of the department that runs the project.")),
    Field(
        "topics",
        TEXT_LIST,
        hidden_for_internal(_("Short names of the project's topics (in CSV: separated by “; ”).")),
    ),
    Field("start", DATE, hidden_for_internal(_("Planned start."))),
    Field("end", DATE, hidden_for_internal(_("Planned end."))),
    Field(
        "open_roles",
        INTEGER,
        hidden_for_internal(_("Number of roles open for claims and applications.")),
    ),
    Field(
        "team_size",
        INTEGER,
        hidden_for_internal(
            _("Number of entries in the team list: the leads and the running memberships.")
        ),
    ),
    Field(
        "last_update",
        TIMESTAMP,
        hidden_for_internal(_("When the latest update was posted; empty if none.")),
    ),
    Field(
        "last_change",
        TIMESTAMP,
        hidden_for_internal(_("When the project's details were last saved.")),
    ),
]
PROJECT_FIELD_NAMES = [item.name for item in PROJECT_FIELDS]

register_dataset(
    Dataset(
        slug="projects",
        title=_("Projects"),
        description=_(
            "Every published project of the marketplace. Drafts are never included; of "
            "internal projects only the title, department and status."
        ),
        fields=PROJECT_FIELDS,
        records=public_projects,
        row=project_row,
        modified_at=project_modified_at,
    )
)
