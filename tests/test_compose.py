"""The container definitions: docker-compose.yml, Dockerfile and .env.example.

Pure file checks, no Django and no database: they guard the production stack
against a service losing its health check, its dependencies or its settings.
"""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"

APP_SERVICES = ("web", "worker", "beat")

# "NAME=value" and the commented-out "# NAME=value".
ENV_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else str(command)


def _environment(service: dict) -> dict:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        return dict(item.partition("=")[::2] for item in environment)
    return environment


def _healthcheck_test(service: dict) -> str:
    test = service["healthcheck"]["test"]
    return " ".join(test) if isinstance(test, list) else str(test)


def _env_example_names() -> list[str]:
    names = []
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = ENV_LINE.match(line.strip())
        if match:
            names.append(match.group(1))
    return names


def test_compose_file_is_a_mapping_without_version_key(compose):
    assert isinstance(compose, dict)
    assert "version" not in compose


def test_all_services_exist(services):
    for name in ("postgres", "redis", "web", "worker", "beat"):
        assert name in services, f"service {name} is missing"


def test_postgres_and_redis_images(services):
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")


def test_postgres_and_redis_have_healthchecks(services):
    for name in ("postgres", "redis"):
        healthcheck = services[name].get("healthcheck")
        assert healthcheck, f"{name} has no healthcheck"
        assert not healthcheck.get("disable")
        assert healthcheck.get("test")
    assert "pg_isready" in _healthcheck_test(services["postgres"])
    assert "redis-cli ping" in _healthcheck_test(services["redis"])


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_healthy_postgres_and_redis(services, name):
    depends_on = services[name].get("depends_on")
    assert isinstance(depends_on, dict), f"{name}: depends_on needs conditions"
    for dependency in ("postgres", "redis"):
        assert dependency in depends_on, f"{name} does not depend on {dependency}"
        assert depends_on[dependency].get("condition") == "service_healthy"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_get_database_and_redis_urls(services, name):
    environment = _environment(services[name])
    assert environment.get("DATABASE_URL", "").startswith("postgres://")
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment.get("REDIS_URL", "").startswith("redis://redis:6379")


def test_web_runs_gunicorn(services):
    command = _command(services["web"])
    assert command.startswith("gunicorn ")
    assert "config.wsgi" in command
    assert "--config python:config.gunicorn" in command  # gc.freeze() after loading


def test_worker_runs_celery_worker(services):
    assert "celery -A config worker" in _command(services["worker"])


def test_beat_runs_celery_beat(services):
    assert "celery -A config beat" in _command(services["beat"])


def test_web_healthcheck_hits_healthz(services):
    assert "/healthz" in _healthcheck_test(services["web"])


def test_web_waits_for_migrations(services):
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert "migrate" in _command(services["migrate"])


def test_env_example_names_only_settings_the_code_reads():
    names = _env_example_names()
    assert "SECRET_KEY" in names
    assert "POSTGRES_PASSWORD" in names
    sources = "\n".join(
        path.read_text(encoding="utf-8")
        for path in (
            ROOT / "config" / "settings.py",
            ROOT / "config" / "environment.py",
            ROOT / "config" / "single_sign_on.py",
            COMPOSE_FILE,
        )
    )
    unread = [name for name in names if not re.search(rf"\b{name}\b", sources)]
    assert not unread, f".env.example names variables nothing reads: {unread}"


def test_dockerfile_uses_python_311_runs_as_non_root_and_starts_gunicorn():
    assert DOCKERFILE.is_file()
    lines = [line.strip() for line in DOCKERFILE.read_text(encoding="utf-8").splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]

    bases = [line.split()[1] for line in instructions if line.upper().startswith("FROM ")]
    assert bases and bases[-1].startswith("python:3.11")

    users = [line.split()[1] for line in instructions if line.upper().startswith("USER ")]
    assert users, "the Dockerfile never switches away from root"
    assert users[-1].split(":")[0] not in {"root", "0"}

    commands = [line for line in instructions if line.upper().startswith("CMD ")]
    assert commands and "gunicorn" in commands[-1]


def _dockerignore_patterns() -> set[str]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return {line.strip().rstrip("/") for line in lines if line.strip() and not line.startswith("#")}


def test_the_image_ships_no_tests_and_no_benchmark():
    patterns = _dockerignore_patterns()
    assert {"tests", "bench"} <= patterns


def test_the_image_installs_exactly_the_locked_packages():
    instructions = DOCKERFILE.read_text(encoding="utf-8")
    installs = re.findall(r"pip install[^\n]*", instructions)
    assert any("--require-hashes -r requirements/base.txt" in line for line in installs)
    # the project itself must not pull in unlocked dependencies
    assert all("--require-hashes" in line or "--no-deps" in line for line in installs), installs
