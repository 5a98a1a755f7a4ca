"""The DCAT-AP.de catalogue: it conforms to the shapes and describes every dataset."""

import json
import sys
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import rdflib
import rdflib.compare
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from marketplace import catalogue
from marketplace.catalogue import FORMATS
from marketplace.open_data import DATASETS
from participation.models import Membership
from tests.factories import ProjectFactory, RoleFactory
from tests.factories_participation import ProposalFactory
from tests.factories_rounds import IdeaFactory, published_feedback_round
from tests.workload.workload_factories import PersonFactory
from workload import snapshots

pytestmark = pytest.mark.django_db

# The SEMIC and GovData shapes lie beside the project, never inside it (AGPL test data).
SHAPES = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "dcat-ap"


def shacl_validate(text: str, fmt: str) -> tuple[bool, str]:
    assert (SHAPES / "validate.py").is_file(), f"the DCAT-AP shapes are missing in {SHAPES}"
    sys.path.insert(0, str(SHAPES))
    try:
        from validate import validate  # the reference folder's own offline validator
    finally:
        sys.path.remove(str(SHAPES))
    return validate(text, fmt)


@pytest.fixture
def records():
    role = RoleFactory(project=ProjectFactory(title="Digitale Akte"), hours_per_week=20)
    Membership.objects.create(project=role.project, role=role, person=PersonFactory())
    ProposalFactory()
    snapshots.take_snapshot(date(2026, 11, 1))
    published_feedback_round()
    IdeaFactory(title="Aushänge im Kiez")


@pytest.mark.parametrize(
    ("url_name", "fmt", "content_type"),
    [
        ("open-data-catalog-ttl", "turtle", "text/turtle; charset=utf-8"),
        ("open-data-catalog-jsonld", "json-ld", "application/ld+json"),
    ],
)
def test_the_catalogue_conforms_to_dcat_ap_de(client, records, url_name, fmt, content_type):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    conforms, report = shacl_validate(response.content.decode(), fmt)
    assert conforms, report
    assert "sh:Warning" not in report, report  # not even a recommendation left out


def test_an_empty_portal_has_a_conforming_catalogue_too(client):
    response = client.get(reverse("open-data-catalog-ttl"))
    conforms, report = shacl_validate(response.content.decode(), "turtle")
    assert conforms, report


def _graph(client) -> rdflib.Graph:
    response = client.get(reverse("open-data-catalog-ttl"))
    return rdflib.Graph().parse(data=response.content.decode(), format="turtle")


def test_every_registered_dataset_is_described_in_both_languages(client, records):
    missing = set(DATASETS) - set(catalogue.ENTRIES)
    assert not missing, f"describe {missing} with marketplace.catalogue.describe_dataset"
    graph = _graph(client)
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == len(DATASETS) >= 3
    for dataset in datasets:
        titles = {title.language for title in graph.objects(dataset, DCTERMS.title)}
        descriptions = {text.language for text in graph.objects(dataset, DCTERMS.description)}
        keywords = {word.language for word in graph.objects(dataset, DCAT.keyword)}
        assert titles == descriptions == keywords == {"de", "en"}
        assert (dataset, DCTERMS.spatial, catalogue.BERLIN) in graph
        assert (dataset, DCAT.theme, catalogue.THEME.GOVE) in graph
        assert graph.value(dataset, DCTERMS.temporal) is not None
        assert graph.value(dataset, DCTERMS.modified) is not None
        publisher = graph.value(dataset, DCTERMS.publisher)
        assert (publisher, RDF.type, FOAF.Agent) in graph
        assert graph.value(publisher, FOAF.name)
        assert graph.value(dataset, DCAT.contactPoint) is not None
        formats = {
            graph.value(distribution, DCTERMS.format)
            for distribution in graph.objects(dataset, DCAT.distribution)
        }
        assert formats == {catalogue.FILE_TYPE.JSON, catalogue.FILE_TYPE.CSV}


def test_the_distributions_point_at_the_downloads_under_the_licence(client, records):
    graph = _graph(client)
    downloads = {urlsplit(str(url)).path for url in graph.objects(None, DCAT.downloadURL)}
    assert downloads == {f"/open-data/{slug}.{suffix}" for slug in DATASETS for suffix in FORMATS}
    assert set(graph.objects(None, DCTERMS.license)) == {catalogue.LICENCE}
    for path in downloads:
        assert client.get(path).status_code == 200


def test_the_json_ld_holds_the_same_graph(client, records):
    turtle = _graph(client)
    response = client.get(reverse("open-data-catalog-jsonld"))
    json.loads(response.content)  # well-formed JSON
    linked = rdflib.Graph().parse(data=response.content.decode(), format="json-ld")
    assert rdflib.compare.isomorphic(turtle, linked)


def test_a_new_project_shows_in_the_next_catalogue(client, records):
    before = _graph(client).value(None, RDF.type, DCAT.Catalog)
    assert before is not None
    first = client.get(reverse("open-data-catalog-ttl")).content
    assert client.get(reverse("open-data-catalog-ttl")).content == first  # from the cache
    # An older project moves the start of the period: the saving draws a new change version.
    ProjectFactory(title="Neues Projekt", published_at=timezone.now() - timedelta(days=400))
    assert client.get(reverse("open-data-catalog-ttl")).content != first


def test_the_catalogue_costs_no_query_once_cached(client, records, django_assert_num_queries):
    cache.clear()
    client.get(reverse("open-data-catalog-ttl"))
    with django_assert_num_queries(0):
        assert client.get(reverse("open-data-catalog-ttl")).status_code == 200


def test_the_catalogue_speaks_german_and_english(client):
    graph = _graph(client)
    node = graph.value(None, RDF.type, DCAT.Catalog)
    titles = {title.language: str(title) for title in graph.objects(node, DCTERMS.title)}
    assert titles == {
        "de": "Projektmarktplatz Berlin: offene Daten",
        "en": "Projektmarktplatz Berlin: open data",
    }


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", ["Katalog als Turtle", "Datenpaket", "Lese-API"]),
        ("en", ["catalogue as Turtle", "data package", "read API"]),
    ],
)
def test_the_open_data_page_links_catalogue_package_and_api(client, language, words):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("open-data")).content.decode()
    for url_name in ["open-data-catalog-ttl", "open-data-catalog-jsonld", "open-data-datapackage"]:
        assert f'href="{reverse(url_name)}"' in html
    assert 'href="/api/v1/docs/"' in html
    for text in words:
        assert text in html
