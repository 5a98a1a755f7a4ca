"""At the door of ``/api/``: a rate limit per client address, and CORS for reading.

Programs on other sites may read the API from a browser, so every answer allows
any origin, and a preflight (needed for ``If-None-Match``) is answered here.
The limit counts per address over the last minute (``accounts.rate_limit``).
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

from accounts import rate_limit
from api.problems import CONTENT_TYPE, problem

PREFIX = "/api/"
WINDOW_SECONDS = 60
ALLOWED_METHODS = "GET, HEAD, OPTIONS"


def requests_per_window() -> int:
    return settings.API_REQUESTS_PER_MINUTE


def _over_limit(request) -> bool:
    name = f"api-rate:{request.META.get('REMOTE_ADDR', '')}"
    return rate_limit.count_within_window(name, WINDOW_SECONDS) > requests_per_window()


def _cross_origin(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Retry-After"
    return response


class ApiGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            return self._preflight()
        if _over_limit(request):
            response = problem(
                request,
                429,
                _("Too many requests from your address. Please wait a minute."),
            )
            response["Retry-After"] = str(WINDOW_SECONDS)
            return _cross_origin(response)
        head = request.method == "HEAD"
        if head:  # the operations are declared for GET; HEAD is GET without the body
            request.method = "GET"
        response = self.get_response(request)
        if response.status_code == 404 and not response["Content-Type"].startswith(
            ("application/json", CONTENT_TYPE)
        ):  # an address no operation has: Django's page, as a problem document
            response = problem(request, 404, _("There is no such record."))
        if head:
            response.content = b""
        return _cross_origin(response)

    def _preflight(self):
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        response["Access-Control-Allow-Headers"] = "If-None-Match, Accept, Accept-Language"
        response["Access-Control-Max-Age"] = "86400"
        response["Allow"] = ALLOWED_METHODS
        return _cross_origin(response)
