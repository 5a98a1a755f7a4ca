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
