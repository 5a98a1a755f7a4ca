"""The portal's frame: health, languages, error pages, settings, demo data."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from config.environment import env_bool, env_int, parse_database_url

ROOT = Path(__file__).resolve().parent.parent


def test_home_page_speaks_german_by_default(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()
    assert "Arbeiten in Projekten" in response.content.decode()


def test_browser_language_english_is_honoured(client, db):
    response = client.get("/", headers={"accept-language": "en"})
    assert '<html lang="en">' in response.content.decode()
    assert "Work in projects, open to everyone" in response.content.decode()


def test_language_switcher_stores_a_cookie_and_redirects_back(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/privacy/"})
    assert response.status_code == 302
    assert response["Location"] == "/privacy/"
    assert client.cookies["pm_language"].value == "en"
    assert '<html lang="en">' in client.get("/privacy/").content.decode()


def test_unknown_language_cookie_falls_back_to_german(client, db):
    client.cookies["pm_language"] = "xx-invalid<script>"
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()


def test_switching_to_an_unknown_language_is_ignored(client, db):
    response = client.post("/i18n/setlang/", {"language": "klingon", "next": "/"})
    assert response.status_code == 302
    assert "pm_language" not in client.cookies


def test_missing_page_gets_a_translated_404(client, db):
    german = client.get("/no-such-page/")
    assert german.status_code == 404
    assert "Seite nicht gefunden" in german.content.decode()
    english = client.get("/no-such-page/", headers={"accept-language": "en"})
    assert "Page not found" in english.content.decode()


@pytest.mark.parametrize("path", ["/accessibility/", "/privacy/", "/imprint/", "/easy-language/"])
def test_statement_pages_exist_in_both_languages(client, db, path):
    german = client.get(path)
    english = client.get(path, headers={"accept-language": "en"})
    assert german.status_code == english.status_code == 200
    assert "<h1" in german.content.decode()
    if path != "/easy-language/":
        assert german.content != english.content


def test_pages_send_a_strict_content_security_policy(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["database"] == "up"
    assert body["checks"]["broker"] in {"up", "eager"}


def test_healthz_answers_503_when_the_database_is_down(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OSError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken_cursor)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "down"


def test_healthz_reports_a_broker_that_is_down(client, db):
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "down"


@pytest.mark.parametrize(
    "url",
    ["mysql://user@host/db", "postgres://host:notaport/db", "postgres://host:5432/", "sqlite://"],
)
def test_a_broken_database_url_is_refused_with_a_clear_message(url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        parse_database_url(url, base_dir=ROOT)


def test_database_urls_are_parsed():
    postgres = parse_database_url(
        "postgres://pm:s%40cret@db:6543/portal?sslmode=require", base_dir=ROOT
    )
    assert postgres["NAME"] == "portal"
    assert postgres["PASSWORD"] == "s@cret"
    assert postgres["PORT"] == "6543"
    assert postgres["OPTIONS"] == {"sslmode": "require"}
    sqlite = parse_database_url("sqlite:///var/test.sqlite3", base_dir=ROOT)
    assert sqlite["NAME"] == ROOT / "var/test.sqlite3"


def test_typed_environment_readers_fail_loudly(monkeypatch):
    monkeypatch.setenv("PM_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="PM_FLAG"):
        env_bool("PM_FLAG")
    monkeypatch.setenv("PM_NUMBER", "forty")
    with pytest.raises(ImproperlyConfigured, match="PM_NUMBER"):
        env_int("PM_NUMBER", 1)


def test_secret_can_come_from_a_file(monkeypatch, tmp_path):
    from config.environment import env_str

    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    monkeypatch.delenv("PM_SECRET", raising=False)
    monkeypatch.setenv("PM_SECRET_FILE", str(secret))
    assert env_str("PM_SECRET") == "from-a-file"


DEMO_SUMMARY_LINES = 15  # what `load_demo_data` prints: a summary and the demo logins


def _manage(*args, **env):
    environment = {
        k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "DATABASE_URL"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_manage_py_names_a_broken_database_url_without_a_traceback():
    result = _manage("check", DATABASE_URL="mysql://nope", DEBUG="1")
    assert result.returncode == 1
    assert "Configuration error: DATABASE_URL='mysql://nope' is not understood" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.long_running
def test_the_embedded_default_migrates_and_loads_the_demo_data(tmp_path):
    """What `make run` does on a fresh clone: SQLite, every migration, the demo data.

    The rest of the suite runs on PostgreSQL in CI, so this is what keeps
    migrations that SQLite cannot run from reaching main.
    """
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    # No REDIS_URL: tasks run eagerly, as on a laptop without Redis.
    environment = {
        "DEBUG": "1",
        "DATABASE_URL": database,
        "VAR_DIR": str(tmp_path),
        "REDIS_URL": "",
        "SITE_URL": "http://127.0.0.1:8123",
    }
    assert _manage("migrate", "--check", **environment).returncode != 0  # a fresh database
    migrated = _manage("migrate", "--noinput", **environment)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    # migrate runs every system check first (those of the database too) and names any
    # warning it finds: `check --fail-level WARNING` would cost one more start of Django.
    assert "System check identified" not in migrated.stdout + migrated.stderr, migrated.stderr
    loaded = _manage("load_demo_data", **environment)
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert_first_steps_are_quiet_and_a_second_start_does_nothing(environment, loaded)


def assert_first_steps_are_quiet_and_a_second_start_does_nothing(environment, loaded):
    """`make run` skips `migrate` after `migrate --check`; the demo data loads quietly once."""
    assert _manage("migrate", "--check", **environment).returncode == 0
    output = loaded.stdout + loaded.stderr
    assert len(output.splitlines()) <= DEMO_SUMMARY_LINES, output[:3000]
    assert "Subject:" not in output  # no demo email reaches the console
    assert re.search(r"[1-9]\d* emails to demo people were kept back", output), output
    assert f"Sign in at {environment['SITE_URL']}/" in output
    assert "demo_mfa_code" in output
    again = _manage("load_demo_data", **environment)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "loaded already" in again.stdout
    assert len((again.stdout + again.stderr).splitlines()) <= DEMO_SUMMARY_LINES


def test_production_requires_a_secret_key():
    result = _manage("check", DEBUG="0", SECRET_KEY="")
    assert result.returncode == 1
    assert "SECRET_KEY" in result.stderr


def test_demo_data_refuses_to_load_without_debug(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_data")
