from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

DEMO_LOGINS = [
    ("admin@example.org", "administrator"),
    ("head@example.org", "head of a department"),
    ("lead@example.org", "leads projects"),
    ("staff@example.org", "employee in no project yet"),
    ("citizen@example.org", "citizen"),
    ("company@example.org", "organisation"),
]


def demo_loaders() -> list[str]:
    """Each app names its loader as ``demo_loader`` on its AppConfig.

    They run in the order of INSTALLED_APPS, so later apps build on the people
    and projects of the earlier ones, and no app imports the apps above it.
    """
    return [
        config.demo_loader  # type: ignore[attr-defined]  # the apps' own AppConfig attribute
        for config in apps.get_app_configs()
        if getattr(config, "demo_loader", None)
    ]


class Command(BaseCommand):
    help = "Load demo data (idempotent). Refuses to run unless DEBUG is on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo data is only loaded where DEBUG is on: its passwords are public."
            )
        for loader in demo_loaders():
            import_string(loader)()
        self.stdout.write(
            self.style.SUCCESS("Demo data is loaded. Sign in at http://127.0.0.1:8000/")
        )
        for email, role in DEMO_LOGINS:
            self.stdout.write(f"  {email:<22} password: {DEMO_PASSWORD}   ({role})")
        self.stdout.write(
            "  The administrator's second factor: run `.venv/bin/python manage.py demo_mfa_code`\n"
            f"  or add the TOTP secret {DEMO_TOTP_SECRET} to an authenticator app."
        )
