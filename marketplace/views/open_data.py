"""/open-data/: the page with the downloads and the data dictionary, and the downloads.

JSON comes in pages in a stable order, with a ``next`` link, an ``ETag`` and
``Last-Modified``; CSV holds the whole dataset, UTF-8 with a byte order mark
so spreadsheet programs read umlauts correctly.
"""

import csv
import datetime
import hashlib
import json

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.query_numbers import is_whole_number, page_or_none
from marketplace.open_data import DATASETS, LICENCE_NAME, LICENCE_URL, Dataset

BYTE_ORDER_MARK = "\ufeff"
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _get_dataset(slug) -> Dataset:
    try:
        return DATASETS[slug]
    except KeyError:
        raise Http404 from None


def _paginator(dataset: Dataset) -> Paginator:
    return Paginator(dataset.records(), dataset.page_size)


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


def _page_link(request, number: int | None) -> str | None:
    if number is None:
        return None
    return request.build_absolute_uri(f"{request.path}?page={number}")


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
    number = request.GET.get("page", "1")
    if not is_whole_number(number):
        return _error(_("The page must be a whole number, such as ?page=2."), 400)
    page = page_or_none(_paginator(dataset), number)
    if page is None:
        return _error(_("There is no such page."), 404)
    records = list(page.object_list)
    body = {
        "dataset": dataset.slug,
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "next": _page_link(request, page.next_page_number() if page.has_next() else None),
        "previous": _page_link(
            request, page.previous_page_number() if page.has_previous() else None
        ),
        "results": [_public_row(dataset, record) for record in records],
    }
    content = json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    response = _with_validators(request, content, _latest(dataset, records))
    response["Content-Type"] = "application/json"
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


class _Lines:
    def __init__(self):
        self.parts = [BYTE_ORDER_MARK]

    def write(self, line):
        self.parts.append(line)


@require_safe
def dataset_csv(request, dataset):
    dataset = _get_dataset(dataset)
    paginator = _paginator(dataset)
    lines = _Lines()
    writer = csv.writer(lines)
    writer.writerow(dataset.field_names)
    latest = None
    for number in paginator.page_range:
        records = list(paginator.page(number).object_list)
        latest = max(filter(None, [latest, _latest(dataset, records)]), default=None)
        for record in records:
            row = _public_row(dataset, record)
            writer.writerow([_csv_value(row[name]) for name in dataset.field_names])
    response = _with_validators(request, "".join(lines.parts).encode("utf-8"), latest)
    response["Content-Type"] = "text/csv; charset=utf-8"
    response["Content-Disposition"] = f'attachment; filename="{dataset.slug}.csv"'
    return response
