"""Texts in a safe subset of Markdown on the pages; the same words without markup in feeds
and open data."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.test.html import parse_html
from pytest_django.asserts import assertInHTML

from marketplace.models import ProjectUpdate
from marketplace.text import plain_text, render_markdown
from tests.factories import EmployeeFactory, ProjectFactory, RoleFactory
from tests.factories_participation import ProposalFactory

LISTS_AND_EMPHASIS = (
    "Wir suchen:\n"
    "- Menschen mit *Geduld*\n"
    "- Menschen mit **Humor**\n"
    "\n"
    "Ablauf:\n"
    "1. Kennenlernen\n"
    "2. Ausprobieren"
)
ATOM = "{http://www.w3.org/2005/Atom}"
# What Markdown writes for lists and emphasis; none of it may reach feeds or open data.
MARKUP = ["- ", "* ", "*", "**", "_", "<", ">", "1) "]


def html(text: str):
    return parse_html(str(render_markdown(text)))


# --- Rendering ------------------------------------------------------------------------


def test_lists_directly_after_a_line_of_text_render_as_lists():
    rendered = str(render_markdown(LISTS_AND_EMPHASIS))
    assertInHTML("<p>Wir suchen:</p>", rendered)
    assertInHTML(
        "<ul><li>Menschen mit <em>Geduld</em></li>"
        "<li>Menschen mit <strong>Humor</strong></li></ul>",
        rendered,
    )
    assertInHTML("<ol><li>Kennenlernen</li><li>Ausprobieren</li></ol>", rendered)


def test_paragraphs_line_breaks_and_inline_code():
    rendered = str(render_markdown("Erste Zeile\nzweite Zeile\n\nNeuer Absatz mit `code`"))
    assertInHTML("<p>Erste Zeile<br>zweite Zeile</p>", rendered)
    assertInHTML("<p>Neuer Absatz mit <code>code</code></p>", rendered)


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("[Berlin](https://www.berlin.de/)", "https://www.berlin.de/"),
        ("Mehr unter https://www.berlin.de/ lesen", "https://www.berlin.de/"),
        ("<https://service.berlin.de/>", "https://service.berlin.de/"),
        ("[Schreiben Sie uns](mailto:team@example.org)", "mailto:team@example.org"),
    ],
)
def test_links_render_and_leave_the_site_safely(text, href):
    rendered = str(render_markdown(text))
    assert f'href="{href}"' in rendered
    assert 'rel="nofollow noopener"' in rendered


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "[klick](javascript:alert(1))",
        "[klick](JAVASCRIPT:alert(1))",
        "[klick](data:text/html;base64,PHNjcmlwdD4=)",
        "[klick](vbscript:msgbox)",
        '<a href="javascript:alert(1)">klick</a>',
        "<img src=x onerror=alert(1)>",
        "![Bild](https://example.org/bild.png)",
        '<p onclick="alert(1)">raw</p>',
        "<iframe src='https://example.org'></iframe>",
        "# Überschrift\n> Zitat\n\n    Code-Block",
    ],
)
def test_scripts_dangerous_links_raw_html_and_images_are_neutralised(text):
    rendered = str(render_markdown(text))
    for forbidden in ["<script", "<img", "<iframe", "<h1", "<blockquote", "<pre", "<b>"]:
        assert forbidden not in rendered
    # What is left is text or one of the allowed elements, with only safe attributes.
    for element in _elements(html(text)):
        assert element.name in {"p", "ul", "ol", "li", "a", "em", "strong", "code", "br"}
        attributes = dict(element.attributes)
        assert set(attributes) <= {"href", "rel", "start"}
        href = attributes.get("href", "https:")
        assert href.split(":")[0] in {"http", "https", "mailto"}, href


def _elements(node):
    for child in getattr(node, "children", []):
        if hasattr(child, "name"):
            yield child
            yield from _elements(child)


def test_raw_html_shows_as_typed():
    assert "&lt;b&gt;fett&lt;/b&gt;" in str(render_markdown("<b>fett</b>"))


def test_plain_text_keeps_the_words_and_drops_the_markup():
    text = plain_text(LISTS_AND_EMPHASIS + "\n\nSiehe [die Seite](https://www.berlin.de/).")
    assert text == (
        "Wir suchen:\n\n"
        "• Menschen mit Geduld\n"
        "• Menschen mit Humor\n\n"
        "Ablauf:\n\n"
        "1. Kennenlernen\n"
        "2. Ausprobieren\n\n"
        "Siehe die Seite (https://www.berlin.de/)."
    )


def test_plain_text_of_nothing_is_empty():
    assert plain_text("") == ""
    assert plain_text(None) == ""


# --- Where the texts appear -------------------------------------------------------------


@pytest.mark.django_db
def test_project_role_and_update_texts_render_as_markdown_on_the_project_page(client):
    project = ProjectFactory(description=LISTS_AND_EMPHASIS)
    RoleFactory(project=project, description="Aufgaben:\n- *testen*\n- berichten")
    ProjectUpdate.objects.create(
        project=project, title="Neu", text="Erledigt:\n- **Workshop**", author=EmployeeFactory()
    )
    page = client.get(project.get_absolute_url()).content.decode()
    assertInHTML("<li>Menschen mit <em>Geduld</em></li>", page)
    assertInHTML("<ul><li><em>testen</em></li><li>berichten</li></ul>", page)
    assertInHTML("<ul><li><strong>Workshop</strong></li></ul>", page)


@pytest.mark.django_db
def test_proposal_texts_render_as_markdown(client):
    proposal = ProposalFactory(
        problem="Heute:\n- lange *Wartezeiten*\n- volle Flure",
        idea="Ein [Terminportal](https://service.berlin.de/)",
        beneficiaries="1. Familien\n2. Senioren",
    )
    page = client.get(proposal.get_absolute_url()).content.decode()
    assertInHTML("<ul><li>lange <em>Wartezeiten</em></li><li>volle Flure</li></ul>", page)
    assert 'href="https://service.berlin.de/" rel="nofollow noopener"' in page
    assertInHTML("<ol><li>Familien</li><li>Senioren</li></ol>", page)


@pytest.mark.django_db
def test_the_updates_feed_carries_the_words_without_markup(client):
    project = ProjectFactory()
    ProjectUpdate.objects.create(
        project=project, title="Neu", text=LISTS_AND_EMPHASIS, author=EmployeeFactory()
    )
    response = client.get(f"/projects/{project.slug}/feed/")
    assert response.status_code == 200
    summary = ET.fromstring(response.content).find(f"{ATOM}entry").findtext(f"{ATOM}summary")
    # The summary is HTML (type="html"): only paragraphs and line breaks, no Markdown.
    words = summary.replace("<p>", "").replace("</p>", "").replace("<br>", "")
    assert "Menschen mit Geduld" in words
    for markup in MARKUP:
        assert markup not in words, markup


@pytest.mark.django_db
def test_open_data_carries_the_proposal_texts_without_markup(client):
    ProposalFactory(
        problem=LISTS_AND_EMPHASIS, idea="*Sofort* handeln", beneficiaries="- alle\n- _viele_"
    )
    for url in ["/open-data/proposals.json", "/open-data/proposals.csv"]:
        response = client.get(url)
        assert response.status_code == 200
        body = response.getvalue().decode("utf-8-sig")
        if url.endswith(".json"):
            (row,) = json.loads(body)["results"]
            assert row["problem"] == plain_text(LISTS_AND_EMPHASIS)
            assert row["idea"] == "Sofort handeln"
            body = " ".join([row["problem"], row["idea"], row["beneficiaries"]])
        assert "Menschen mit Geduld" in body
        for markup in ["- alle", "*", "**", "_viele_"]:
            assert markup not in body, (url, markup)
