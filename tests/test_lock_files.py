"""The lock files pin, with hashes, every package that pyproject.toml asks for."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)(\[[^\]]*\])?==(?P<version>[^\s;\\]+)")


def pins(lock: Path) -> dict[str, str]:
    """Package name -> pinned version; fails on a pin without a hash."""
    found, text = {}, lock.read_text(encoding="utf-8")
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = PIN.match(block)
        if match:
            assert "--hash=sha256:" in block, f"{lock.name}: {match['name']} has no hash"
            found[canonicalize_name(match["name"])] = match["version"]
    return found


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("base.txt", lambda p: p["dependencies"]),
        ("dev.txt", lambda p: p["dependencies"] + p["optional-dependencies"]["dev"]),
    ],
)
def test_every_requirement_is_pinned_within_its_range(lock, requirements):
    pinned = pins(ROOT / "requirements" / lock)
    for line in requirements(project()):
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{lock} does not pin {name}: run `make lock`"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (
            f"{lock} pins {name}=={pinned[name]}, pyproject.toml asks {requirement.specifier}"
        )


def test_the_installer_is_locked_at_the_version_that_writes_the_locks():
    """`make install` first installs uv from requirements/uv.txt, then the lock files with it."""
    installer = pins(ROOT / "requirements" / "uv.txt")
    assert installer == {"uv": pins(ROOT / "requirements" / "dev.txt")["uv"]}


def test_the_production_lock_holds_no_development_tool():
    pinned = pins(ROOT / "requirements" / "base.txt")
    for tool in ("pytest", "ruff", "playwright", "factory-boy"):
        assert tool not in pinned


def test_ruff_is_pinned_exactly():
    dev = project()["optional-dependencies"]["dev"]
    ruff = next(Requirement(line) for line in dev if line.startswith("ruff"))
    assert str(ruff.specifier).startswith("==")


def test_the_node_tools_are_pinned_exactly_with_integrity_hashes():
    """npm's tools for the tests (the Nu Html Checker): `npm ci` installs exactly these."""
    import json

    wanted = json.loads((ROOT / "package.json").read_text())["devDependencies"]
    locked = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    assert wanted, "package.json names no tool"
    for name, version in wanted.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} {version} is no exact version"
        entry = locked[f"node_modules/{name}"]
        assert entry["version"] == version
        assert entry["integrity"].startswith("sha512-")
    assert locked[""]["devDependencies"] == wanted
