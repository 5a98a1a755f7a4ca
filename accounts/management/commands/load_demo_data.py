import contextlib
import hashlib
import inspect
import logging
import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils.module_loading import import_string

from accounts import audit
from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from accounts.models import AuditEvent, User

DEMO_LOGINS = [
    ("admin@example.org", "administrator"),
    ("head@example.org", "head of a department"),
    ("lead@example.org", "leads projects"),
    ("staff@example.org", "employee in no project yet"),
    ("citizen@example.org", "citizen"),
    ("company@example.org", "organisation"),
]
LOADED = "demo_data.loaded"
# Loggers that write a line per task the loaders run eagerly (and one about the
# in-memory broker): hundreds of lines between the command and its summary.
CHATTY_LOGGERS = {"celery.app.trace": logging.WARNING, "kombu.connection": logging.ERROR}


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


def demo_fingerprint(loaders: list[str]) -> str:
    """A hash of the loaders' sources: when the demo content changes, it loads again."""
    digest = hashlib.sha256()
    for loader in loaders:
        module = sys.modules[import_string(loader).__module__]
        digest.update(Path(inspect.getfile(module)).read_bytes())
    return digest.hexdigest()


@contextlib.contextmanager
def quiet_loggers():
    saved = {name: logging.getLogger(name).level for name in CHATTY_LOGGERS}
    for name, level in CHATTY_LOGGERS.items():
        logging.getLogger(name).setLevel(level)
    try:
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def already_loaded(fingerprint: str) -> bool:
    return (
        AuditEvent.objects.filter(verb=LOADED, data__fingerprint=fingerprint).exists()
        and User.objects.filter(email=DEMO_LOGINS[0][0]).exists()
    )


class Command(BaseCommand):
    help = (
        "Load demo data (idempotent; skipped when this version is loaded already). "
        "Refuses to run unless DEBUG is on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Load even if loaded already.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo data is only loaded where DEBUG is on: its passwords are public."
            )
        loaders = demo_loaders()
        fingerprint = demo_fingerprint(loaders)
        if not force and already_loaded(fingerprint):
            self.stdout.write("Demo data is loaded already and unchanged (--force loads it again).")
        else:
            kept_back = self._load(loaders, fingerprint)
            summary = f"Demo data is loaded: {User.objects.count()} people."
            if kept_back:
                summary += f" {kept_back} emails to demo people were kept back, not printed."
            self.stdout.write(self.style.SUCCESS(summary))
        self._print_logins()

    def _load(self, loaders: list[str], fingerprint: str) -> int:
        """Run every loader; the emails its notifications send stay in memory, unprinted.

        With the console backend of `make run` they were thousands of lines
        that buried the sign-in details.
        """
        outbox = getattr(mail, "outbox", None)
        before = len(outbox) if outbox is not None else 0
        locmem = "django.core.mail.backends.locmem.EmailBackend"
        with override_settings(EMAIL_BACKEND=locmem), quiet_loggers():
            for loader in loaders:
                import_string(loader)()
        kept_back = len(getattr(mail, "outbox", [])) - before
        if outbox is None and hasattr(mail, "outbox"):
            del mail.outbox  # the process had none: leave none behind
        audit.record(None, LOADED, fingerprint=fingerprint)
        return kept_back

    def _print_logins(self) -> None:
        self.stdout.write(f"Sign in at {settings.SITE_URL}/")
        for email, role in DEMO_LOGINS:
            self.stdout.write(f"  {email:<22} password: {DEMO_PASSWORD}   ({role})")
        self.stdout.write(
            "  The administrator's second factor: run `DEBUG=1 .venv/bin/python manage.py demo_mfa_code`\n"
            f"  or add the TOTP secret {DEMO_TOTP_SECRET} to an authenticator app."
        )
