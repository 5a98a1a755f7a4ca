"""Counts the database queries of each request; only installed for benchmark runs."""

from django.db import connections

HEADER = "X-Query-Count"


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class QueryCountMiddleware:
    """Put the number of queries of the whole request (all middleware included) in a header.

    It sits first in ``MIDDLEWARE`` (see ``BENCH_QUERY_COUNT`` in the settings), so the
    session, user and message lookups count too. The wrapper costs a function call per query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _Counter()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response[HEADER] = str(counter.count)
        return response
