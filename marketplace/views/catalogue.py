"""The machine-readable descriptions of ``/open-data/``: DCAT-AP.de catalogue, data package."""

import json

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from marketplace import catalogue, datapackage


def _answer(text: str, content_type: str) -> HttpResponse:
    response = HttpResponse(text, content_type=content_type)
    # Harvesters and browsers of other sites read it too.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def catalogue_turtle(request):
    return _answer(catalogue.rendered(catalogue.TURTLE), "text/turtle; charset=utf-8")


@require_safe
def catalogue_json_ld(request):
    return _answer(catalogue.rendered(catalogue.JSON_LD), "application/ld+json")


@require_safe
def data_package(request):
    package = datapackage.descriptor(lambda path: settings.SITE_URL + path)
    text = json.dumps(package, ensure_ascii=False, indent=2)
    return _answer(text, "application/json")
