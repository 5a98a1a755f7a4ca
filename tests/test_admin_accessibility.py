"""The admin carries the portal's name, its sections have distinct names, and the admin's
widgets get what axe-core misses in Django's (the page sweep runs axe on every admin page)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from tests.factories import AdminFactory

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}


@pytest.fixture
def signed_in_administrator(client, db):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = AdminFactory()
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    return user


def test_the_admin_carries_the_portals_name(client, signed_in_administrator):
    page = client.get("/admin/", **GERMAN).content.decode()
    assert "Projektmarktplatz Berlin: Verwaltung" in page
    assert "Django" not in page.split("<body", 1)[1].split("<script", 1)[0]


def test_no_two_admin_sections_share_a_name(signed_in_administrator, settings):
    from django.utils import translation

    request = RequestFactory().get("/admin/")
    request.user = signed_in_administrator
    for language in ["de", "en"]:
        with translation.override(language):
            names = [str(app["name"]) for app in admin.site.get_app_list(request)]
        assert len(names) == len(set(names)), names


def test_split_date_and_time_inputs_have_labels(client, signed_in_administrator):
    from tests.factories import ProjectFactory, RoleFactory

    role = RoleFactory(project=ProjectFactory())
    page = client.get(f"/admin/marketplace/role/{role.pk}/change/").content.decode()
    assert '<label for="id_created_at_0">' in page
    assert '<label for="id_created_at_1">' in page


def test_admin_pages_load_the_accessibility_fixes(client, signed_in_administrator):
    page = client.get("/admin/").content.decode()
    assert "/static/css/admin.css" in page
    assert "/static/js/admin.js" in page


def test_autocomplete_selects_and_the_password_pages_are_valid_html(
    client, signed_in_administrator, html_checker
):
    """Django writes an empty unlabelled option, a required select without a placeholder,
    ``disabled`` on a <div> and a list inside a <p> on these pages; ours do not."""
    from tests.factories import ProjectFactory, RoleFactory

    role = RoleFactory(project=ProjectFactory())
    user = signed_in_administrator.pk
    urls = [
        "/admin/marketplace/role/add/",  # required autocomplete, nothing chosen yet
        f"/admin/marketplace/role/{role.pk}/change/",  # required, one chosen
        "/admin/participation/membership/add/",  # optional ones too
        f"/admin/accounts/user/{user}/change/",
        f"/admin/accounts/user/{user}/password/",
    ]
    pages = {}
    for url in urls:
        response = client.get(url, **GERMAN)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    assert html_checker(pages) == []
    assert "geht das bisherige Passwort dieser Person verloren" in pages[urls[-1]]
