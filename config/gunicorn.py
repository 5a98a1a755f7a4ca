"""gunicorn settings shared by production (Dockerfile, compose) and the benchmark.

Used as ``gunicorn --config python:config.gunicorn config.wsgi:application``.
"""

import gc


def post_worker_init(worker):
    """Move everything loaded at start (Django, the URL conf, compiled templates) out of
    the garbage collector's sight.

    Otherwise every full collection walks those hundreds of thousands of objects
    again: measured in-process on a cached browse page (1,000 requests), the slowest
    request took 96–148 ms with the collector as it is and 11–13 ms after
    ``gc.freeze()``, while the median stayed at 6–7 ms. Under load those pauses were
    the benchmark's p99.
    """
    gc.freeze()
