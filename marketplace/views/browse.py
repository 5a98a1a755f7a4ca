"""Browse and search all projects: one page, its results swapped in by htmx."""

import datetime

from django.core.cache import caches
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from accounts.query_numbers import page_or_none
from marketplace import counts_cache
from marketplace.filters import ProjectFilter, SortOrder, list_class

RESULTS_PER_PAGE = 20
TEMPLATE = "marketplace/project_list.html"


@require_safe
def project_list(request):
    filterset = ProjectFilter(request.GET, request=request)
    filters_valid = filterset.is_valid()
    summary = filterset.summary()
    paginator = ProjectPaginator(filterset, RESULTS_PER_PAGE, count=summary["count"])
    page = page_or_none(paginator, request.GET.get("page"))
    context = {
        "filterset": filterset,
        "facets": summary["facets"],
        "paginator": paginator,
        "page_obj": page,
        "page_missing": page is None,
        "active_filters": filterset.active_filters(),
        "counts_as_of": _shown_age(summary["counted"]),
        **_rendered_results_cache(request, filterset, summary["counted"], page),
    }
    status = 400 if not filters_valid else 404 if page is None else 200
    return _render_browse(request, context, status)


class ProjectPaginator(Paginator):
    """Pages of the filtered projects; each page's rows are annotated on their own.

    The rows are fetched (and their query built) only when the template lists
    them: while the rendered list is cached, a page costs no query.
    """

    def __init__(self, filterset, per_page, *, count):
        self.filterset = filterset
        super().__init__((), per_page)  # the rows come from ``filterset`` per page
        self.count = count  # counted (and cached) with the facets

    def page(self, number):
        number = self.validate_number(number)
        first = (number - 1) * self.per_page
        return self._get_page(SimpleLazyObject(lambda: self._rows(first)), number, self)

    def _rows(self, first: int) -> list:
        if _page_ids_key(self.filterset, first) is None:  # personal: one query, nothing kept
            return list(self.filterset.page_rows(self._slice(first).values("pk")))
        return list(self.filterset.page_rows(self.ids(first)))

    def _slice(self, first: int):
        return self.filterset.qs[first : first + self.per_page]

    def ids(self, first: int) -> list[int]:
        """Which projects the page starting at ``first`` lists (kept, see ``_page_ids_key``)."""
        key = _page_ids_key(self.filterset, first)
        local = caches[counts_cache.LOCAL]
        ids = local.get(key) if key else None
        if ids is None:
            ids = list(self._slice(first).values_list("pk", flat=True))
            if key:
                local.set(key, ids, counts_cache.TIMEOUT)
        return ids


def _page_ids_key(filterset, first: int) -> str | None:
    """Which projects a page lists, kept until a project changes: a taken seat only
    refetches the page's twenty rows (their seats), not the search or filter behind them.
    Sorted by open seats, a seat change reorders too. Personal filters are never kept."""
    if filterset.is_personal():
        return None
    scopes = (counts_cache.PROJECTS, counts_cache.SEATS) if _sorted_by_seats(filterset) else None
    query = sorted((name, tuple(values)) for name, values in filterset.data.lists())
    query = [(name, values) for name, values in query if name != "page"]
    parts = (list_class(filterset.user), query, first)
    return counts_cache.fragment_key("browse-ids", parts, scopes or (counts_cache.PROJECTS,))


def _sorted_by_seats(filterset) -> bool:
    return filterset.raw_value("sort") == SortOrder.SEATS


def _shown_age(counted):
    """When stale counts were made, if old enough to tell (``counts_cache.AGE_SHOWN_AFTER``)."""
    if counted is None or counted.shown_age is None:
        return None
    return datetime.datetime.fromtimestamp(counted.counted_at, tz=datetime.UTC)


def _results_key(request, filterset, page, parts) -> str:
    """The rendered list's key: the projects version and the seats of the page's projects.

    A seat taken on a project this page does not list leaves it as rendered; sorted
    by open seats, any seat change may reorder it, so the shared seats version counts.
    """
    if _sorted_by_seats(filterset):
        return counts_cache.fragment_key("browse-html", parts)
    listed = page is not None and page.paginator.count
    ids = page.paginator.ids(page.start_index() - 1) if listed else []
    seats = counts_cache.project_seat_stamps(ids)
    return counts_cache.fragment_key(
        "browse-html", (*parts, seats), scopes=(counts_cache.PROJECTS,)
    )


def _rendered_results_cache(request, filterset, counted, page) -> dict:
    """How the template's ``{% cache %}`` keeps the rendered facets and results.

    Rendering twenty results and some hundred facet options costs more than
    everything else of the page, and most visitors ask the same few queries.
    Both keys hold the visitor class, the language and the whole query (page
    and sort too). The results' key holds the current versions (of the seats:
    those of the page's projects), so a new project or a taken seat is listed
    at once (twenty rows are cheap); the
    facets' key names the counts they show, which may be stale while a recount
    runs. Lists filtered by the person's own skills or hours are not kept
    (0 seconds). The page's rows are fetched lazily, so a hit runs no query.
    """
    if counted is None:
        return {"results_cache_seconds": 0, "results_cache_key": "personal"}
    query = sorted((name, tuple(values)) for name, values in request.GET.lists())
    parts = (list_class(request.user), get_language(), query)
    return {
        "results_cache_seconds": counts_cache.TIMEOUT,
        "results_cache_key": _results_key(request, filterset, page, parts),
        "facets_cache_key": counts_cache.fragment_key(
            "browse-facets", (*parts, counted.stamp), scopes=()
        ),
    }


def _render_browse(request, context, status):
    """The results fragment for htmx, the whole page otherwise (also for history restores)."""
    template = TEMPLATE
    if request.htmx and not request.htmx.history_restore_request:
        template = f"{TEMPLATE}#results"
        context["oob"] = True  # the fragment also brings the facets and the result count
    response = render(request, template, context, status=status)
    # The same URL answers with a fragment or a page: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response
