"""workload sits on top: it may import the other apps, none of them may import it."""

import ast
from pathlib import Path

from django.conf import settings

LOWER_APPS = ["accounts", "marketplace", "participation"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def test_no_lower_app_imports_workload():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)} imports {module}"
        for app in LOWER_APPS
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py"))
        for module in imported_modules(path)
        if module == "workload" or module.startswith("workload.")
    ]
    assert offenders == []


def test_the_check_sees_an_import_of_workload(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from workload.models import WorkloadRow\n")
    assert "workload.models" in imported_modules(module)
