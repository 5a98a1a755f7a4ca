"""The DCAT-AP.de 3.0 catalogue of ``/open-data/``: what harvesters read to find our data.

daten.berlin.de (CKAN) and GovData find datasets by harvesting DCAT-AP.de. The
catalogue describes every dataset of the open-data registry (``open_data.DATASETS``)
in German and English, with one distribution per download format, and the read
API as a data service. What the registry does not say (keywords, EU data themes,
the period the records cover) each app adds beside its dataset::

    from marketplace.catalogue import CatalogueEntry, describe_dataset

    describe_dataset("proposals", CatalogueEntry(keywords=..., extent=...))

The graph is small (a few nodes per dataset) but rdflib takes milliseconds to
write it, and the extents are aggregates over every record: ``rendered`` keeps
the result in the cache under the marketplace's change version (see
``counts_cache``), so a harvester's request costs a cache read.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from marketplace import counts_cache
from marketplace.models import Project
from marketplace.open_data import DATASETS, Dataset

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
ACCESS_RIGHT = Namespace("http://publications.europa.eu/resource/authority/access-right/")
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
MEDIA_TYPE = Namespace("http://www.iana.org/assignments/media-types/")
# From the DCAT-AP.de licence list: Creative Commons Attribution 4.0 International.
LICENCE = URIRef("http://dcat-ap.de/def/licenses/cc-by/4.0")
# Berlin in DCAT-AP.de's political geocoding: the state with the key 11.
BERLIN = URIRef("http://dcat-ap.de/def/politicalGeocoding/stateKey/11")
STATE_LEVEL = URIRef("http://dcat-ap.de/def/politicalGeocoding/Level/state")
# GovData's identifier of the contributing state, by which it groups what it harvests.
CONTRIBUTOR = URIRef("http://dcat-ap.de/def/contributors/landBerlin")
PUBLISHER_NAME = "Senatsverwaltung für Digitalisierung Berlin"
ATTRIBUTION = f"{PUBLISHER_NAME}, Projektmarktplatz"
LANGUAGES = ("de", "en")
CACHE_TIMEOUT = 300  # proposals and workload send no change version: bound their staleness
FORMATS = {  # the downloads of every dataset: URL name, IANA media type, EU file type
    "json": ("open-data-json", "application/json", "JSON"),
    "csv": ("open-data-csv", "text/csv", "CSV"),
}
TURTLE, JSON_LD = "turtle", "json-ld"


@dataclass(frozen=True)
class Extent:
    """What the records cover: the first and last moment, and when the dataset last changed."""

    start: datetime | date | None = None
    end: datetime | date | None = None
    modified: datetime | date | None = None


@dataclass(frozen=True)
class CatalogueEntry:
    keywords: tuple[Promise | str, ...] = ()
    # Codes of the EU data theme vocabulary, e.g. "GOVE" (government and public sector).
    themes: tuple[str, ...] = ("GOVE",)
    # One aggregate query over the records; none for a dataset that says nothing.
    extent: Callable[[], Extent] = field(default=lambda: Extent())


ENTRIES: dict[str, CatalogueEntry] = {}


def describe_dataset(slug: str, entry: CatalogueEntry) -> CatalogueEntry:
    ENTRIES[slug] = entry
    return entry


# The concept schemes our terms come from, as the DCAT-AP.de shapes name them.
SCHEMES = [
    "http://dcat-ap.de/def/licenses",
    "http://dcat-ap.de/def/contributors",
    "http://dcat-ap.de/def/politicalGeocoding/Level",
    *(
        f"http://publications.europa.eu/resource/authority/{name}"
        for name in (
            "access-right",
            "data-theme",
            "file-type",
            "frequency",
            "language",
        )
    ),
]


def _scheme_of(term: URIRef) -> URIRef:
    if term.startswith(str(PUBLISHER_TYPE)):
        return URIRef(f"{PUBLISHER_TYPE}1.0")  # ADMS names its scheme by version
    return URIRef(next(scheme for scheme in SCHEMES if term.startswith(scheme + "/")))


def _absolute(path: str) -> URIRef:
    return URIRef(settings.SITE_URL + path)


def _translations(text: Promise | str) -> list[Literal]:
    """One literal per language; a plain string is the same in both and given once."""
    if not isinstance(text, Promise):
        return [Literal(text)]
    literals = []
    for language in LANGUAGES:
        with translation.override(language):
            literals.append(Literal(str(text), lang=language))
    return literals


def _moment(value: datetime | date) -> Literal:
    if isinstance(value, datetime):
        return Literal(timezone.localtime(value).replace(microsecond=0), datatype=XSD.dateTime)
    return Literal(value, datatype=XSD.date)


class _Builder:
    def __init__(self):
        self.graph = Graph()
        for prefix, namespace in {
            "dcat": DCAT,
            "dct": DCTERMS,
            "dcatde": DCATDE,
            "foaf": FOAF,
            "vcard": VCARD,
        }.items():
            self.graph.bind(prefix, namespace)
        self.concepts: set[URIRef] = set()
        self.catalogue = _absolute(reverse("open-data-catalog-ttl"))
        self.publisher = URIRef(f"{self.catalogue}#publisher")
        self.contact = URIRef(f"{self.catalogue}#contact")

    def add(self, subject, predicate, *objects):
        for value in objects:
            self.graph.add((subject, predicate, value))

    def concept(self, subject, predicate, value: URIRef):
        """A term of a controlled vocabulary, with the scheme it belongs to.

        The vocabularies say so themselves, but a harvester (and the offline
        validator) need not load them: the catalogue carries the membership along.
        """
        self.add(subject, predicate, value)
        if value not in self.concepts:
            self.concepts.add(value)
            self.add(value, SKOS.inScheme, _scheme_of(value))

    def texts(self, subject, predicate, text):
        self.add(subject, predicate, *_translations(text))

    def agents(self):
        self.add(self.publisher, RDF.type, FOAF.Agent)
        self.add(self.publisher, FOAF.name, Literal(PUBLISHER_NAME, lang="de"))
        self.concept(self.publisher, DCTERMS.type, PUBLISHER_TYPE.RegionalAuthority)
        self.add(BERLIN, RDF.type, DCTERMS.Location)
        self.add(self.contact, RDF.type, VCARD.Organization, VCARD.Kind)
        self.add(self.contact, VCARD.fn, Literal(ATTRIBUTION, lang="de"))
        email = getattr(settings, "OPEN_DATA_CONTACT_EMAIL", "kontakt@example.org")
        self.add(self.contact, VCARD.hasEmail, URIRef(f"mailto:{email}"))
        self.add(self.contact, VCARD.hasURL, _absolute(reverse("open-data")))

    def catalogue_node(self, modified: datetime | date | None):
        node = self.catalogue
        self.add(node, RDF.type, DCAT.Catalog)
        self.texts(node, DCTERMS.title, _("Projektmarktplatz Berlin: open data"))
        self.texts(
            node,
            DCTERMS.description,
            _(
                "The projects, proposals and workload figures of the project marketplace of "
                "the Berlin administration, as open data."
            ),
        )
        self.add(node, DCTERMS.publisher, self.publisher)
        self.add(node, FOAF.homepage, _absolute(reverse("open-data")))
        self.concept(node, DCTERMS.language, LANGUAGE.DEU)
        self.concept(node, DCTERMS.language, LANGUAGE.ENG)
        self.concept(node, DCTERMS.license, LICENCE)
        self.add(node, DCTERMS.spatial, BERLIN)
        if modified:
            self.add(node, DCTERMS.modified, _moment(modified))

    def common(self, node, title, description):
        """What datasets and the data service share."""
        self.texts(node, DCTERMS.title, title)
        self.texts(node, DCTERMS.description, description)
        self.add(node, DCTERMS.publisher, self.publisher)
        self.add(node, DCAT.contactPoint, self.contact)
        self.concept(node, DCTERMS.accessRights, ACCESS_RIGHT.PUBLIC)
        self.concept(node, DCATDE.contributorID, CONTRIBUTOR)

    def dataset(self, dataset: Dataset, entry: CatalogueEntry, extent: Extent, service):
        node = _absolute(reverse("open-data") + f"#dataset-{dataset.slug}")
        self.add(self.catalogue, DCAT.dataset, node)
        self.add(node, RDF.type, DCAT.Dataset)
        self.common(node, dataset.title, dataset.description)
        self.add(node, DCTERMS.identifier, Literal(str(node)))
        self.add(node, DCAT.landingPage, node)
        for keyword in entry.keywords:
            self.texts(node, DCAT.keyword, keyword)
        for code in entry.themes:
            self.concept(node, DCAT.theme, THEME[code])
        self.add(node, DCTERMS.spatial, BERLIN)
        self.concept(node, DCATDE.politicalGeocodingLevelURI, STATE_LEVEL)
        self.concept(node, DCTERMS.accrualPeriodicity, FREQUENCY.UPDATE_CONT)
        self.concept(node, DCTERMS.language, LANGUAGE.DEU)
        self.concept(node, DCTERMS.language, LANGUAGE.ENG)
        self.period(node, extent)
        if extent.start:
            self.add(node, DCTERMS.issued, _moment(extent.start))
        if extent.modified:
            self.add(node, DCTERMS.modified, _moment(extent.modified))
        for suffix, (url_name, media_type, file_type) in FORMATS.items():
            distribution = URIRef(f"{node}-{suffix}")
            self.add(node, DCAT.distribution, distribution)
            self.distribution(distribution, dataset, url_name, media_type, file_type, extent)
            self.add(distribution, DCAT.accessService, service)

    def period(self, node, extent: Extent):
        if not extent.start:
            return
        period = BNode()
        self.add(node, DCTERMS.temporal, period)
        self.add(period, RDF.type, DCTERMS.PeriodOfTime)
        self.add(period, DCAT.startDate, _moment(extent.start))
        if extent.end:
            self.add(period, DCAT.endDate, _moment(extent.end))

    def distribution(self, node, dataset, url_name, media_type, file_type, extent):
        download = _absolute(reverse(url_name, args=[dataset.slug]))
        self.add(node, RDF.type, DCAT.Distribution)
        self.texts(node, DCTERMS.title, format_lazy("{} ({})", dataset.title, file_type))
        self.add(node, DCAT.accessURL, _absolute(reverse("open-data")))
        self.add(node, DCAT.downloadURL, download)
        self.add(node, DCAT.mediaType, MEDIA_TYPE[media_type])
        self.concept(node, DCTERMS.format, FILE_TYPE[file_type])
        self.concept(node, DCTERMS.license, LICENCE)
        self.add(node, DCATDE.licenseAttributionByText, Literal(ATTRIBUTION, lang="de"))
        if extent.modified:
            self.add(node, DCTERMS.modified, _moment(extent.modified))

    def data_service(self):
        """The read API: where a program asks for the same records one by one."""
        endpoint = _absolute("/api/v1/")
        node = URIRef(f"{self.catalogue}#api")
        self.add(self.catalogue, DCAT.service, node)
        self.add(node, RDF.type, DCAT.DataService)
        self.common(
            node,
            _("Projektmarktplatz read API"),
            _("The public projects, proposals and workload figures, read by programs."),
        )
        self.concept(node, DCTERMS.license, LICENCE)
        self.add(node, DCAT.endpointURL, endpoint)
        self.add(node, DCAT.endpointDescription, _absolute("/api/v1/openapi.json"))
        return node


def build_graph() -> Graph:
    """The catalogue as an RDF graph, from the registry and one aggregate per dataset."""
    builder = _Builder()
    builder.agents()
    service = builder.data_service()
    extents = {slug: ENTRIES.get(slug, CatalogueEntry()).extent() for slug in sorted(DATASETS)}
    changes = [extent.modified for extent in extents.values() if extent.modified]
    builder.catalogue_node(max(changes, key=_as_datetime, default=None))
    for slug, extent in extents.items():
        entry = ENTRIES.get(slug, CatalogueEntry())
        builder.dataset(DATASETS[slug], entry, extent, service)
        builder.add(service, DCAT.servesDataset, _absolute(f"/open-data/#dataset-{slug}"))
    return builder.graph


def _as_datetime(value: datetime | date) -> datetime:
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime(value.year, value.month, value.day))


def rendered(fmt: str) -> str:
    """The catalogue in ``fmt`` ("turtle" or "json-ld"), from the cache when nothing changed."""
    key = counts_cache.fragment_key("dcat-catalogue", (fmt, settings.SITE_URL))
    text = cache.get(key)
    if text is None:
        text = build_graph().serialize(format=fmt)
        cache.set(key, text, timeout=CACHE_TIMEOUT)
    return text


def _project_extent() -> Extent:
    figures = Project.objects.published().aggregate(
        start=Min("published_at"), end=Max("published_at"), modified=Max("updated_at")
    )
    return Extent(**figures)


describe_dataset(
    "projects",
    CatalogueEntry(
        keywords=(_("projects"), _("project marketplace"), _("participation"), _("digitalisation")),
        themes=("GOVE", "TECH"),
        extent=_project_extent,
    ),
)
