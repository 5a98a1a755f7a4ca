"""A citizen's whole journey in Chromium: sign up, verify, sign in, edit, export, delete."""

import json
import re

import pytest
from django.core import mail

from accounts.models import User
from tests.conftest import assert_accessible

PASSWORD = "Ein-sehr-langes-Passwort-2026"


def follow_link_in_last_email(page, live_server) -> None:
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(
        1
    )
    page.goto(live_server.url + link)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_citizen_signs_up_verifies_edits_exports_and_deletes(live_server, page):
    page.goto(live_server.url + "/participate/")
    assert_accessible(page)
    page.get_by_role("link", name="Registrieren, um mitzumachen").first.click()

    page.wait_for_url("**/accounts/signup/")
    assert_accessible(page)
    page.get_by_label("E-Mail").fill("journey@example.org")
    page.get_by_label("Anzeigename").fill("Jo Journey")
    page.get_by_label("Passwort:", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort (Wiederholung):").fill(PASSWORD)
    page.get_by_label("eine Person").check()
    page.get_by_label(re.compile(r"Tester\*in:")).check()
    page.get_by_label(re.compile("Datenschutzhinweise")).check()
    page.get_by_role("button", name="Registrieren").click()
    page.wait_for_url("**/accounts/confirm-email/")
    assert_accessible(page)

    follow_link_in_last_email(page, live_server)
    assert_accessible(page)
    page.get_by_role("button", name="Bestätigen").click()

    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    page.get_by_label("E-Mail").fill("journey@example.org")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmeldung", exact=True).click()
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + "/me/settings/")
    assert_accessible(page)
    page.get_by_label("Anzeigename").fill("Jo Neu")
    page.get_by_role("button", name="Einstellungen speichern").click()
    page.wait_for_url("**/me/settings/")
    assert_accessible(page)
    assert User.objects.get(email="journey@example.org").display_name == "Jo Neu"

    page.goto(live_server.url + "/me/data/")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("herunterladen")).click()
    exported = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert exported["accounts.user"][0]["email"] == "journey@example.org"

    page.get_by_label(re.compile("Passwort")).fill(PASSWORD)
    page.get_by_label(re.compile("rückgängig")).check()
    page.get_by_role("button", name=re.compile("löschen")).click()
    page.wait_for_url(live_server.url + "/")
    assert_accessible(page)
    assert not User.objects.filter(email="journey@example.org").exists()
    assert User.objects.filter(deleted_at__isnull=False).count() == 1
