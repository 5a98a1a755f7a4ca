"""The public participate page: how to take part, and the projects that welcome help now."""

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Prefetch
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from accounts.query_numbers import page_or_none
from marketplace.models import Project, Role
from participation.forms.applications import TopicFilterForm
from participation.services import JOINABLE_STATUSES
from participation.views.applications import participation_context_for_projects

PROJECTS_PER_PAGE = 20
BAD_REQUEST = 400
NOT_FOUND = 404


def roles_open_to_the_public():
    """Public roles that still take people: open, with a free seat."""
    return Role.objects.open().for_public().filter(filled_seats__lt=F("seats"))


def projects_welcoming_the_public():
    """Published, running projects that take part from the public and have a free public seat.

    Internal projects are left out: the public sees neither their details nor their roles.
    """
    free_public_role = roles_open_to_the_public().filter(project=OuterRef("pk"))
    return (
        Project.objects.filter(
            status__in=JOINABLE_STATUSES, open_for_participation=True, is_internal=False
        )
        .filter(Exists(free_public_role))
        .prefetch_related(
            "topics",
            Prefetch("roles", queryset=roles_open_to_the_public(), to_attr="public_roles"),
        )
        .order_by("-published_at", "-pk")
    )


@require_safe
def participate(request):
    """The public page where citizens and organisations learn how to take part and sign up."""
    form = TopicFilterForm(request.GET or None)
    projects = projects_welcoming_the_public()
    status = 200
    if form.is_bound and not form.is_valid():
        status = BAD_REQUEST
    elif form.is_bound and form.cleaned_data["topic"]:
        projects = projects.filter(topics=form.cleaned_data["topic"])
    page = page_or_none(Paginator(projects, PROJECTS_PER_PAGE), request.GET.get("page"))
    if page is None:
        status = NOT_FOUND
    shown = list(page.object_list) if page else []
    context = {
        "filter_form": form,
        "page_obj": page,
        "projects": shown,
        "topic_query": _topic_query(form),
        **participation_context_for_projects(request.user, shown),
    }
    return render(request, "participation/participate.html", context, status=status)


def _topic_query(form) -> str:
    """The filter as a query string for the page links, so paging keeps the topic."""
    if form.is_bound and form.is_valid() and form.cleaned_data["topic"]:
        return urlencode({"topic": form.cleaned_data["topic"].slug}) + "&"
    return ""
