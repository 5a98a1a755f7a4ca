"""Participation's rows on the project page: a change redraws the kept page.

The marketplace keeps what its project page shows (``marketplace.project_page_cache``)
until the project's version changes; the team's members, the rounds, the answered
ideas and the comments are participation's, so it reports their changes here.
"""

from collections.abc import Callable

from django.db.models import Model
from django.db.models.signals import post_delete, post_save

from marketplace import project_page_cache
from participation.models import Comment, Idea, IdeaQuestion, Membership, Round


def _row_changed(sender, instance, **kwargs):
    # A comment on a proposal has no project: nothing to redraw then.
    project_page_cache.invalidate_project(instance.project_id)


def _idea_changed(sender, instance, **kwargs):
    project_page_cache.invalidate_project(instance.question.project_id)


def connect() -> None:
    handlers: list[tuple[type[Model], Callable]] = [
        (model, _row_changed) for model in (Membership, Comment, Round, IdeaQuestion)
    ]
    handlers.append((Idea, _idea_changed))
    for model, handler in handlers:
        uid = f"participation-project-page-{model.__name__}"
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-delete")
