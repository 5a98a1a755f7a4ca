from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = _("Participation")
    demo_loader = "participation.demo.load_participation"

    def ready(self):
        from participation import (  # noqa: F401 - registers exports, open data, page sections
            open_data,
            open_data_activities,
            page_invalidation,
            privacy,
            privacy_activities,
            project_sections,
            support_counts,
        )

        support_counts.connect()
        page_invalidation.connect()
