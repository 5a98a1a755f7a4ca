"""The benchmark harness of issue 9: seed a large data set, serve it with gunicorn, measure.

``manage.py bench_seed`` fills the database, ``manage.py bench_measure`` measures the
database it is connected to, ``manage.py bench_run`` (``make bench``) does both at 100
projects and at full size and writes ``bench/results.json``. The app also adds the
baseline view (``/bench/baseline/``) and, only when ``BENCH_QUERY_COUNT`` is set, a
middleware that reports the queries of each request.
"""
