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
