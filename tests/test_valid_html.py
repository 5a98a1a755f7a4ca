"""Valid HTML where the Nu Html Checker found errors (issue 18, item 6).

htmx attributes are written as data-hx-* (htmx reads both spellings; only the data- one is
allowed by the HTML standard), and allauth's forms hold no list inside a paragraph.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import CitizenFactory

BARE_HTMX_ATTRIBUTE = re.compile(r"(?<![\w-])hx-[a-z-]+=")


def test_no_template_writes_a_bare_hx_attribute():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if BARE_HTMX_ATTRIBUTE.search(line)
    ]
    assert not offenders, f"write data-hx-* instead of hx-*: {offenders}"


def test_the_pattern_tells_the_spellings_apart():
    assert BARE_HTMX_ATTRIBUTE.search('<form hx-post="/x/">')
    assert not BARE_HTMX_ATTRIBUTE.search('<form data-hx-post="/x/">')


class ListInParagraph(HTMLParser):
    """Finds a <ul> or <ol> opened while a <p> is open (the parser would close the <p>)."""

    def __init__(self, html: str):
        super().__init__()
        self.open_paragraphs, self.found = 0, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "p":
            self.open_paragraphs += 1
        elif tag in {"ul", "ol", "div"} and self.open_paragraphs:
            self.found = True

    def handle_endtag(self, tag):
        if tag == "p" and self.open_paragraphs:
            self.open_paragraphs -= 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, signed_in", [("/accounts/password/change/", True), ("/accounts/signup/", False)]
)
def test_allauth_forms_put_no_list_inside_a_paragraph(client, url, signed_in):
    if signed_in:
        client.force_login(CitizenFactory())
    response = client.get(url)
    assert response.status_code == 200
    assert not ListInParagraph(response.content.decode()).found


def test_the_html_checker_reports_an_error_with_its_page_and_passes_a_valid_page(html_checker):
    valid = '<!DOCTYPE html><html lang="de"><head><title>T</title></head><body></body></html>'
    invalid = valid.replace("<body>", '<body><select name="s"><option value=""></option></select>')
    errors = html_checker({"/valid/": valid, "/invalid/ (citizen)": invalid})
    assert len(errors) == 1, errors
    assert errors[0].startswith("/invalid/ (citizen), line 1:")
    assert "option" in errors[0]
