"""Content marks the language it is written in (WCAG 3.1.2, language of parts).

German content on English pages sits inside an element with ``lang="de"`` (and English
content on German pages inside ``lang="en"``); a project's English title and summary are
shown to English visitors, the German ones to everyone else; forms record the language;
open data and the API carry it.
"""

import csv
import io
import json

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, connection, transaction
from django.template import Context, Template
from django.utils import translation

from accounts.content_language import LocalisedText, lang_attribute
from marketplace.models import Project, ProjectUpdate
from marketplace.services import refresh_search_vectors
from participation.models import Comment, Idea, Proposal
from tests.factories import (
    CitizenFactory,
    EmployeeFactory,
    ProjectFactory,
    PublicRoleFactory,
    RoleFactory,
    TopicFactory,
)
from tests.factories_participation import CommentFactory, ProposalFactory
from tests.factories_rounds import (
    FeedbackRoundFactory,
    IdeaQuestionFactory,
    RoundFactory,
    participant,
)

pytestmark = pytest.mark.django_db

GERMAN_TITLE, ENGLISH_TITLE = "Digitale Bauakte", "Digital building files"
GERMAN_SUMMARY, ENGLISH_SUMMARY = (
    "Bauanträge digital stellen.",
    "Apply for building permits online.",
)


def in_language(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def page(client, language, url) -> str:
    response = in_language(client, language).get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture(autouse=True)
def fresh_fragments():
    caches["local"].clear()  # the home page's and the browse list's fragments are cached


@pytest.fixture
def lead(db):
    return EmployeeFactory()


@pytest.fixture
def german_project(lead):
    return ProjectFactory(title=GERMAN_TITLE, summary=GERMAN_SUMMARY, slug="bauakte", leads=[lead])


@pytest.fixture
def translated_project(german_project):
    german_project.title_en, german_project.summary_en = ENGLISH_TITLE, ENGLISH_SUMMARY
    german_project.save()
    return german_project


# --- What the helper decides --------------------------------------------------------------


def test_a_project_shows_english_texts_to_english_readers_only(translated_project):
    assert translated_project.title_for("en") == LocalisedText(ENGLISH_TITLE, "en")
    assert translated_project.summary_for("en") == LocalisedText(ENGLISH_SUMMARY, "en")
    assert translated_project.title_for("de") == LocalisedText(GERMAN_TITLE, "de")


def test_without_english_texts_english_readers_get_the_german_ones(german_project):
    assert german_project.title_for("en") == LocalisedText(GERMAN_TITLE, "de")
    assert german_project.summary_for("en") == LocalisedText(GERMAN_SUMMARY, "de")


def test_the_mark_appears_only_where_the_language_differs_from_the_page():
    with translation.override("en"):
        assert lang_attribute("de") == ' lang="de"'
        assert lang_attribute("en") == ""
        assert (
            LocalisedText("<b>Bau</b>", "de").html
            == '<span lang="de">&lt;b&gt;Bau&lt;/b&gt;</span>'
        )
    with translation.override("de"):
        assert lang_attribute("de") == ""
        assert LocalisedText("Bau & Co", "de").html == "Bau &amp; Co"


def test_the_filters_work_on_any_record(german_project):
    template = Template(
        '{% load content_language %}<p{{ comment|lang_attr }}>{{ project|marked:"title" }}'
        '|{{ project|shown:"title" }}</p>'
    )
    comment = CommentFactory(project=german_project, language="en")
    with translation.override("de"):
        rendered = template.render(Context({"project": german_project, "comment": comment}))
    assert rendered == f'<p lang="en">{GERMAN_TITLE}|{GERMAN_TITLE}</p>'


# --- Pages --------------------------------------------------------------------------------


def test_on_english_pages_a_german_project_is_marked_german(client, german_project):
    RoleFactory(project=german_project, title="Sachbearbeitung")
    html = page(client, "en", german_project.get_absolute_url())
    assert '<html lang="en">' in html
    assert f'<h1><span lang="de">{GERMAN_TITLE}</span></h1>' in html
    assert f'<span lang="de">{GERMAN_SUMMARY}</span>' in html
    assert '<div class="prose" lang="de">' in html  # the description
    assert '<h4><span lang="de">Sachbearbeitung</span></h4>' in html
    assert f"<title>{GERMAN_TITLE}" in html  # <title> holds text only


def test_german_pages_show_the_german_title_unmarked(client, translated_project):
    html = page(client, "de", translated_project.get_absolute_url())
    assert f"<h1>{GERMAN_TITLE}</h1>" in html
    assert ENGLISH_TITLE not in html and ENGLISH_SUMMARY not in html
    assert 'lang="de"' not in html.split("<main", 1)[1].split("</main>")[0]


def test_english_visitors_see_the_english_title_and_summary(client, translated_project):
    html = page(client, "en", translated_project.get_absolute_url())
    assert f"<h1>{ENGLISH_TITLE}</h1>" in html  # English on an English page: no mark needed
    assert ENGLISH_SUMMARY in html
    assert f"<title>{ENGLISH_TITLE}" in html
    # The description exists in German only, and says so.
    assert '<div class="prose" lang="de">' in html


@pytest.mark.parametrize("url", ["/", "/projects/", "/participate/"])
def test_lists_show_the_title_a_visitor_reads(client, translated_project, url):
    german = ProjectFactory(title="Nur auf Deutsch")
    for project in (translated_project, german):  # the participate page lists public roles
        PublicRoleFactory(project=project)
    english = page(client, "en", url)
    assert ENGLISH_TITLE in english and GERMAN_TITLE not in english
    assert '<span lang="de">Nur auf Deutsch</span>' in english
    caches["local"].clear()
    german_page = page(client, "de", url)
    assert GERMAN_TITLE in german_page and ENGLISH_TITLE not in german_page
    assert f">{german.title}<" in german_page


def test_english_content_on_a_german_page_is_marked_english(client, german_project):
    ProjectUpdate.objects.create(
        project=german_project, title="Kick-off done", text="We met.", language="en"
    )
    CommentFactory(project=german_project, body="Great idea!", language="en")
    html = page(client, "de", german_project.get_absolute_url())
    assert '<span lang="en">Kick-off done</span>' in html
    assert '<div class="prose" lang="en">' in html
    assert '<div class="comment-body" lang="en">' in html


def test_proposals_are_marked_in_list_and_detail(client, db):
    proposal = ProposalFactory(title="Mehr Bänke")
    listing = page(client, "en", "/proposals/")
    assert '<span lang="de">Mehr Bänke</span>' in listing
    assert '<p class="result-summary" lang="de">' in listing
    detail = page(client, "en", proposal.get_absolute_url())
    assert '<h1 id="proposal-heading"><span lang="de">Mehr Bänke</span></h1>' in detail
    assert '<div class="prose" lang="de">' in detail


def test_ideas_are_marked_on_the_idea_page(client, german_project):
    question = IdeaQuestionFactory(project=german_project, title="Wie erreichen wir Ältere?")
    Idea.objects.create(
        question=question,
        author=CitizenFactory(),
        title="Posters",
        text="In the park.",
        language="en",
    )
    english = page(client, "en", f"/projects/{german_project.slug}/ideas/")
    assert '<span lang="de">Wie erreichen wir Ältere?</span>' in english
    assert "<span lang" not in english.split("Posters")[0][-20:]  # English on an English page
    german = page(client, "de", f"/projects/{german_project.slug}/ideas/")
    assert '<span lang="en">Posters</span>' in german


def test_the_dashboard_marks_project_and_role_titles(client, german_project, lead):
    client.force_login(lead)
    html = page(client, "en", "/me/")
    assert f'<span lang="de">{GERMAN_TITLE}</span>' in html


@pytest.mark.parametrize("kind", ["project", "role"])
def test_edit_pages_mark_the_saved_title_but_keep_the_page_title_plain(
    client, german_project, lead, kind
):
    role = RoleFactory(project=german_project, title="Sachbearbeitung")
    url = f"/projects/{german_project.slug}/edit/"
    title = GERMAN_TITLE
    if kind == "role":
        url, title = f"/projects/{german_project.slug}/roles/{role.pk}/edit/", role.title
    client.force_login(lead)
    html = page(client, "en", url)
    head = html.split("<title>")[1].split("</title>")[0]
    assert title in head and "<span" not in head and "&lt;span" not in head
    assert f'“<span lang="de">{title}</span>”' in html


def test_a_round_and_its_steps_are_marked_in_the_rounds_language(client, db):
    feedback = FeedbackRoundFactory(title="First impressions", language="en", steps=1)
    client.force_login(participant(feedback.project, "feedback"))
    answer = page(client, "de", feedback.get_absolute_url() + "answer/")
    assert '<span lang="en">First impressions</span>' in answer
    assert '<span lang="en">Frage 1</span>' in answer  # the question, in its round's language
    test = RoundFactory(steps=1)  # German
    detail = page(client, "en", test.get_absolute_url())
    assert f'<h1><span lang="de">{test.title}</span></h1>' in detail
    assert '<span lang="de">Aufgabe 1</span>' in detail


# --- Forms --------------------------------------------------------------------------------


def project_data(**overrides):
    data = {
        "title": GERMAN_TITLE,
        "summary": GERMAN_SUMMARY,
        "description": "Wir bauen das.",
        "language": "de",
        "title_en": ENGLISH_TITLE,
        "summary_en": ENGLISH_SUMMARY,
        "department": "",
        "phase": "understand",
        "starts_on": "",
        "ends_on": "",
        "internal_reason": "",
        "external_participation_url": "",
    }
    return {**data, **overrides}


def test_the_project_form_offers_the_language_and_the_english_texts(client, lead):
    client.force_login(lead)
    html = page(client, "en", "/projects/new/")
    assert 'type="radio" name="language" value="de"' in html
    assert (
        'value="de" id="id_language_0" checked' in html
        or "checked" in html.split('name="language" value="de"')[1].split(">")[0]
    )
    assert 'for="id_title_en"' in html and 'for="id_summary_en"' in html


def test_the_project_form_records_the_language_and_english_texts(client, lead):
    client.force_login(lead)
    response = in_language(client, "en").post("/projects/new/", project_data())
    assert response.status_code == 302
    project = Project.objects.get()
    assert (project.language, project.title_en, project.summary_en) == (
        "de",
        ENGLISH_TITLE,
        ENGLISH_SUMMARY,
    )


def test_an_english_summary_needs_an_english_title(client, lead):
    client.force_login(lead)
    response = in_language(client, "en").post("/projects/new/", project_data(title_en=""))
    assert 400 <= response.status_code < 500
    assert "An English summary needs an English title too." in response.content.decode()
    assert not Project.objects.exists()


def test_an_english_project_takes_no_second_english_title(client, lead):
    client.force_login(lead)
    response = in_language(client, "en").post(
        "/projects/new/", project_data(language="en", summary_en="")
    )
    assert 400 <= response.status_code < 500
    assert "The project is written in English already" in response.content.decode()
    response = in_language(client, "en").post(
        "/projects/new/", project_data(language="en", title_en="", summary_en="")
    )
    assert response.status_code == 302
    assert Project.objects.get().language == "en"


@pytest.mark.parametrize(
    "fields",
    [
        {"summary_en": ENGLISH_SUMMARY},
        {"language": "en", "title_en": ENGLISH_TITLE},
        {"language": "en", "summary_en": ENGLISH_SUMMARY, "title_en": ENGLISH_TITLE},
    ],
)
def test_the_database_refuses_english_texts_that_make_no_sense(db, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectFactory(**fields)


def test_an_unknown_language_is_a_form_error_not_a_500(client, lead):
    client.force_login(lead)
    response = in_language(client, "en").post("/projects/new/", project_data(language="fr"))
    assert 400 <= response.status_code < 500
    assert "Please choose German or English." in response.content.decode()
    assert not Project.objects.exists()


def test_a_comment_records_its_language(client, german_project):
    client.force_login(CitizenFactory())
    url = f"/projects/{german_project.slug}/comments/"
    assert client.post(url, {"body": "Nice!", "language": "en"}).status_code in (302, 303)
    assert Comment.objects.get().language == "en"
    response = client.post(url, {"body": "Schön!", "language": "xx"})
    assert 400 <= response.status_code < 500
    assert Comment.objects.count() == 1


def test_a_form_sent_without_a_language_means_german(client, german_project):
    client.force_login(CitizenFactory())
    client.post(f"/projects/{german_project.slug}/comments/", {"body": "Prima!"})
    assert Comment.objects.get().language == "de"


def test_a_proposal_records_its_language(client, db):
    client.force_login(CitizenFactory())
    data = {
        "title": "More benches",
        "topic": TopicFactory().pk,
        "problem": "Few benches.",
        "idea": "More benches at stops.",
        "beneficiaries": "Older people.",
        "language": "en",
    }
    assert client.post("/proposals/new/", data).status_code == 302
    assert Proposal.objects.get().language == "en"


def test_an_idea_records_its_language(client, german_project):
    question = IdeaQuestionFactory(project=german_project)
    client.force_login(participant(german_project, "ideas"))
    prefix = f"question-{question.pk}-"
    data = {f"{prefix}title": "Posters", f"{prefix}text": "In the park.", f"{prefix}language": "en"}
    url = f"/projects/{german_project.slug}/ideas/questions/{question.pk}/ideas/"
    assert client.post(url, data).status_code == 302
    assert Idea.objects.get().language == "en"


def test_an_update_records_its_language(client, german_project, lead):
    client.force_login(lead)
    url = f"/projects/{german_project.slug}/updates/new/"
    response = client.post(url, {"title": "Kick-off", "text": "We met.", "language": "en"})
    assert response.status_code == 302
    assert ProjectUpdate.objects.get().language == "en"


# --- Search, open data and the API --------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsvector is PostgreSQL's")
def test_the_english_title_and_summary_are_searched(client, translated_project):
    refresh_search_vectors(Project.objects.all())
    assert ENGLISH_TITLE in page(client, "en", "/projects/?q=building")
    assert ENGLISH_TITLE in page(client, "en", "/projects/?q=permits")


def test_open_data_json_and_csv_carry_both_titles_and_the_language(client, translated_project):
    (row,) = json.loads(client.get("/open-data/projects.json").content)["results"]
    assert (row["title"], row["title_en"]) == (GERMAN_TITLE, ENGLISH_TITLE)
    assert (row["summary"], row["summary_en"], row["language"]) == (
        GERMAN_SUMMARY,
        ENGLISH_SUMMARY,
        "de",
    )
    response = client.get("/open-data/projects.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    (csv_row,) = csv.DictReader(io.StringIO(text))
    assert (csv_row["title_en"], csv_row["summary_en"], csv_row["language"]) == (
        ENGLISH_TITLE,
        ENGLISH_SUMMARY,
        "de",
    )


def test_an_internal_project_keeps_its_english_summary_hidden(client, translated_project):
    translated_project.is_internal, translated_project.internal_reason = True, "Intern."
    translated_project.save()
    (row,) = json.loads(client.get("/open-data/projects.json").content)["results"]
    assert row["title_en"] == ENGLISH_TITLE and row["summary_en"] is None


def test_proposals_in_open_data_carry_their_language(client, db):
    ProposalFactory(language="en")
    (row,) = json.loads(client.get("/open-data/proposals.json").content)["results"]
    assert row["language"] == "en"


def test_the_api_carries_the_languages(client, translated_project):
    RoleFactory(project=translated_project, language="en")
    body = json.loads(client.get(f"/api/v1/projects/{translated_project.slug}/").content)
    assert (body["title_en"], body["summary_en"], body["language"]) == (
        ENGLISH_TITLE,
        ENGLISH_SUMMARY,
        "de",
    )
    assert body["roles"][0]["language"] == "en"


# --- Feeds --------------------------------------------------------------------------------


def atom_entries(content: bytes):
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"
    root = ElementTree.fromstring(content)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    return [
        (entry.findtext(f"{atom}title"), entry.get(lang), entry.findtext(f"{atom}summary"))
        for entry in root.iter(f"{atom}entry")
    ]


def test_feed_entries_say_their_language(client, translated_project):
    ProjectFactory(title="Nur auf Deutsch")
    feed = in_language(client, "en").get("/feeds/projects/").content
    english = {title: lang for title, lang, _summary in atom_entries(feed)}
    assert english == {ENGLISH_TITLE: "en", "Nur auf Deutsch": "de"}
    feed = in_language(client, "de").get("/feeds/projects/").content
    german = {title: lang for title, lang, _summary in atom_entries(feed)}
    assert german == {GERMAN_TITLE: "de", "Nur auf Deutsch": "de"}


def test_update_feed_entries_say_their_language(client, german_project):
    ProjectUpdate.objects.create(
        project=german_project, title="Kick-off", text="Met.", language="en"
    )
    ProjectUpdate.objects.create(project=german_project, title="Start", text="Los.")
    entries = atom_entries(client.get(f"/projects/{german_project.slug}/feed/").content)
    assert {(title, lang) for title, lang, _ in entries} == {("Kick-off", "en"), ("Start", "de")}
