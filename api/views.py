"""The operations of ``/api/v1/``: read-only, public data only, the open-data rules.

Records are the open-data rows (``marketplace.open_data`` and the datasets that
participation and workload register), so the API shows exactly what the
downloads show. Lists go by keyset (``after``), every answer carries an
``ETag`` and a repeated request with ``If-None-Match`` gets 304. Numbers in the
query are read by ``accounts.query_numbers``; a bad parameter gets 400 with a
problem document.
"""

import hashlib
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, QueryDict
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Path, Query
from ninja.errors import ValidationError

from api import answers, schemas
from api.keyset import keyset_page
from api.parameters import (
    SLUG,
    BadParameter,
    ListParameters,
    ProjectFilters,
    nothing_can_match,
)
from api.problems import documented, problem
from marketplace.filters import ProjectFilter
from marketplace.open_data import DATASETS, LICENCE_NAME, LICENCE_URL, Dataset
from marketplace.open_data_details import project_details_row, public_project_with_details

ERRORS = documented(400, 429)
ERRORS_AND_MISSING = documented(400, 404, 429)


class ReadApi(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        for methods in schema["paths"].values():
            for operation in methods.values():
                for parameter in operation.get("parameters", []):
                    parameter["schema"] = _without_null(parameter["schema"])
        return schema


def _without_null(schema: dict) -> dict:
    """A query parameter is left out, never null: "optional" says so already."""
    options = [item for item in schema.get("anyOf", []) if item.get("type") != "null"]
    if len(options) != 1:
        return schema
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    return {**rest, **options[0]}


api = ReadApi(
    title="Projektmarktplatz Berlin: read API",
    version="1",
    description=(
        "The public projects, proposals and workload figures of the project marketplace, "
        "under CC BY 4.0: exactly what the open-data downloads hold. Read-only, no sign-in."
    ),
    urls_namespace="api",
    docs_url=None,  # the portal's own page (api.documentation) describes it
    openapi_url="/openapi.json",
)


@api.exception_handler(ValidationError)
def _invalid(request, error: ValidationError):
    errors = [
        {"parameter": _parameter_name(item["loc"]), "detail": str(item.get("msg", ""))}
        for item in error.errors
    ]
    return problem(request, 400, _("A parameter of the request is not valid."), errors)


def _parameter_name(location) -> str:
    """("query", "filters", "status", 0) -> "status": the name, not its group or index."""
    names = [part for part in location if isinstance(part, str)]
    return names[-1] if names else ""


@api.exception_handler(BadParameter)
def _bad_parameter(request, error: BadParameter):
    return problem(request, 400, _("A parameter of the request is not valid."), error.errors)


@api.exception_handler(Http404)
def _missing(request, error):
    return problem(request, 404, _("There is no such record."))


def _json(request, body) -> HttpResponse:
    return _answer(request, body.model_dump_json().encode())


def _answer(request, content: bytes) -> HttpResponse:
    """The content with an ``ETag``; 304 when the client has it already."""
    etag = '"' + hashlib.sha256(content).hexdigest()[:40] + '"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(content, content_type="application/json")
    response["ETag"] = etag
    return response


def _next_link(path: str, parameters: dict, after: int | None) -> str | None:
    """From the parsed parameters, not the raw query: the same page, the same link."""
    if after is None:
        return None
    query = QueryDict(mutable=True)
    for name, value in parameters.items():
        query.setlist(name, value if isinstance(value, list) else [str(value)])
    query["after"] = str(after)
    return settings.SITE_URL + path + "?" + query.urlencode()


def _licence():
    return {"name": LICENCE_NAME, "url": LICENCE_URL}


def _rows(dataset: Dataset, records) -> list[dict]:
    """The declared fields of each record, as the downloads write them."""
    rows = []
    for record in records:
        row = dataset.row(record)
        rows.append({name: row.get(name) for name in dataset.field_names})
    return rows


def _records(slug: str) -> QuerySet:
    """The dataset's records; the datasets the API serves give querysets, not lists."""
    records = DATASETS[slug].records()
    if not isinstance(records, QuerySet):
        raise TypeError(f"the dataset {slug} gives no queryset to page through")
    return records


def _page(path, slug: str, queryset, page_model, paging: ListParameters, parameters=None):
    """A keyset page of the dataset ``slug``, its records restricted to ``queryset``."""
    dataset = DATASETS[slug]
    after, limit = paging.numbers()
    page = keyset_page(queryset, after, limit)
    records = _records(slug).filter(pk__in=page.ids).order_by("pk")
    shown = {**(parameters or {}), **({"limit": limit} if paging.limit else {})}
    body = page_model(
        licence=_licence(),
        next=_next_link(path, shown, page.next_after),
        results=_rows(dataset, records),
    )
    return body.model_dump_json().encode()


OPERATION_HEADERS = {
    "parameters": [
        {
            "name": "If-None-Match",
            "in": "header",
            "required": False,
            "schema": {"type": "string"},
            "description": "An ETag of an earlier answer: 304 when nothing changed.",
        }
    ],
}


def _extra(errors: dict) -> dict:
    responses = {
        **errors["responses"],
        "304": {"description": "Not modified: the ETag in If-None-Match is current."},
    }
    return {**OPERATION_HEADERS, "responses": responses}


@api.get("/", response=schemas.Index, summary="Where the collections are", openapi_extra=ERRORS)
def index(request):
    def absolute(name):
        return settings.SITE_URL + reverse(name)

    return {
        "projects": absolute("api:list_projects"),
        "proposals": absolute("api:list_proposals"),
        "workload": absolute("api:list_workload"),
        "openapi": absolute("api:openapi-json"),
        "documentation": absolute("api-documentation"),
    }


@api.get(
    "/projects/",
    response=schemas.ProjectPage,
    summary="Published projects, with the browse filters",
    openapi_extra=_extra(ERRORS),
)
def list_projects(request, filters: Query[ProjectFilters], paging: Query[ListParameters]):
    """Every published project (never a draft) in the order of its id.

    The filters are those of the browse page, as the public sees them: a filter on
    a detail that internal projects keep hidden never finds an internal project.
    """
    parameters = filters.model_dump(mode="json", exclude_none=True)
    paging.numbers()  # a bad number is refused before anything is kept

    def render() -> bytes:
        return _page(
            request.path, "projects", _matching(filters), schemas.ProjectPage, paging, parameters
        )

    parts = (settings.SITE_URL, sorted(parameters.items()), paging.after, paging.limit)
    return _answer(request, answers.kept("api-projects", parts, render))


def _matching(filters: ProjectFilters) -> QuerySet:
    """The published projects the browse filters let through, as the public sees them."""
    public = SimpleNamespace(user=AnonymousUser())
    browse = ProjectFilter(filters.as_query_dict(), request=public)
    if browse.is_valid():
        return browse.filter_all_but(browse.queryset, "sort")
    if nothing_can_match(filters, browse.form):
        return browse.queryset.none()
    raise BadParameter.from_form(browse.form)


@api.get(
    "/projects/{slug}/",
    response=schemas.ProjectDetail,
    summary="One project with its phase, roles and updates",
    openapi_extra=_extra(ERRORS_AND_MISSING),
)
def get_project(request, slug: str = Path(..., pattern=SLUG)):
    project = public_project_with_details(slug)
    if project is None:
        raise Http404
    return _json(request, schemas.ProjectDetail(**project_details_row(project)))


@api.get(
    "/proposals/",
    response=schemas.ProposalPage,
    summary="Proposals from the public, without the people",
    openapi_extra=_extra(ERRORS),
)
def list_proposals(request, paging: Query[ListParameters]):
    content = _page(request.path, "proposals", _records("proposals"), schemas.ProposalPage, paging)
    return _answer(request, content)


@api.get(
    "/workload/",
    response=schemas.WorkloadPage,
    summary="The organisation's published workload figures, one record per snapshot",
    openapi_extra=_extra(ERRORS),
)
def list_workload(request, paging: Query[ListParameters]):
    content = _page(request.path, "workload", _records("workload"), schemas.WorkloadPage, paging)
    return _answer(request, content)
