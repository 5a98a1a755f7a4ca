"""Browse and search all projects: one page, its results swapped in by htmx."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from marketplace.filters import ProjectFilter

RESULTS_PER_PAGE = 20
TEMPLATE = "marketplace/project_list.html"


@require_safe
def project_list(request):
    filterset = ProjectFilter(request.GET, request=request)
    filters_valid = filterset.is_valid()
    summary = filterset.summary()
    paginator = ProjectPaginator(filterset, RESULTS_PER_PAGE, count=summary["count"])
    page = _page_or_none(paginator, request.GET.get("page"))
    context = {
        "filterset": filterset,
        "facets": summary["facets"],
        "paginator": paginator,
        "page_obj": page,
        "page_missing": page is None,
        "active_filters": filterset.active_filters(),
    }
    status = 400 if not filters_valid else 404 if page is None else 200
    return _render_browse(request, context, status)


class ProjectPaginator(Paginator):
    """Pages of the filtered projects; each page's rows are annotated on their own."""

    def __init__(self, filterset, per_page, *, count):
        self.filterset = filterset
        super().__init__(filterset.qs, per_page)
        self.count = count  # counted (and cached) with the facets

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(self.filterset.page_rows(object_list), number, paginator)


def _page_or_none(paginator, number):
    """The requested page, or None when there is no such page (the template says so)."""
    try:
        return paginator.page(number or 1)
    except (PageNotAnInteger, EmptyPage):
        return None


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
