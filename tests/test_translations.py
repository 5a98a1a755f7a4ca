"""The German catalogue is complete: `make messages` would find nothing left to translate.

The check runs Django's makemessages in a copy of the source tree (so the working tree
stays untouched) and reads the result with Debian's gettext tools, which `.ci/run`
installs. A msgid that makemessages adds untranslated, or marks fuzzy because it merely
resembles an old one, would show in English on a German page.
"""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

# The same call as `make messages`.
MAKEMESSAGES = [
    "makemessages",
    "--locale",
    "de",
    "--locale",
    "en",
    "--ignore",
    ".venv/*",
    "--ignore",
    "var/*",
    "--ignore",
    "tests/*",
]
NOT_SOURCE = shutil.ignore_patterns(
    ".venv", ".git", "var", "node_modules", "__pycache__", "*.egg-info", ".mypy_cache"
)


def _gettext_tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} not found: install Debian's gettext (apt-get install gettext)"
    return path


def _entries(po_file: Path, *selection: str) -> list[str]:
    """The msgids msgattrib selects (e.g. --untranslated), without the header entry."""
    output = subprocess.run(
        [_gettext_tool("msgattrib"), *selection, "--no-obsolete", "--no-wrap", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    msgids = [line[len("msgid ") :] for line in output.splitlines() if line.startswith("msgid ")]
    return [msgid for msgid in msgids if msgid != '""']


@pytest.fixture(scope="module")
def catalogues_after_makemessages(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("source") / "tree"
    shutil.copytree(settings.BASE_DIR, copy, ignore=NOT_SOURCE)
    subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy,
        capture_output=True,
        check=True,
    )
    return copy / "locale"


def test_makemessages_would_add_no_untranslated_german_string(catalogues_after_makemessages):
    catalogue = catalogues_after_makemessages / "de" / "LC_MESSAGES" / "django.po"
    missing = _entries(catalogue, "--untranslated")
    assert not missing, f"{len(missing)} strings without a German translation: {missing}"


@pytest.mark.parametrize("language", ["de", "en"])
def test_makemessages_would_leave_no_fuzzy_translation(catalogues_after_makemessages, language):
    catalogue = catalogues_after_makemessages / language / "LC_MESSAGES" / "django.po"
    fuzzy = _entries(catalogue, "--only-fuzzy")
    assert not fuzzy, f"{len(fuzzy)} fuzzy {language} translations to check: {fuzzy}"


@pytest.mark.parametrize("catalogue", ["locale/de", "locale/en", "locale_allauth/de"])
def test_the_compiled_catalogue_matches_its_source(tmp_path, catalogue):
    """A .po edited without compilemessages would not reach a single page."""
    directory = Path(settings.BASE_DIR) / catalogue / "LC_MESSAGES"
    fresh = tmp_path / "django.mo"
    subprocess.run(
        [_gettext_tool("msgfmt"), "-o", str(fresh), str(directory / "django.po")], check=True
    )
    with open(directory / "django.mo", "rb") as committed, open(fresh, "rb") as compiled:
        committed_catalogue = gettext.GNUTranslations(committed)._catalog  # type: ignore[attr-defined]
        compiled_catalogue = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    stale = {
        msgid
        for msgid in committed_catalogue.keys() | compiled_catalogue.keys()
        if committed_catalogue.get(msgid) != compiled_catalogue.get(msgid)
    }
    assert not stale, f"run `make messages`: django.mo differs from django.po in {stale}"


@pytest.mark.django_db
def test_the_workload_dataset_speaks_german_on_the_german_open_data_page(client):
    page = client.get("/open-data/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Arbeitsauslastung der Organisation" in page
    assert "Wann die Stichtagsauswertung erstellt wurde." in page
    assert "Workload of the organisation" not in page
