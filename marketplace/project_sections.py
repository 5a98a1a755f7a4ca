"""Sections that apps above the marketplace show on a project's page.

The marketplace may not import the apps above it, yet its project page is where
people join a project, see its team and comment on it. So the page has named
places (``PLACES``), and an app fills them in its ``AppConfig.ready``, as it
does for open data and the privacy export::

    from marketplace.project_sections import ProjectSection, register_section

    register_section(ProjectSection(
        name="comments",
        templates={"end": "participation/includes/comments.html"},
        context=comments_for_page,  # (request, project) -> dict
        order=10,
    ))

The page renders each section's template with ``{% project_section section %}``:
the page's own context, the section's context on top. A section may fill more
than one place with one context (the team's members in the list of the team,
the link to its team space below it), so what they share is loaded once.

A section's context is built when the page first shows it, not before: a page
that shows no section (the limited view of an internal project) or only one
place (the roles fragment that htmx swaps) pays only for what it shows. A
context function must cost a fixed number of queries, however many roles,
members or comments there are: the page's query count is pinned by tests.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.http import HttpRequest

from marketplace.models import Project

# The places of ``marketplace/project_detail.html``, in the order they appear.
PLACES = (
    "team",  # items of the team list, after the leads (``<li>`` elements)
    "after_team",  # below the team list, inside the team section
    "role",  # inside each role of the roles section; ``role`` is the role shown
    "end",  # after the updates, as sections of their own
)

ContextFunction = Callable[[HttpRequest, Project], dict]


@dataclass(frozen=True)
class ProjectSection:
    """What an app shows on the project page: a template per place, one context for all."""

    name: str
    templates: dict[str, str]
    context: ContextFunction
    order: int = 100  # lower comes first within a place
    # Whether it differs from visitor to visitor. The page keeps the others rendered
    # for everyone alike (``project_page_cache``); a personal section is rendered per
    # request (kept only in the page of anonymous visitors, who are all alike).
    # Places inside the parts kept for everyone (``team``) take no personal section.
    personal: bool = False

    def __post_init__(self):
        unknown = set(self.templates) - set(PLACES)
        if unknown:
            raise ValueError(f"Section {self.name!r}: no such place {sorted(unknown)}")
        if self.personal and "team" in self.templates:
            raise ValueError(f"Section {self.name!r}: the team list is kept for everyone alike")


SECTIONS: dict[str, ProjectSection] = {}


def register_section(section: ProjectSection) -> ProjectSection:
    SECTIONS[section.name] = section
    return section


class _SharedContext:
    """One section's context for one page, built on first use and then kept."""

    def __init__(self, section: ProjectSection, request: HttpRequest, project: Project):
        self._section, self._request, self._project = section, request, project

    @cached_property
    def value(self) -> dict:
        return self._section.context(self._request, self._project)


@dataclass(frozen=True)
class ShownSection:
    """A section in one place of one page, as the template sees it."""

    name: str
    template: str
    shared: _SharedContext = field(repr=False)
    personal: bool = False

    @property
    def context(self) -> dict:
        return self.shared.value


def sections_for(request: HttpRequest, project: Project) -> dict[str, list[ShownSection]]:
    """Every place of the page with the sections to show there, in their order."""
    shown: dict[str, list[ShownSection]] = {place: [] for place in PLACES}
    for section in sorted(SECTIONS.values(), key=lambda item: (item.order, item.name)):
        shared = _SharedContext(section, request, project)
        for place, template in section.templates.items():
            shown[place].append(ShownSection(section.name, template, shared, section.personal))
    return shown
