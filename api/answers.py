"""Rendered answers of the project list, kept until what they show changes.

A page of the project list is the same for every visitor with the same
parameters, so it is rendered once and kept in the marketplace's two-tier cache
(``counts_cache``: each process's memory in front of Redis) under the
marketplace's change version, which any change to a project, role or
vocabulary draws anew, and under a version of our own that the updates and
memberships draw (the rows show the latest update and the team's size). What
no signal reports (a membership ending by date) is bounded by the cache's
timeout, five minutes.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from marketplace import counts_cache

VERSION_KEY = "api:records:version"


def records_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY, "")
    return version


def _new_version(**kwargs) -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def forget_answers(**kwargs) -> None:
    """Drop the kept answers now, and again once the change is committed and visible."""
    _new_version()
    transaction.on_commit(_new_version)


def kept(name: str, parts, compute) -> bytes:
    return counts_cache.cached(name, (records_version(), *parts), compute)


def connect_signals() -> None:
    from marketplace.models import ProjectUpdate
    from participation.models import Membership

    for model in (ProjectUpdate, Membership):
        uid = f"api-answers-{model.__name__}"
        post_save.connect(forget_answers, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(forget_answers, sender=model, dispatch_uid=f"{uid}-delete")
