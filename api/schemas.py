"""The API's answers as pydantic models, built from the open-data registry.

Each dataset's record model has exactly the dataset's declared fields, with the
data dictionary's descriptions (in English, the language of the description),
so the API and the downloads cannot drift apart. Every field may be null: an
internal project keeps all but a few empty, as in the downloads.
"""

from datetime import date, datetime
from typing import Any

from django.utils import translation
from ninja import Schema
from pydantic import Field as SchemaField
from pydantic import create_model

from marketplace import open_data
from marketplace.open_data import DATASETS, Field

PYTHON_TYPES: list[tuple[Any, Any]] = [
    (open_data.INTEGER, int),
    (open_data.TEXT, str),
    (open_data.DATE, date),
    (open_data.TIMESTAMP, datetime),
    (open_data.DECIMAL, str),  # as in the JSON download: "0.75", exact, never a float
    (open_data.BOOLEAN, bool),
    (open_data.TEXT_LIST, list[str]),
]


def _python_type(field: Field) -> Any:
    return next((kind for type_, kind in PYTHON_TYPES if field.type is type_), str)


def record_model(slug: str, name: str, base: type[Schema] = Schema) -> type[Schema]:
    """A model with the fields of the dataset ``slug``: required keys, each nullable."""
    with translation.override("en"):
        fields: dict[str, Any] = {
            item.name: (
                _python_type(item) | None,
                SchemaField(..., description=str(item.description)),
            )
            for item in DATASETS[slug].fields
        }
    return create_model(name, __base__=base, **fields)


class Licence(Schema):
    name: str
    url: str


class Page(Schema):
    licence: Licence
    next: str | None = SchemaField(
        ..., description="The address of the next page; null on the last."
    )


class Role(Schema):
    id: int
    title: str
    language: str = SchemaField(description="The language it is written in: de or en.")
    description: str = SchemaField(description="Plain text, paragraphs apart by an empty line.")
    audience: str = SchemaField(description="employees or public.")
    hours_per_week: int | None = SchemaField(description="For employee roles; else null.")
    public_kind: str | None = SchemaField(
        description="For public roles: ideas, feedback or testing; else null."
    )
    seats: int
    state: str = SchemaField(description="open, filled (every seat taken) or closed.")
    skills: list[str] = SchemaField(description="Short names (slugs) of the skills asked for.")


class Update(Schema):
    id: int
    title: str
    language: str = SchemaField(description="The language it is written in: de or en.")
    text: str = SchemaField(description="Plain text.")
    phase: str | None = SchemaField(description="The phase the project moved into, if any.")
    author: str | None = SchemaField(description="The author's public display name.")
    posted_at: datetime


ProjectRecord = record_model("projects", "Project")
ProposalRecord = record_model("proposals", "Proposal")
WorkloadRecord = record_model("workload", "WorkloadFigures")


class ProjectDetail(ProjectRecord):  # type: ignore[valid-type,misc]
    roles: list[Role] | None = SchemaField(description="null for an internal project.")
    updates: list[Update] | None = SchemaField(
        description="The newest 20; null for an internal project."
    )


class ProjectPage(Page):
    results: list[ProjectRecord]  # type: ignore[valid-type]


class ProposalPage(Page):
    results: list[ProposalRecord]  # type: ignore[valid-type]


class WorkloadPage(Page):
    results: list[WorkloadRecord]  # type: ignore[valid-type]


class Index(Schema):
    projects: str
    proposals: str
    workload: str
    openapi: str
    documentation: str
