"""Rendered answers of the project list, kept until what they show changes.

A page of the project list is the same for every visitor with the same
parameters, so it is rendered once and kept in the marketplace's two-tier cache
(``counts_cache``: each process's memory in front of Redis) under its change
version, which any change to a project, role or vocabulary draws anew. The rows
also show the latest update and the team's size, so a saved or deleted update
draws a new *updates* version and a membership a new *seats* version: the
browse page reads neither of them for its facets, so neither recounts it. What no
signal reports (a membership ending by date) is bounded by the cache's
timeout, five minutes.
"""

from django.db.models.signals import post_delete, post_save

from marketplace import counts_cache


def kept(name: str, parts, compute) -> bytes:
    # Answers show seats, teams and the latest update: each refreshes them (a taken seat
    # as it does the lists; an update only these, not the browse page's lists or facets).
    return counts_cache.cached(
        name,
        parts,
        compute,
        scopes=(counts_cache.PROJECTS, counts_cache.SEATS, counts_cache.UPDATES),
    )


def _seats_changed(sender, instance, **kwargs) -> None:
    counts_cache.invalidate_seats(instance.project_id)


def connect_signals() -> None:
    from participation.models import Membership

    # A team change is a seat change: it must not recount the browse facets. Updates
    # draw their own version (``marketplace.apps``): nothing of the browse page shows them.
    uid = "api-answers-Membership"
    post_save.connect(_seats_changed, sender=Membership, dispatch_uid=f"{uid}-save")
    post_delete.connect(_seats_changed, sender=Membership, dispatch_uid=f"{uid}-delete")
