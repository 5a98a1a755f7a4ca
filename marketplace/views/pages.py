from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from marketplace import counts_cache
from marketplace.filters import LIST_DEFERRED_FIELDS, visitor_class
from marketplace.models import Project, ProjectStatus, Role

NEWEST_ON_HOME = 6


def live_figures() -> dict:
    """The numbers on the home page: three queries, whatever the amount of data.

    They scan many rows, so they are kept for a short time (``counts_cache``);
    any change to a project or role drops them.
    """
    return counts_cache.cached("home-figures", (), _count_figures)


def _count_figures() -> dict:
    published = Project.objects.published().exclude(
        status__in=[ProjectStatus.COMPLETED, ProjectStatus.CANCELLED]
    )
    # Ids only: counting distinct whole user rows would sort every column of them.
    leads = Project.leads.through.objects.filter(project__in=published.values("pk"))
    return {
        "open_projects": published.filter(status=ProjectStatus.OPEN).count(),
        "open_roles": Role.objects.open().filter(project__in=published.values("pk")).count(),
        "people_taking_part": leads.values("user").distinct().count(),
    }


@require_safe
def home(request):
    newest = (
        Project.objects.published()
        # A draft cancelled before it was ever published has no date: it is not "new".
        .filter(published_at__isnull=False)
        .select_related("department")
        .defer(*LIST_DEFERRED_FIELDS)
        .with_open_seats()
        .order_by("-published_at", "-id")[:NEWEST_ON_HOME]
    )
    context = {
        "figures": live_figures(),
        "newest": newest,  # lazy: not fetched while the rendered list is cached
        "newest_cache_seconds": counts_cache.TIMEOUT,
        "newest_cache_key": counts_cache.fragment_key(
            "home-newest", (visitor_class(request.user), get_language())
        ),
    }
    return render(request, "marketplace/home.html", context)


@require_safe
def statement_page(request, page: str):
    """A statement page, written out per language.

    Easy Language exists in German only: that page is rendered wholly in German
    (``lang="de"``), so screen readers pronounce it correctly.
    """
    language = (translation.get_language() or "de")[:2]
    template_name = f"pages/{page}.{language}.html"
    try:
        get_template(template_name)
    except TemplateDoesNotExist:
        with translation.override("de"):
            return render(request, f"pages/{page}.de.html", {"page": page})
    return render(request, template_name, {"page": page})
