"""The API's documentation page, rendered by the portal from its own OpenAPI description.

No Swagger UI: that would need JavaScript (and its assets) for what a plain page
says as well, and this page keeps the portal's frame, languages and accessibility.
The operations' own texts are in English, the language of the description.
"""

from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from api.views import api


def _schema_type(schema: dict) -> str:
    """A short name for a parameter's type: "string (digits)", "one of: a, b", ..."""
    options = schema.get("anyOf", [schema])
    kinds = [option for option in options if option.get("type") != "null"] or [schema]
    kind = kinds[0]
    if "$ref" in kind or "enum" in kind:
        return "enum"
    if kind.get("type") == "array":
        return "array"
    return kind.get("type", "string")


def _enum_values(schema: dict, components: dict) -> list[str]:
    for option in [schema, *schema.get("anyOf", []), schema.get("items", {})]:
        if "$ref" in option:
            option = components.get(option["$ref"].rsplit("/", 1)[-1], {})
        if "items" in option:
            return _enum_values(option["items"], components)
        if "enum" in option:
            return [str(value) for value in option["enum"]]
    return []


def operations(spec: dict) -> list[dict]:
    components = spec.get("components", {}).get("schemas", {})
    found = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            parameters = [
                {
                    "name": parameter["name"],
                    "where": parameter["in"],
                    "required": parameter.get("required", False),
                    "type": _schema_type(parameter.get("schema", {})),
                    "values": _enum_values(parameter.get("schema", {}), components),
                    "description": parameter.get("description")
                    or parameter.get("schema", {}).get("description", ""),
                }
                for parameter in operation.get("parameters", [])
            ]
            found.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": parameters,
                    "responses": sorted(
                        (str(code), answer)
                        for code, answer in operation.get("responses", {}).items()
                    ),
                }
            )
    return found


@require_safe
def documentation(request):
    spec = api.get_openapi_schema()
    context = {
        "spec": spec,
        "operations": operations(spec),
        "english": get_language() == "en",
    }
    return render(request, "api/documentation.html", context)
