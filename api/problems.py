"""Errors as RFC 9457 problem documents (``application/problem+json``)."""

import json
from http import HTTPStatus

from django.http import HttpResponse

CONTENT_TYPE = "application/problem+json"

# The schema of a problem document, for the OpenAPI description of every error answer.
PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "about:blank: the status says it all."},
        "title": {"type": "string", "description": "The HTTP status phrase."},
        "status": {"type": "integer"},
        "detail": {"type": "string", "description": "What was wrong, for a person."},
        "instance": {"type": "string", "description": "The path that was asked for."},
        "errors": {
            "type": "array",
            "description": "For a bad parameter: which one, and what is wrong with it.",
            "items": {
                "type": "object",
                "required": ["parameter", "detail"],
                "properties": {"parameter": {"type": "string"}, "detail": {"type": "string"}},
            },
        },
    },
}


def problem(request, status: int, detail: str, errors: list[dict] | None = None) -> HttpResponse:
    body: dict[str, object] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
        "instance": request.path,
    }
    if errors:
        body["errors"] = errors
    content = json.dumps(body, ensure_ascii=False)
    return HttpResponse(content, status=status, content_type=CONTENT_TYPE)


def documented(*statuses: int) -> dict:
    """``openapi_extra`` that documents these error answers as problem documents."""
    return {
        "responses": {
            str(status): {
                "description": HTTPStatus(status).phrase,
                "content": {CONTENT_TYPE: {"schema": PROBLEM_SCHEMA}},
            }
            for status in statuses
        }
    }
