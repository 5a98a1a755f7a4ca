"""What a newcomer's `make run` does: quiet demo data, a fast second start, the right address.

The commands themselves run in a subprocess against SQLite in
``tests/test_foundation.py::test_the_embedded_default_migrates_and_loads_the_demo_data``.
"""

import io
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.management.commands import load_demo_data
from accounts.models import AuditEvent, User

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


@pytest.fixture
def demo_settings(settings):
    settings.DEBUG = True
    return settings


def test_a_second_load_is_a_no_op_of_a_few_queries(
    db, demo_settings, django_assert_max_num_queries
):
    call_command("load_demo_data", stdout=io.StringIO())
    people = User.objects.count()
    with django_assert_max_num_queries(3):
        call_command("load_demo_data", stdout=io.StringIO())
    assert User.objects.count() == people
    assert AuditEvent.objects.filter(verb=load_demo_data.LOADED).count() == 1


def test_demo_data_loads_again_when_its_loaders_changed_or_when_forced(
    db, demo_settings, monkeypatch
):
    call_command("load_demo_data", stdout=io.StringIO())
    User.objects.filter(email="staff@example.org").delete()
    call_command("load_demo_data", stdout=io.StringIO())
    assert not User.objects.filter(email="staff@example.org").exists()  # unchanged: skipped

    call_command("load_demo_data", "--force", stdout=io.StringIO())
    assert User.objects.filter(email="staff@example.org").exists()

    User.objects.filter(email="staff@example.org").delete()
    monkeypatch.setattr(load_demo_data, "demo_fingerprint", lambda loaders: "edited")
    call_command("load_demo_data", stdout=io.StringIO())
    assert User.objects.filter(email="staff@example.org").exists()


def _make_run_dry(*arguments, **environment):
    result = subprocess.run(
        ["make", "-n", "run", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", **environment},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_site_url_follows_the_port_make_run_serves_on():
    commands = _make_run_dry("PORT=8123").splitlines()
    served = [line for line in commands if "manage.py runserver" in line]
    assert served and served[-1].endswith("runserver 127.0.0.1:8123")
    for name in ["migrate", "load_demo_data", "runserver"]:
        line = next(line for line in commands if f"manage.py {name}" in line)
        assert 'SITE_URL="http://127.0.0.1:8123"' in line, line
    # A SITE_URL of one's own wins.
    own = _make_run_dry(SITE_URL="https://portal.example.org")
    assert 'SITE_URL="https://portal.example.org"' in own
    # A second start skips migrations when there are none to apply.
    assert "migrate --check" in _make_run_dry()


def test_readme_names_port_host_site_url_and_the_second_factor_command():
    first_steps = README.split("## Production with compose")[0]
    for needle in ["`HOST`", "`PORT`", "`SITE_URL`", "make run PORT=", "demo_mfa_code"]:
        assert needle in first_steps, needle
