"""The read API at ``/api/v1/``: open data for programs, with an OpenAPI 3.1 description.

It reads every app's public data, so it sits at the top with ``config`` and
``bench``; no app imports it.
"""
