"""Rendered answers of the project list, kept until what they show changes.

A page of the project list is the same for every visitor with the same
parameters, so it is rendered once and kept in the marketplace's two-tier cache
(``counts_cache``: each process's memory in front of Redis) under its change
version, which any change to a project, role or vocabulary draws anew. The rows
also show the latest update and the team's size, so a saved or deleted update
or membership draws a new version too (they are rare beside the reads, and one
version costs a request one round trip to Redis, two would cost two). What no
signal reports (a membership ending by date) is bounded by the cache's
timeout, five minutes.
"""

from django.db.models.signals import post_delete, post_save

from marketplace import counts_cache


def kept(name: str, parts, compute) -> bytes:
    # Answers show seats and teams: a taken seat refreshes them as it does the lists.
    return counts_cache.cached(
        name, parts, compute, scopes=(counts_cache.PROJECTS, counts_cache.SEATS)
    )


def _seats_changed(sender, **kwargs) -> None:
    counts_cache.invalidate_seats()


def connect_signals() -> None:
    from marketplace.models import ProjectUpdate
    from participation.models import Membership

    # A team change is a seat change: it must not recount the browse facets.
    for model, handler in (
        (ProjectUpdate, counts_cache.invalidate_on_signal),
        (Membership, _seats_changed),
    ):
        uid = f"api-answers-{model.__name__}"
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-delete")
