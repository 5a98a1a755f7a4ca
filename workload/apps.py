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

        _connect_report_invalidation()


def _connect_report_invalidation():
    """The report keeps snapshots and the department tree (``report_cache``) until they change."""
    from django.db.models.signals import post_delete, post_save

    from accounts.models import Department
    from workload.models import WorkloadSnapshot
    from workload.report_cache import invalidate

    for model in (WorkloadSnapshot, Department):
        uid = f"workload-report-{model.__name__}"
        post_save.connect(invalidate, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"{uid}-delete")
