"""CONVENTIONS.md: a module that passes ~600 lines is split into a package by topic."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["accounts", "marketplace", "participation", "workload", "config", "bench"]
MAX_LINES = 600


def modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


@pytest.mark.parametrize("path", list(modules()), ids=lambda path: str(path.relative_to(ROOT)))
def test_module_stays_under_the_split_limit(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines: split it by topic"


def test_participation_models_are_a_package_by_topic():
    package = ROOT / "participation" / "models"
    assert {path.stem for path in package.glob("*.py")} >= {
        "applications",
        "proposals",
        "comments",
        "retrospectives",
    }
