from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    name = "marketplace"
    verbose_name = _("Marketplace")
    demo_loader = "marketplace.demo.load_projects"

    def ready(self):
        from marketplace import (  # noqa: F401 - registers exports and open data
            open_data,
            privacy,
        )

        _connect_count_invalidation()
        _connect_page_invalidation()
        _connect_file_removal()


def _connect_file_removal():
    from django.db.models.signals import post_delete, pre_save

    from marketplace import sign_language

    model = sign_language.SignLanguageVideo
    uid = "marketplace-sign-language-files"
    pre_save.connect(sign_language.remove_replaced_files, sender=model, dispatch_uid=f"{uid}-save")
    post_delete.connect(
        sign_language.remove_files_of_deleted_video, sender=model, dispatch_uid=f"{uid}-delete"
    )


def _connect_count_invalidation():
    """Cached counts (``counts_cache``) go stale whenever what they count changes."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from accounts.models import Department, Skill, Topic
    from marketplace.counts_cache import invalidate_on_signal, invalidate_updates_on_signal
    from marketplace.models import Project, ProjectUpdate, Role

    uid = "marketplace-counts"
    for model in (Project, Role, Department, Skill, Topic):
        post_save.connect(invalidate_on_signal, sender=model, dispatch_uid=f"{uid}-save-{model}")
        post_delete.connect(invalidate_on_signal, sender=model, dispatch_uid=f"{uid}-del-{model}")
    for through in (Project.topics.through, Project.leads.through, Role.skills.through):
        m2m_changed.connect(invalidate_on_signal, sender=through, dispatch_uid=f"{uid}-{through}")
    # Only open data and the read API show updates (the latest one): no list, no facet.
    for name, signal in (("save", post_save), ("del", post_delete)):
        signal.connect(
            invalidate_updates_on_signal, sender=ProjectUpdate, dispatch_uid=f"{uid}-{name}-update"
        )


def _connect_page_invalidation():
    """The kept project pages (``project_page_cache``) are redrawn when what they show changes.

    Other apps report their own rows (``participation.apps``); seats change by
    ``update()``, which sends no signal, so the services report those themselves.
    """
    from collections.abc import Callable

    from django.db.models import Model
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from accounts.models import Department, Skill, Topic, User
    from marketplace import project_page_cache as pages
    from marketplace.models import Project, ProjectFollow, ProjectUpdate, Role

    def project_changed(sender, instance, **kwargs):
        pages.invalidate_project(instance.pk)

    def row_changed(sender, instance, **kwargs):
        pages.invalidate_project(instance.project_id)

    def names_changed(sender, **kwargs):
        pages.invalidate_names()

    def person_saved(sender, instance, update_fields=None, **kwargs):
        # A sign-in saves ``last_login`` alone: no name changes then.
        if update_fields is None or set(update_fields) & PUBLIC_NAME_FIELDS:
            pages.invalidate_names()

    def leads_or_topics_changed(sender, instance, reverse, pk_set, **kwargs):
        if kwargs["action"] not in ("post_add", "post_remove", "post_clear", "pre_clear"):
            return
        if not reverse:
            pages.invalidate_project(instance.pk)
        elif pk_set is None:  # all projects of a person or topic: a rare, wide change
            pages.invalidate_names()
        else:
            for project_id in pk_set:
                pages.invalidate_project(project_id)

    def skills_changed(sender, instance, reverse, **kwargs):
        if kwargs["action"].startswith("post_") or kwargs["action"] == "pre_clear":
            if reverse:
                pages.invalidate_names()
            else:
                pages.invalidate_project(instance.project_id)

    uid = "marketplace-project-page"
    handlers: list[tuple[type[Model], Callable]] = [(Project, project_changed)]
    handlers += [(model, row_changed) for model in (Role, ProjectUpdate, ProjectFollow)]
    handlers += [(model, names_changed) for model in (Department, Skill, Topic)]
    for model, handler in handlers:
        post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"{uid}-save-{model}")
        post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"{uid}-del-{model}")
    post_save.connect(person_saved, sender=User, weak=False, dispatch_uid=f"{uid}-person")
    for through in (Project.topics.through, Project.leads.through):
        m2m_changed.connect(
            leads_or_topics_changed, sender=through, weak=False, dispatch_uid=f"{uid}-{through}"
        )
    m2m_changed.connect(
        skills_changed, sender=Role.skills.through, weak=False, dispatch_uid=f"{uid}-skills"
    )


# What ``User.public_name`` is made of.
PUBLIC_NAME_FIELDS = {"display_name", "organisation_name", "kind", "deleted_at"}
