"""/open-data/: the page with the downloads and the data dictionary, and the downloads.

JSON comes in pages in id order, with a ``next`` link (``?after=<id>``, a keyset
page: the same small cost on every page, no count), an ``ETag`` and
``Last-Modified``; ``?page=<n>`` still answers for old links. The whole dataset
streams as CSV (UTF-8 with a byte order mark so spreadsheet programs read
umlauts correctly) and as JSON (``<dataset>.all.json``), in keyset chunks: in
constant memory, the first byte at once, never near the worker timeout.
"""

import csv
import datetime
import hashlib
import json

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.query_numbers import is_whole_number, page_or_none
from marketplace import counts_cache, keyset
from marketplace.open_data import DATASETS, LICENCE_NAME, LICENCE_URL, Dataset

BYTE_ORDER_MARK = "\ufeff"
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DOWNLOAD_CHUNK = 1000  # records per query of a streamed download
# A JSON page is kept per process until a project, role or seat changes; what no
# version follows (proposals, snapshots, the time of a project's latest update) is
# at most this old.
OPEN_DATA_SECONDS = 60
# The records show seats and the latest update besides the projects themselves.
OPEN_DATA_SCOPES = (counts_cache.PROJECTS, counts_cache.SEATS, counts_cache.UPDATES)


def _get_dataset(slug) -> Dataset:
    try:
        return DATASETS[slug]
    except KeyError:
        raise Http404 from None


def _numbered_page(dataset: Dataset, number):
    """``?page=<n>`` of old links: the page's ids first (an index scan), then its records.

    Offsetting the full records would compute every figure of every row before it.
    """
    records = dataset.records()
    if not isinstance(records, QuerySet):
        return page_or_none(Paginator(records, dataset.page_size), number)
    ids = records.values_list("pk", flat=True)
    page = page_or_none(Paginator(ids, dataset.page_size), number)
    if page is not None:
        page.object_list = list(records.filter(pk__in=list(page.object_list)))
    return page


def _public_row(dataset: Dataset, record) -> dict:
    """The declared fields, in their order; nothing else ever leaves."""
    row = dataset.row(record)
    return {name: row.get(name) for name in dataset.field_names}


def _with_validators(request, content: bytes, last_modified: datetime.datetime | None):
    """Answer 304 when the client has this content already, else the content with its validators."""
    etag = '"' + hashlib.sha256(content).hexdigest()[:40] + '"'
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = HttpResponse(content)
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    return response


def _latest(dataset: Dataset, records) -> datetime.datetime | None:
    return max(filter(None, map(dataset.modified_at, records)), default=None)


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _link(request, name: str, value: int | None) -> str | None:
    if value is None:
        return None
    return request.build_absolute_uri(f"{request.path}?{name}={value}")


def _head(dataset: Dataset) -> dict:
    return {"dataset": dataset.slug, "licence": {"name": LICENCE_NAME, "url": LICENCE_URL}}


def _json(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


@require_safe
def open_data_page(request):
    context = {
        "datasets": list(DATASETS.values()),
        "licence_name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
    }
    return render(request, "marketplace/open_data.html", context)


@require_safe
def dataset_json(request, dataset):
    dataset = _get_dataset(dataset)
    if "page" in request.GET:
        return _numbered_json(request, dataset)
    try:
        after = keyset.parse_after(request.GET.get("after"))
    except keyset.BadAfter:
        return _error(_("“after” must be the id of a record, such as ?after=100."), 400)
    content, latest = counts_cache.remembered(
        "open-data",
        (dataset.slug, after, dataset.page_size, request.build_absolute_uri(request.path)),
        lambda: _keyset_body(request, dataset, after),
        scopes=OPEN_DATA_SCOPES,
        timeout=OPEN_DATA_SECONDS,
    )
    return _json_response(request, content, latest)


def _keyset_body(request, dataset: Dataset, after: int | None) -> tuple[bytes, object]:
    page = keyset.page(dataset.records(), after, dataset.page_size)
    body = {
        **_head(dataset),
        "after": after,
        "next": _link(request, "after", page.next_after),
        "results": [_public_row(dataset, record) for record in page.rows],
    }
    return _json(body).encode(), _latest(dataset, page.rows)


def _numbered_json(request, dataset: Dataset):
    number = request.GET.get("page", "1")
    if not is_whole_number(number):
        return _error(_("The page must be a whole number, such as ?page=2."), 400)
    page = _numbered_page(dataset, number)
    if page is None:
        return _error(_("There is no such page."), 404)
    records = list(page.object_list)
    body = {
        **_head(dataset),
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": _link(request, "page", page.next_page_number() if page.has_next() else None),
        "previous": _link(
            request, "page", page.previous_page_number() if page.has_previous() else None
        ),
        "results": [_public_row(dataset, record) for record in records],
    }
    return _json_response(request, _json(body).encode(), _latest(dataset, records))


def _json_response(request, content: bytes, latest):
    response = _with_validators(request, content, latest)
    response["Content-Type"] = "application/json"
    return response


@require_safe
def dataset_json_download(request, dataset):
    """The whole dataset as one JSON document, streamed chunk by chunk."""
    dataset = _get_dataset(dataset)

    def parts():
        yield _json(_head(dataset))[:-1] + ', "results": ['
        separator = ""
        for records in keyset.chunks(dataset.records(), DOWNLOAD_CHUNK):
            rows = ",".join(_json(_public_row(dataset, record)) for record in records)
            yield separator + rows
            separator = ","
        yield "]}"

    response = StreamingHttpResponse(
        (part.encode() for part in parts()), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{dataset.slug}.json"'
    return response


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(_csv_value(item) for item in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


class _Echo:
    """A file for ``csv.writer`` that hands each line back instead of keeping it."""

    def write(self, line):
        return line


def _csv_chunks(dataset: Dataset):
    writer = csv.writer(_Echo())
    yield (BYTE_ORDER_MARK + writer.writerow(dataset.field_names)).encode("utf-8")
    for records in keyset.chunks(dataset.records(), DOWNLOAD_CHUNK):
        lines = []
        for record in records:
            row = _public_row(dataset, record)
            lines.append(writer.writerow([_csv_value(row[name]) for name in dataset.field_names]))
        yield "".join(lines).encode("utf-8")


@require_safe
def dataset_csv(request, dataset):
    """The whole dataset, streamed: the header at once, then a thousand records at a time."""
    dataset = _get_dataset(dataset)
    response = StreamingHttpResponse(_csv_chunks(dataset), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{dataset.slug}.csv"'
    return response
