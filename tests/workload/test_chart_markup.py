"""The SVG charts of the workload report and of round results are well-formed in every language.

German is the default language and writes decimals with a comma; SVG reads
``width="120,5"`` as no number at all, so the bars vanish in the browser. Every
chart template must therefore parse as XML, and every coordinate and length
must be a plain number, whatever the language. The date labels on the axes
follow the reader's language instead of the American default.
"""

import re
import xml.etree.ElementTree as ElementTree
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from participation.models import Membership, Round
from participation.services import rounds as round_services
from participation.services.rounds import TaskAnswer
from tests.factories import AdminFactory, DepartmentFactory, ProjectFactory, RoleFactory
from tests.factories_rounds import SUS_EXAMPLE, RoundFactory, participant
from tests.workload.workload_factories import PersonFactory
from workload import snapshots

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
# Attributes that hold one number, and those that hold several (lists of numbers, commands).
SINGLE_NUMBER = {"x", "y", "x1", "y1", "x2", "y2", "width", "height", "cx", "cy", "r", "dx", "dy"}
NUMBER_LISTS = {"points", "viewBox", "d", "transform", "stroke-dasharray"}
FIRST_DAY = date(2026, 6, 1)
LAST_DAY = date(2026, 9, 1)


def chart_templates() -> set[str]:
    """Every template under templates/ that draws an SVG chart."""
    return {
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "<svg" in path.read_text(encoding="utf-8")
    }


def build_world():
    """Two departments with shares that give odd decimals, and two snapshots for the trends."""
    project = ProjectFactory(leads=[])
    parent = DepartmentFactory(code="P", name="Präsidialabteilung")
    children = [
        DepartmentFactory(code=f"P-{n}", name=f"Referat {n}", parent=parent) for n in (1, 2)
    ]
    for number in range(12):
        person = PersonFactory(
            department=children[number % 2], weekly_hours=[39, 30, 20][number % 3]
        )
        hours = [0, 7, 13, 23, 29, 41][number % 6]
        if hours:
            role = RoleFactory(project=project, hours_per_week=hours)
            Membership.objects.create(
                project=project,
                role=role,
                person=person,
                hours_per_week=hours,
                started_on=FIRST_DAY - timedelta(days=30),
            )
    snapshots.take_snapshot(FIRST_DAY)
    snapshots.take_snapshot(LAST_DAY)
    _closed_test_round()
    return parent


def _closed_test_round() -> None:
    """The bar charts of round results too: three testers give bars of odd lengths."""
    round_ = RoundFactory(steps=1)
    for number in range(3):
        tester = participant(round_.project, "testing")
        outcomes = [
            TaskAnswer(task.pk, ["yes", "no", "difficult"][number], 2)
            for task in round_.tasks.all()
        ]
        round_services.submit_test_response(tester, round_, outcomes, SUS_EXAMPLE)
    round_services.close_round(round_.project.leads.get(), round_)


def pages(language: str, department) -> list:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(AdminFactory())
    responses = [
        client.get("/workload/"),
        client.get(f"/workload/departments/{department.pk}/"),
        client.get(Round.objects.get().get_absolute_url()),
    ]
    assert all(response.status_code == 200 for response in responses)
    return responses


def numbers_in(value: str) -> list[float]:
    """The numbers of a list attribute; anything else in it (a comma as decimal mark) fails."""
    text = re.sub(r"[A-Za-z()]", " ", value)  # path commands and transform names
    parts = [part for part in re.split(r"[\s,]+", text.strip()) if part]
    assert all(re.fullmatch(NUMBER, part) for part in parts), value
    return [float(part) for part in parts]


def assert_geometry_is_numeric(svg: ElementTree.Element) -> int:
    checked = 0
    for element in svg.iter():
        for name, value in element.attrib.items():
            if name in SINGLE_NUMBER:
                assert re.fullmatch(NUMBER, value), f"{element.tag} {name}={value!r}"
                checked += 1
            elif name in NUMBER_LISTS:
                numbers_in(value)
                checked += 1
    return checked


def test_the_point_list_check_rejects_a_decimal_comma():
    """The check itself: ``120,5 40`` are three numbers to SVG, not two, and ``x="120,5"`` none."""
    with pytest.raises(AssertionError):
        assert_geometry_is_numeric(ElementTree.fromstring('<svg><rect x="120,5"/></svg>'))
    assert numbers_in("0 0 640 280") == [0, 0, 640, 280]


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_chart_parses_as_xml_with_numeric_geometry(language):
    department = build_world()
    used, checked, charts = set(), 0, 0
    for response in pages(language, department):
        used |= {template.name for template in response.templates}
        for fragment in SVG.findall(response.content.decode()):
            svg = ElementTree.fromstring(fragment)  # raises on malformed markup
            checked += assert_geometry_is_numeric(svg)
            charts += 1
    assert chart_templates() <= used, "every chart template is exercised"
    assert charts >= 4
    assert checked > 100


@pytest.mark.parametrize(
    ("language", "label", "american"),
    [("de", "01.09.2026", None), ("en", "1 Sep 2026", "09/01/2026")],
)
def test_the_axes_show_dates_in_the_readers_language(language, label, american):
    department = build_world()
    for response in pages(language, department)[:2]:  # the workload pages: rounds have no dates
        charts = " ".join(SVG.findall(response.content.decode()))
        assert f">{label}<" in charts
        if american:
            assert american not in response.content.decode()
