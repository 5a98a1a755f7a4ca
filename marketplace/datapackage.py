"""The Frictionless data package of ``/open-data/``: a Table Schema for every CSV download.

A program that reads ``datapackage.json`` knows each column's type, meaning and
key without reading the page. It is built from the open-data registry alone, so
a dataset registered there is described here too, in the words of the data
dictionary and in the visitor's language.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from marketplace import open_data
from marketplace.open_data import DATASETS, Dataset, Field

# The dictionary's types as Table Schema types. The CSV writes timestamps in ISO 8601
# (the schema's default format), decimals with a point, booleans as true/false, and
# lists as text joined by "; ".
TABLE_TYPES = [
    (open_data.INTEGER, "integer"),
    (open_data.TEXT, "string"),
    (open_data.DATE, "date"),
    (open_data.TIMESTAMP, "datetime"),
    (open_data.DECIMAL, "number"),
    (open_data.BOOLEAN, "boolean"),
    (open_data.TEXT_LIST, "string"),
]
KEY = "id"


def table_type(field: Field) -> str:
    return next((kind for type_, kind in TABLE_TYPES if field.type is type_), "string")


def _schema_field(field: Field) -> dict:
    described: dict[str, object] = {
        "name": field.name,
        "type": table_type(field),
        "description": str(field.description),
    }
    if field.name == KEY:
        described["constraints"] = {"required": True, "unique": True}
    return described


def _resource(dataset: Dataset, absolute) -> dict:
    schema: dict = {"fields": [_schema_field(field) for field in dataset.fields]}
    if KEY in dataset.field_names:
        schema["primaryKey"] = [KEY]
    return {
        "name": dataset.slug,
        "path": absolute(reverse("open-data-csv", args=[dataset.slug])),
        "profile": "tabular-data-resource",
        "title": str(dataset.title),
        "description": str(dataset.description),
        "format": "csv",
        "mediatype": "text/csv",
        # The CSV starts with a byte order mark for spreadsheet programs.
        "encoding": "utf-8-sig",
        "schema": schema,
    }


def descriptor(absolute) -> dict:
    """The data package; ``absolute`` turns a path into a full URL."""
    return {
        "profile": "tabular-data-package",
        "name": "projektmarktplatz",
        "title": _("Projektmarktplatz Berlin: open data"),
        "description": _(
            "The projects, proposals and workload figures of the project marketplace of "
            "the Berlin administration, as open data."
        ),
        "homepage": absolute(reverse("open-data")),
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": open_data.LICENCE_URL,
                "title": "Creative Commons Attribution 4.0 International",
            }
        ],
        "contributors": [
            {"title": "Senatsverwaltung für Digitalisierung Berlin", "role": "publisher"}
        ],
        "resources": [_resource(DATASETS[slug], absolute) for slug in sorted(DATASETS)],
    }
