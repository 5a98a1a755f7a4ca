"""With many projects, the browse search reads the GIN index instead of every row.

A few thousand rows and fresh statistics (``ANALYZE``) are enough for PostgreSQL's
planner to prefer the index for a rare word; the test asserts the plan, never a time.
"""

import itertools
import random

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from marketplace.filters import ProjectFilter
from marketplace.models import Project
from marketplace.services import refresh_search_vectors
from tests.factories import DepartmentFactory

PROJECTS = 4_000
BATCH = 1_000
RARE_EVERY = 1_000
INDEX_NAME = "marketplace_project_search_gin"
RARE_WORD = "Baumkataster"  # in a handful of titles: a search the index should answer
VOCABULARY = [
    "Antrag",
    "Bürgeramt",
    "Verwaltung",
    "digital",
    "Formular",
    "Portal",
    "Schule",
    "Verkehr",
    "Radweg",
    "Wohnung",
    "Genehmigung",
    "Termin",
    "Daten",
    "offen",
    "Beteiligung",
    "Bezirk",
    "Umwelt",
    "Energie",
    "Kita",
    "Bibliothek",
    "Gesundheit",
    "Sicherheit",
    "Service",
    "Prozess",
    "Nutzer",
    "Prototyp",
    "Test",
    "Karte",
    "Haushalt",
    "Personal",
]


def german_text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(VOCABULARY) for _ in range(words))


def insert_projects(department) -> None:
    rng = random.Random(2026)
    now = timezone.now()
    numbers = iter(range(PROJECTS))
    while batch := list(itertools.islice(numbers, BATCH)):
        Project.objects.bulk_create(
            Project(
                title=german_text(rng, 3) + (f" {RARE_WORD}" if number % RARE_EVERY == 0 else ""),
                slug=f"index-{number}",
                summary=german_text(rng, 12),
                description=german_text(rng, 40),
                department=department,
                status="open",
                published_at=now,
            )
            for number in batch
        )


def browse_search_queryset(text: str):
    request = RequestFactory().get("/projects/", {"q": text})
    request.user = AnonymousUser()
    return ProjectFilter(request.GET, request=request).qs


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the GIN index and tsvector exist only on PostgreSQL"
)
def test_the_browse_search_uses_the_gin_index():
    insert_projects(DepartmentFactory())
    refresh_search_vectors(Project.objects.all())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE marketplace_project")

    queryset = browse_search_queryset(RARE_WORD)
    plan = queryset.explain()

    index_lines = [line for line in plan.splitlines() if INDEX_NAME in line]
    assert index_lines, f"the search does not use {INDEX_NAME}:\n{plan}"
    assert "Bitmap Index Scan" in index_lines[0]
    assert "Seq Scan on marketplace_project" not in plan
    assert queryset.count() == PROJECTS // RARE_EVERY
