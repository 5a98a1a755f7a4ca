from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkloadConfig(AppConfig):
    name = "workload"
    verbose_name = _("Workload report")
    demo_loader = "workload.demo.load_workload_history"

    def ready(self):
        from workload import (  # noqa: F401 - registers exports and open data
            open_data,
            privacy,
        )
