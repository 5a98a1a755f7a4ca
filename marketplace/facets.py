"""The facets of the browse page: options with counts, and how two sets of counts add up.

Each count runs from the side of the projects counted (their topic links, their
roles' skills, their department column) and is joined to the vocabulary in
Python: a lead's few drafts are then counted in a millisecond, not by a pass
over every link of every project; the whole list is counted faster too. The
vocabularies themselves are kept per process until the marketplace changes.
"""

from dataclasses import dataclass, replace

from django.db.models import Count
from django.utils.functional import Promise

from marketplace import counts_cache
from marketplace.models import Project, Role

# Department.depth says the tree has three levels: department, division, unit.
DEPARTMENT_LEVELS_BELOW = 2
INDENT = "\u00a0" * 3  # options of a <select> cannot be styled: indent sub-departments by spaces


@dataclass
class FacetOption:
    value: str
    label: str | Promise  # made a plain str on creation
    count: int
    selected: bool

    def __post_init__(self):
        # Facets are cached per language: a lazy label would be rebuilt as a new
        # lazy class on every unpickling (milliseconds per page); a plain one is not.
        self.label = str(self.label)


@dataclass
class Facet:
    """One filter's options with the number of projects each would give."""

    param: str
    legend: str | Promise  # legend and any_label are made plain strs on creation
    widget: str  # "checkbox", "radio" or "select"
    options: list[FacetOption]
    any_label: str | Promise = ""

    def __post_init__(self):
        self.legend, self.any_label = str(self.legend), str(self.any_label)

    @property
    def nothing_selected(self) -> bool:
        return not any(option.selected for option in self.options)


def vocabulary(model) -> list:
    """Every topic, skill or department; a change to one draws a new projects version."""
    return counts_cache.remembered(
        f"vocabulary-{model._meta.label_lower}",
        (),
        lambda: list(model.objects.all()),
        scopes=(counts_cache.PROJECTS,),
    )


def topic_counts(projects) -> dict[int, int]:
    """Projects per topic among ``projects``."""
    links = Project.topics.through.objects.filter(project__in=projects.values("pk"))
    return dict(links.order_by().values_list("topic").annotate(count=Count("project")))


def skill_counts(projects) -> dict[int, int]:
    """Projects per skill asked for by one of their roles, among ``projects``."""
    links = Role.skills.through.objects.filter(role__project__in=projects.values("pk"))
    counted = (
        links.order_by().values_list("skill").annotate(count=Count("role__project", distinct=True))
    )
    return dict(counted)


def department_counts(projects) -> dict[int | None, int]:
    """Projects per department itself (not below it), among ``projects``."""
    return dict(projects.order_by().values_list("department").annotate(count=Count("pk")))


def vocabulary_options(rows, counts: dict, selected: str) -> list[FacetOption]:
    """Topics or skills that would find something, and the chosen one, by name."""
    options = [
        FacetOption(str(row.pk), row.name, counts.get(row.pk, 0), str(row.pk) == selected)
        for row in rows
        if counts.get(row.pk) or str(row.pk) == selected
    ]
    return sorted(options, key=lambda option: str(option.label).casefold())


def department_tree(departments, counts: dict):
    """(pk, name, depth, projects in it and below) in tree order, from one flat list.

    The total counts the same levels as ``ProjectFilter.filter_department``.
    """
    children: dict[int | None, list] = {}
    known = {department.pk for department in departments}
    for department in departments:
        parent = department.parent_id if department.parent_id in known else None
        children.setdefault(parent, []).append(department)

    def total(department, levels_below):
        below = children.get(department.pk, []) if levels_below else []
        return counts.get(department.pk, 0) + sum(total(child, levels_below - 1) for child in below)

    def walk(parent_id, depth):
        for department in children.get(parent_id, []):
            yield department.pk, department.name, depth, total(department, DEPARTMENT_LEVELS_BELOW)
            yield from walk(department.pk, depth + 1)

    return list(walk(None, 0))


def add_counts(shared: dict, own: dict) -> dict:
    """The summary of ``shared`` projects plus ``own`` (a lead's drafts), facet by facet.

    Both list each facet's options in the same order (tree or name order) and
    leave out options with nothing to count; an option only ``own`` has is put
    after the option it follows there, so the order holds.
    """
    pairs = zip(shared["facets"], own["facets"], strict=True)
    facets = [_add_facet(mine, theirs) for mine, theirs in pairs]
    return {"facets": facets, "count": shared["count"] + own["count"]}


def _add_facet(shared: Facet, own: Facet) -> Facet:
    options = [replace(option) for option in shared.options]
    after = -1
    for option in own.options:
        index = next((i for i, known in enumerate(options) if known.value == option.value), None)
        if index is None:
            after += 1
            options.insert(after, replace(option))
        else:
            options[index].count += option.count
            after = index
    return replace(shared, options=options)
