"""What the benchmark requests: issue 9's nine scenarios and issue 20's two, as data.

A scenario whose URL comes from a branch that is not merged yet is marked
``pending``: while its URL answers 404 it is reported as "missing", not as a
failure. After the merge, fix the path here if it differs and drop the mark.
"""

from dataclasses import dataclass
from math import ceil

from bench.seed import SHOWCASE_SLUG
from marketplace.views.browse import RESULTS_PER_PAGE

SEARCH_TEXT = "Digitalisierung"
DEEP_PAGE = 200


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    path: str
    as_admin: bool = False
    pending: bool = False  # its URL may not exist yet: a 404 means "missing"


def scenarios(public_projects: int) -> list[Scenario]:
    """The scenarios for a database with ``public_projects`` projects anyone may see.

    The deep browse page is page 200, or the last page where there are fewer.
    """
    deep_page = max(1, min(DEEP_PAGE, ceil(public_projects / RESULTS_PER_PAGE)))
    return [
        Scenario("baseline", "Baseline (fixed response)", "/bench/baseline/"),
        Scenario("home", "Home page", "/"),
        Scenario("browse", "Browse, no filter", "/projects/"),
        Scenario(
            "search",
            "Browse, search + 2 filters",
            f"/projects/?q={SEARCH_TEXT}&status=open&roles=employees",
        ),
        Scenario("deep_page", f"Browse, page {deep_page}", f"/projects/?page={deep_page}"),
        Scenario("project", "Project page (team)", f"/projects/{SHOWCASE_SLUG}/"),
        Scenario("proposals", "Proposals list", "/proposals/"),
        Scenario("workload", "Workload report (admin)", "/workload/", as_admin=True),
        Scenario("open_data", "Open data JSON, page 1", "/open-data/projects.json"),
        Scenario("api_projects", "API project list", "/api/v1/projects/"),
        Scenario("catalogue", "DCAT-AP.de catalogue (Turtle)", "/open-data/catalog.ttl"),
    ]
