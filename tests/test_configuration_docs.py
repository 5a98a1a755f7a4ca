"""The settings are documented: README's table names every variable the settings read,
and ``.env.example`` lists every variable of that table (``# NAME=`` counts as listed)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ENV_EXAMPLE = ROOT / ".env.example"
CONFIG = ROOT / "config"
ENV_READERS = {"env_str", "env_bool", "env_int", "env_float", "env_list"}
ENV_LINE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=")
NAME = re.compile(r"`([A-Z][A-Z0-9_]*)`")


def readme_settings(text: str) -> set[str]:
    """The names in the first column of the table under ``## Configuration``."""
    section = re.split(r"^## Configuration$", text, maxsplit=1, flags=re.M)[1]
    section = re.split(r"^## ", section, maxsplit=1, flags=re.M)[0]
    names = set()
    for line in section.splitlines():
        cells = line.split("|")
        if line.startswith("|") and len(cells) > 2:
            names.update(NAME.findall(cells[1]))
    return names


def env_example_settings(text: str) -> set[str]:
    return {match.group(1) for line in text.splitlines() if (match := ENV_LINE.match(line.strip()))}


def settings_read(source: str) -> set[str]:
    """``NAME`` of every ``env_str("NAME", ...)`` and its kin in ``source``."""
    return {
        node.args[0].value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ENV_READERS
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def single_sign_on_settings(source: str) -> set[str]:
    """The ``OIDC_*`` names ``config/single_sign_on.py`` reads (its own reader, not env_*)."""
    return {
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"OIDC_[A-Z_]+", node.value)
    }


def all_settings_read() -> set[str]:
    names = set()
    for path in CONFIG.glob("*.py"):
        names |= settings_read(path.read_text(encoding="utf-8"))
    return names | single_sign_on_settings((CONFIG / "single_sign_on.py").read_text())


def test_env_example_lists_every_setting_of_the_readme():
    documented = readme_settings(README.read_text(encoding="utf-8"))
    listed = env_example_settings(ENV_EXAMPLE.read_text(encoding="utf-8"))
    missing = sorted(documented - listed)
    assert not missing, f".env.example lacks settings that README.md documents: {missing}"


def test_readme_documents_every_setting_the_code_reads():
    documented = readme_settings(README.read_text(encoding="utf-8"))
    missing = sorted(all_settings_read() - documented)
    assert not missing, f"README.md's configuration table lacks: {missing}"


def test_the_parsers_find_what_they_look_for():
    """Guards against a check that passes because it reads nothing."""
    documented = readme_settings(README.read_text(encoding="utf-8"))
    assert {"DEBUG", "SECRET_KEY", "EMAIL_HOST_PASSWORD", "SERVER_EMAIL"} <= documented
    assert "admin@example.org" not in documented  # the demo accounts' table is not read
    assert {"SECRET_KEY", "OIDC_CLIENT_ID"} <= env_example_settings(ENV_EXAMPLE.read_text())
    assert {"DATABASE_URL", "WORKLOAD_TOLERANCE", "OIDC_EMPLOYEE_DOMAINS"} <= all_settings_read()


def test_the_checks_report_a_missing_name():
    readme = (
        "## Configuration\n\n| variable | default |\n| --- | --- |\n| `A`, `B` | x |\n## Next\n"
    )
    assert readme_settings(readme) == {"A", "B"}
    assert readme_settings(readme) - env_example_settings("A=1\n# C=2\n") == {"B"}
    assert settings_read('X = env_int("PORT", 1)\nY = env_str(name)\n') == {"PORT"}
