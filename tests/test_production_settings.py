"""The suite's settings differ from production's in two places; production must keep its own."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.urls import resolve

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_FACTS = """
import json, django
django.setup()
from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.urls import Resolver404, resolve
try:
    resolve("/bench/baseline/")
    bench_url = True
except Resolver404:
    bench_url = False
hasher = get_hasher()
print(json.dumps({
    "hasher": hasher.algorithm,
    "iterations": hasher.iterations,
    "bench_app": "bench" in settings.INSTALLED_APPS,
    "bench_url": bench_url,
    "middleware": settings.MIDDLEWARE,
}))
"""


def production_facts(**environment) -> dict:
    """What ``config.settings`` holds in a process that is not a test run."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("PYTEST") and name not in {"DJANGO_SETTINGS_MODULE", "BENCHMARK"}
    }
    inherited.update(DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY="x" * 60, **environment)
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_FACTS],
        cwd=ROOT,
        env=inherited,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_suite_uses_a_fast_hasher_and_installs_the_benchmark():
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert "bench" in settings.INSTALLED_APPS
    assert resolve("/bench/baseline/")


def test_production_hashes_passwords_with_pbkdf2():
    facts = production_facts()
    assert facts["hasher"] == "pbkdf2_sha256"
    assert facts["iterations"] >= 1_000_000


def test_production_has_no_benchmark_app_url_or_query_header():
    facts = production_facts(BENCH_QUERY_COUNT="1")
    assert facts["bench_app"] is False
    assert facts["bench_url"] is False
    assert not any(name.startswith("bench.") for name in facts["middleware"])


def test_the_benchmark_is_there_when_asked_for():
    facts = production_facts(BENCHMARK="1", BENCH_QUERY_COUNT="1")
    assert facts["bench_app"] is True
    assert facts["bench_url"] is True
    assert "bench.middleware.QueryCountMiddleware" in facts["middleware"]
