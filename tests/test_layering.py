"""The layers of DESIGN.md hold: no arrow runs backwards, and no circle.

``accounts <- marketplace <- participation <- workload``: each app may import the
apps to its left, never one to its right; ``config``, ``bench`` and ``api`` (the
read API, which reads every app's data) sit on top.
Every import counts, at module level, inside a function and under
``if TYPE_CHECKING``. Templates follow the same layers: a template under
``templates/<app>/`` loads tag libraries and includes or extends templates of
its own layer or a lower one only. The site frame (``base.html``, the error
pages, ``includes/``, the allauth and statement pages) is the lowest layer.
A template that a lower app's page shows on behalf of a higher one is handed
over through a registry (``marketplace.project_sections``) as a variable, so
it never appears here as a string.

The checks work on plain sources, so the self-tests at the end feed them a
synthetic backward import, cycle and template and prove they would fail.
"""

import ast
import re
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

LAYERS = ["accounts", "marketplace", "participation", "workload"]
TOP = ["config", "bench", "api"]
LAYER_OF = {name: rank for rank, name in enumerate(LAYERS)} | {name: len(LAYERS) for name in TOP}
FRAME = 0  # the rank of the site frame's templates: that of accounts
# Template directories that belong to an app of another name.
TEMPLATE_DIRECTORIES = {"account": "accounts", "allauth": "accounts", "mfa": "accounts"}
# Template references in Python strings, e.g. ``render(request, "participation/x.html")``.
TEMPLATE_NAME = re.compile(r"^([a-z_]+)/[\w./-]+\.(?:html|txt|xml|ttl)(?:#[\w-]+)?$")


# --- Python modules -------------------------------------------------------------------------


def python_sources(root: Path = ROOT) -> dict[str, tuple[str, bool]]:
    """Every module of the apps: dotted name -> (source, is a package's ``__init__``)."""
    sources = {}
    for package in [*LAYERS, *TOP]:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            sources[".".join(parts)] = (path.read_text(encoding="utf-8"), is_package)
    return sources


def imports_of(module: str, source: str, is_package: bool) -> list[tuple[str, tuple[str, ...]]]:
    """Every import anywhere in ``module``: (absolute module imported, names taken from it)."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((alias.name, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(part for part in [*anchor, base] if part)
            found.append((base, tuple(alias.name for alias in node.names)))
    return found


def module_graph(sources: dict[str, tuple[str, bool]]) -> dict[str, set[str]]:
    """Edges from each module to the modules of ``sources`` it imports.

    ``from a import b`` points to the module ``a.b`` when there is one, else to ``a``.
    """
    graph = {}
    for module, (source, is_package) in sources.items():
        targets = set()
        for base, names in imports_of(module, source, is_package):
            for name in names or [""]:
                submodule = f"{base}.{name}"
                if submodule in sources:
                    targets.add(submodule)
                elif base in sources:
                    targets.add(base)
        graph[module] = targets - {module}
    return graph


def backward_imports(sources: dict[str, tuple[str, bool]]) -> list[str]:
    """``"lower.module imports higher.module"`` for every arrow that runs backwards."""
    found = []
    for module, (source, is_package) in sorted(sources.items()):
        own = LAYER_OF[module.split(".")[0]]
        for name, _names in imports_of(module, source, is_package):
            rank = LAYER_OF.get(name.split(".")[0])
            if rank is not None and rank > own:
                found.append(f"{module} imports {name}")
    return found


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(node):
        index[node] = lowest[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                lowest[node] = min(lowest[node], lowest[target])
            elif target in on_stack:
                lowest[node] = min(lowest[node], index[target])
        if lowest[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


# --- Templates ------------------------------------------------------------------------------

LOAD = re.compile(r"{%\s*load\s+(.+?)\s*%}")
REFERENCE = re.compile(r"""{%\s*(?:include|extends)\s+(["'])([^"']+)\1""")


def template_rank(name: str) -> int:
    """The layer of a template by its path under ``templates/``; the frame for anything else."""
    first, _, rest = name.partition("/")
    if not rest:
        return FRAME  # base.html, the error pages
    app = TEMPLATE_DIRECTORIES.get(first, first)
    return LAYER_OF.get(app, FRAME)


def tag_libraries(root: Path = ROOT) -> dict[str, int]:
    """Library name -> the layer of the app whose ``templatetags`` defines it."""
    return {
        path.stem: LAYER_OF[app]
        for app in LAYERS
        for path in (root / app / "templatetags").glob("*.py")
        if path.stem != "__init__"
    }


def loaded_libraries(text: str) -> set[str]:
    libraries = set()
    for match in LOAD.finditer(text):
        words = match.group(1).split()
        # ``{% load name other from library %}`` loads from ``library`` only.
        libraries.update(words[-1:] if "from" in words else words)
    return libraries


def template_violations(templates: dict[str, str], libraries: dict[str, int]) -> list[str]:
    """Backward arrows in templates: ``name -> library or template of a higher layer``."""
    found = []
    for name, text in sorted(templates.items()):
        own = template_rank(name)
        for library in sorted(loaded_libraries(text)):
            if libraries.get(library, own) > own:
                found.append(f"{name} loads the tag library {library}")
        for match in REFERENCE.finditer(text):
            referenced = match.group(2)
            if template_rank(referenced) > own:
                found.append(f"{name} includes or extends {referenced}")
    return found


def python_template_references(sources: dict[str, tuple[str, bool]]) -> list[str]:
    """Python of a lower app naming a template of a higher one (``render``, ``include``)."""
    found = []
    for module, (source, _is_package) in sorted(sources.items()):
        own = LAYER_OF[module.split(".")[0]]
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                match = TEMPLATE_NAME.match(node.value)
                if match and template_rank(node.value) > own:
                    found.append(f"{module} names the template {node.value}")
    return found


def template_sources(root: Path = TEMPLATES) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.suffix in {".html", ".txt", ".xml"}
    }


# --- The tests ------------------------------------------------------------------------------


def _describe(problems: Iterable[str]) -> str:
    return "\n".join(problems)


def test_no_app_imports_a_higher_layer():
    problems = backward_imports(python_sources())
    assert not problems, _describe(problems)


def test_no_import_cycle_between_modules():
    cycles = import_cycles(module_graph(python_sources()))
    assert not cycles, _describe(" <-> ".join(cycle) for cycle in cycles)


def test_no_template_loads_or_includes_a_higher_layer():
    problems = template_violations(template_sources(), tag_libraries())
    assert not problems, _describe(problems)


def test_no_app_names_a_template_of_a_higher_layer():
    problems = python_template_references(python_sources())
    assert not problems, _describe(problems)


def test_the_checks_see_every_app_that_exists():
    sources = python_sources()
    assert {"accounts.models", "marketplace.models", "participation.models"} <= set(sources)
    assert {"api.views", "config.urls"} <= set(sources)
    assert "marketplace" in tag_libraries()
    assert "marketplace/project_detail.html" in template_sources()


# --- Self-tests: each check reports what it is there to catch ------------------------------


def test_self_test_a_backward_import_is_reported_at_any_level():
    sources = {
        "accounts.models": ("", False),
        "accounts.views": ("def view():\n    from marketplace.models import Project\n", False),
        "marketplace.models": (
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from participation import models\n",
            False,
        ),
        "marketplace.views": ("import workload.report\n", False),
        "workload.views": ("from api.views import api\n", False),
        "participation.models": ("from accounts.models import User\n", False),
    }
    assert backward_imports(sources) == [
        "accounts.views imports marketplace.models",
        "marketplace.models imports participation",
        "marketplace.views imports workload.report",
        "workload.views imports api.views",
    ]


def test_self_test_a_cycle_is_reported_also_through_a_function_level_import():
    sources = {
        "accounts.a": ("from accounts.b import thing\n", False),
        "accounts.b": ("def later():\n    from accounts import c\n", False),
        "accounts.c": ("from . import a\n", False),
        "accounts.d": ("from accounts.a import other\n", False),
        "accounts": ("", True),
    }
    assert import_cycles(module_graph(sources)) == [["accounts.a", "accounts.b", "accounts.c"]]


def test_self_test_a_template_of_a_lower_layer_may_not_reach_up():
    templates = {
        "base.html": '{% load i18n marketplace %}{% include "accounts/badge.html" %}',
        "marketplace/page.html": (
            '{% extends "base.html" %}{% load i18n partials participation_tags %}'
            "{% include 'participation/includes/part.html' with a=b %}"
            "{% include section.template %}"
        ),
        "participation/page.html": '{% load marketplace %}{% include "marketplace/x.html" %}',
        "api/documentation.html": '{% extends "base.html" %}{% include "workload/part.html" %}',
        "account/login.html": '{% load thing from participation_tags %}{% extends "base.html" %}',
        "workload/report.html": '{% include "api/documentation.html" %}',
    }
    libraries = {"accounts_tags": 0, "marketplace": 1, "participation_tags": 2}
    assert template_violations(templates, libraries) == [
        "account/login.html loads the tag library participation_tags",
        "base.html loads the tag library marketplace",
        "marketplace/page.html loads the tag library participation_tags",
        "marketplace/page.html includes or extends participation/includes/part.html",
        "workload/report.html includes or extends api/documentation.html",
    ]
    python = {"marketplace.views": ('render(r, "participation/page.html#part")\n', False)}
    assert python_template_references(python) == [
        "marketplace.views names the template participation/page.html#part"
    ]
