"""The browse page: its filters, full-text search, sort orders and facet counts."""

import copy
from functools import cached_property

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections, models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField as FilterModelChoiceField

from accounts.models import MAX_WEEKLY_HOURS, MIN_WEEKLY_HOURS, Department, Skill, Topic
from accounts.query_numbers import WholeNumberField, reject_malformed_id
from marketplace import counts_cache
from marketplace.facets import (
    INDENT,
    Facet,
    FacetOption,
    add_counts,
    department_counts,
    department_tree,
    skill_counts,
    topic_counts,
    vocabulary,
    vocabulary_options,
)
from marketplace.models import Phase, Project, ProjectStatus, Role
from marketplace.permissions import sees_full_project
from marketplace.text_search import search_words, word_anywhere, word_in_title

SEARCH_MAX_LENGTH = 200
EMPLOYEE_ONLY_FILTERS = ("matching", "fits_hours")
# "matches" was the parameter's first name; a form control of that name hides the form's own
# matches() method, which axe-core and htmx call. Old bookmarks keep working.
FORMER_PARAMETER_NAMES = {"matches": "matching"}
# Facets whose values internal projects hide from the public (see ``_among_shown_details``).
DETAIL_FACETS = ("phase", "roles", "topic", "skill")
# Wide columns the result list never shows.
LIST_DEFERRED_FIELDS = ("description", "search_extra", "search_vector")


class SortOrder(models.TextChoices):
    RELEVANCE = "relevance", _("Relevance")
    NEWEST = "newest", _("Newest first")
    ENDING = "ending", _("Ending soonest")
    SEATS = "seats", _("Most open seats")


def committed_hours(user) -> int:
    """The weekly hours ``user`` has already promised to projects (active memberships).

    Reached through the reverse relation, so marketplace never imports participation.
    """
    return user.memberships.active().aggregate(total=Sum("hours_per_week", default=0))["total"]


def free_hours(user) -> int:
    return max(user.weekly_hours - committed_hours(user), 0)


def browsable_projects(user):
    """The projects ``user`` may see, as a queryset that is safe to annotate and count.

    For signed-in people ``visible_to`` joins the leads and adds DISTINCT; summing
    seats or counting facets over that join would multiply rows, so the visible
    set then becomes a subquery.
    """
    visible = Project.objects.visible_to(user)
    if visible.query.distinct:
        return Project.objects.filter(pk__in=visible.values("pk"))
    return visible


def open_roles():
    """The open roles of the project of the surrounding query, for ``Exists``."""
    return Role.objects.filter(project=OuterRef("pk"), is_open=True)


def open_employee_roles():
    return open_roles().filter(audience=Role.Audience.EMPLOYEES)


class HoursFilter(django_filters.NumberFilter):
    field_class = WholeNumberField


class IdChoiceField(FilterModelChoiceField):
    def to_python(self, value):
        reject_malformed_id(self, value)
        return super().to_python(value)


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice by id that takes ASCII digits only, as every numeric query parameter."""

    field_class = IdChoiceField


class BrowseForm(forms.Form):
    def clean(self):
        cleaned_data = super().clean()
        lowest, highest = cleaned_data.get("hours_min"), cleaned_data.get("hours_max")
        if lowest is not None and highest is not None and lowest > highest:
            self.add_error("hours_max", _("The highest hours must not be below the lowest."))
        return cleaned_data


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), max_length=SEARCH_MAX_LENGTH, method="filter_search"
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=ProjectStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    department = IdChoiceFilter(
        label=_("Department"), queryset=Department.objects.all(), method="filter_department"
    )
    topic = IdChoiceFilter(label=_("Topic"), queryset=Topic.objects.all(), method="filter_topic")
    skill = IdChoiceFilter(label=_("Skill"), queryset=Skill.objects.all(), method="filter_skill")
    phase = django_filters.ChoiceFilter(
        label=_("Phase"), choices=Phase.choices, method="filter_phase"
    )
    roles = django_filters.ChoiceFilter(
        label=_("Open roles for"), choices=Role.Audience.choices, method="filter_roles"
    )
    hours_min = HoursFilter(
        label=_("Hours per week, from"),
        min_value=MIN_WEEKLY_HOURS,
        max_value=MAX_WEEKLY_HOURS,
        method="filter_hours",
    )
    hours_max = HoursFilter(
        label=_("Hours per week, to"),
        min_value=MIN_WEEKLY_HOURS,
        max_value=MAX_WEEKLY_HOURS,
        method="filter_hours",
    )
    matching = django_filters.BooleanFilter(
        label=_("Roles matching my skills or interests"),
        widget=forms.CheckboxInput,
        method="filter_matches",
    )
    fits_hours = django_filters.BooleanFilter(
        label=_("Roles that fit my free hours"),
        widget=forms.CheckboxInput,
        method="filter_fits_hours",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SortOrder.choices, method="sort_results"
    )

    class Meta:
        model = Project
        fields: list[str] = []
        form = BrowseForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        self.user = getattr(request, "user", None) or AnonymousUser()
        if queryset is None:
            queryset = browsable_projects(self.user)
        super().__init__(_with_current_names(data), queryset, request=request, prefix=prefix)
        # An unsaved internal project asks the one permission rule whether this
        # person sees the details that internal projects hide.
        self.sees_internal_details = sees_full_project(self.user, Project(is_internal=True))
        self.is_employee = self.user.is_authenticated and self.user.is_employee
        if not self.is_employee:
            for name in EMPLOYEE_ONLY_FILTERS:
                del self.filters[name]

    # --- Filtering -------------------------------------------------------------

    def filter_queryset(self, queryset):
        queryset = self.filter_all_but(queryset, "sort")
        return self.sort_results(queryset, "sort", self.form.cleaned_data.get("sort"))

    def filter_all_but(self, queryset, *left_out):
        for name, value in self.form.cleaned_data.items():
            if name not in left_out:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def _among_shown_details(self, condition: Q) -> Q:
        """Internal projects hide all but title, department and status from the public.

        A filter on a hidden detail must not find them for such a visitor: the
        match alone would tell what is hidden.
        """
        if self.sees_internal_details:
            return condition
        return condition & Q(is_internal=False)

    def filter_search(self, queryset, name, text):
        if connections[queryset.db].vendor == "postgresql":
            return self._postgres_search(queryset, text)
        return self._fallback_search(queryset, text)

    def _postgres_search(self, queryset, text):
        query = SearchQuery(text, config="german", search_type="websearch")
        matches = Q(search_vector=query)
        if not self.sees_internal_details:
            # Only the title of an internal project is public, so only it may match.
            queryset = queryset.alias(
                title_vector=SearchVector("title", "title_en", config="german")
            )
            matches &= Q(is_internal=False) | Q(title_vector=query)
        return queryset.filter(matches)

    def _fallback_search(self, queryset, text):
        """Without PostgreSQL (the embedded SQLite setup): every word somewhere, any case.

        Like websearch syntax, a leading minus excludes a word; quotes are ignored.
        """
        wanted, unwanted = search_words(text)
        anywhere = Q(*(word_anywhere(word) for word in wanted))
        anywhere &= Q(*(~word_anywhere(word) for word in unwanted))
        if self.sees_internal_details:
            return queryset.filter(anywhere)
        in_title = Q(*(word_in_title(word) for word in wanted))
        in_title &= Q(*(~word_in_title(word) for word in unwanted))
        return queryset.filter(Q(anywhere, is_internal=False) | Q(in_title, is_internal=True))

    def filter_department(self, queryset, name, department):
        return queryset.filter(
            Q(department=department)
            | Q(department__parent=department)
            | Q(department__parent__parent=department)
        )

    def filter_topic(self, queryset, name, topic):
        tagged = Project.topics.through.objects.filter(project=OuterRef("pk"), topic=topic)
        return queryset.filter(self._among_shown_details(Q(Exists(tagged))))

    def filter_skill(self, queryset, name, skill):
        roles = Role.objects.filter(project=OuterRef("pk"), skills=skill)
        return queryset.filter(self._among_shown_details(Q(Exists(roles))))

    def filter_phase(self, queryset, name, phase):
        return queryset.filter(self._among_shown_details(Q(phase=phase)))

    def filter_roles(self, queryset, name, audience):
        roles = open_roles().filter(audience=audience)
        return queryset.filter(self._among_shown_details(Q(Exists(roles))))

    def filter_hours(self, queryset, name, value):
        """Both bounds must hold for the same role, so they are applied together, once."""
        lowest = self.form.cleaned_data.get("hours_min")
        highest = self.form.cleaned_data.get("hours_max")
        if name == "hours_max" and lowest is not None:
            return queryset  # already applied together with hours_min
        roles = open_employee_roles()
        if lowest is not None:
            roles = roles.filter(hours_per_week__gte=lowest)
        if highest is not None:
            roles = roles.filter(hours_per_week__lte=highest)
        return queryset.filter(self._among_shown_details(Q(Exists(roles))))

    def filter_matches(self, queryset, name, wanted):
        """Open employee roles: public roles are for citizens and organisations."""
        if not wanted:
            return queryset
        own = Skill.objects.filter(Q(skilled_users=self.user) | Q(interested_users=self.user))
        return queryset.filter(Exists(open_employee_roles().filter(skills__in=own)))

    def filter_fits_hours(self, queryset, name, wanted):
        if not wanted:
            return queryset
        # The free hours as a subquery: no extra query, however often facets re-filter.
        committed = (
            self.user.memberships.active()
            .values("person")
            .annotate(total=Sum("hours_per_week"))
            .values("total")
        )
        free = Value(self.user.weekly_hours) - Coalesce(Subquery(committed), 0)
        fitting = open_employee_roles().filter(hours_per_week__lte=free)
        return queryset.filter(Exists(fitting))

    # --- Sorting ---------------------------------------------------------------

    @property
    def search_text(self) -> str:
        return self.form.cleaned_data.get("q") or ""

    def sort_results(self, queryset, name, order):
        """The filtered projects in ``order``; the open seats are annotated per page.

        Only the ordering's own annotations are computed over all matches (the
        rank over the search hits, the seats for that order): ``page_rows``
        adds the rest for the twenty rows of a page.
        """
        newest = [F("published_at").desc(nulls_last=True), "-created_at", "-pk"]
        self.ordering, self.order_annotations = newest, {}
        if order == SortOrder.ENDING:
            self.ordering = [F("ends_on").asc(nulls_last=True), *newest]
        elif order == SortOrder.SEATS:
            queryset = queryset.with_open_seats()
            self.ordering = ["-open_seats", *newest]
        elif order in ("", None, SortOrder.RELEVANCE) and self.search_text:
            self.order_annotations = {"rank": self._rank()}
            self.ordering = ["-rank", *newest]
        return queryset.annotate(**self.order_annotations).order_by(*self.ordering)

    def page_rows(self, page_slice):
        """The projects of one page (a slice of ``qs``, or their ids) with what the list shows.

        The page's ids come from the ordered, filtered query; the seats are
        summed and the department joined for these rows only.
        """
        self.qs  # noqa: B018 -- filtering sets the ordering
        ids = page_slice if isinstance(page_slice, list) else page_slice.values("pk")
        return (
            Project.objects.filter(pk__in=ids)
            .annotate(**self.order_annotations)
            .with_open_seats()
            .select_related("department")
            .prefetch_related("topics")
            .defer(*LIST_DEFERRED_FIELDS)
            .order_by(*self.ordering)
        )

    def _rank(self):
        if connections[self.queryset.db].vendor == "postgresql":
            query = SearchQuery(self.search_text, config="german", search_type="websearch")
            return SearchRank(F("search_vector"), query)
        words, _unwanted = search_words(self.search_text)
        return Case(
            When(Q(*(Q(title__icontains=word) for word in words)), then=Value(3.0)),
            When(Q(*(Q(summary__icontains=word) for word in words)), then=Value(2.0)),
            default=Value(1.0),
            output_field=models.FloatField(),
        )

    # --- Facets ----------------------------------------------------------------

    def summary(self) -> dict:
        """The facets and the number of matching projects, with the ``Counted`` they came from.

        Counting scans many projects, so the result is kept per visitor class,
        language and filter values (``counts_cache``): after a change the
        previous counts are served while one recount runs beside the request.
        The personal filters depend on the person's hours and skills, which no
        project change reports: with them, counts stay live (``counted`` None).
        """
        if self.is_personal():
            return {**self.count_all(), "counted": None}
        language = get_language()

        def compute():
            # In the request's language: the recount may run in a thread of its own,
            # after this request has ended. Sharing ``self`` with that thread is safe:
            # once validated, a filterset is only read (each count clones a queryset).
            with translation.override(language):
                return self.over(shared_projects(visitor)).count_all()

        visitor = visitor_class(self.user)
        parts = (visitor, language, self._filter_values())
        found = counts_cache.counted("browse", parts, compute)
        summary = found.value
        if leads_drafts(self.user):
            summary = add_counts(summary, self._own_drafts_counts(language))
        return {**summary, "counted": found}

    def _own_drafts_counts(self, language) -> dict:
        """A lead's drafts, counted apart: a few rows, kept until a project changes."""

        def compute():
            return self.over(own_drafts(self.user)).count_all()

        parts = (self.user.pk, language, self._filter_values())
        return counts_cache.remembered(
            "browse-drafts", parts, compute, scopes=(counts_cache.PROJECTS,)
        )

    def over(self, queryset) -> "ProjectFilter":
        """This filterset over other projects: the same validated form, no query to build it."""
        other = copy.copy(self)
        other.queryset = queryset
        other.__dict__.pop("_qs", None)
        return other

    def count_all(self) -> dict:
        self.is_valid()
        return {"facets": self.facets(), "count": self.qs.count()}

    def is_personal(self) -> bool:
        """Whether a filter on the person's own skills or hours is chosen."""
        return any(self.raw_values(name) for name in EMPLOYEE_ONLY_FILTERS if name in self.filters)

    def _filter_values(self) -> tuple:
        """The submitted filter values that counts depend on: not the sort, not the page."""
        return tuple(
            (name, tuple(self.raw_values(name)))
            for name in sorted(self.filters)
            if name != "sort" and self.raw_values(name)
        )

    def facets(self) -> list[Facet]:
        """One aggregate query per facet, whatever the number of projects."""
        return [
            self.status_facet(),
            self.department_facet(),
            self.topic_facet(),
            self.skill_facet(),
            self.phase_facet(),
            self.roles_facet(),
        ]

    def projects_for_facet(self, name):
        """The projects that every active filter but ``name`` lets through.

        Each option of ``name`` then counts what choosing it would give
        (disjunctive faceting), so picking a second status widens the list.
        """
        self.is_valid()  # cleaned_data exists only after validation
        queryset = self.filter_all_but(self.queryset.all(), "sort", name)
        if name in DETAIL_FACETS and not self.sees_internal_details:
            queryset = queryset.filter(is_internal=False)
        return queryset.order_by()

    def raw_values(self, name) -> list[str]:
        """The submitted values of ``name``; the form sends empty ones for "any"."""
        values = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data.get(name)]
        return [str(value) for value in values if value not in (None, "")]

    def raw_value(self, name) -> str:
        values = self.raw_values(name)
        return values[-1] if values else ""

    def _choice_counts(self, name) -> dict[str, int]:
        projects = self.projects_for_facet(name)
        return dict(projects.values_list(name).annotate(count=Count("pk")))

    def status_facet(self) -> Facet:
        counts, selected = self._choice_counts("status"), set(self.raw_values("status"))
        options = [
            FacetOption(value, label, counts.get(value, 0), value in selected)
            for value, label in ProjectStatus.choices
        ]
        # Only leads see drafts: offer the choice only to those who have some.
        options = [
            option
            for option in options
            if option.value != ProjectStatus.DRAFT or option.count or option.selected
        ]
        return Facet("status", _("Status"), "checkbox", options)

    def phase_facet(self) -> Facet:
        counts, selected = self._choice_counts("phase"), self.raw_value("phase")
        options = [
            FacetOption(value, label, counts.get(value, 0), value == selected)
            for value, label in Phase.choices
        ]
        return Facet("phase", _("Phase"), "radio", options, any_label=_("Any phase"))

    def roles_facet(self) -> Facet:
        projects = self.projects_for_facet("roles")
        # From the open roles' side: an index-only scan instead of two probes per project.
        counts = dict(
            Role.objects.open()
            .filter(project__in=projects.values("pk"))
            .order_by()
            .values_list("audience")
            .annotate(count=Count("project", distinct=True))
        )
        selected = self.raw_value("roles")
        options = [
            FacetOption(value, label, counts.get(value, 0), value == selected)
            for value, label in Role.Audience.choices
        ]
        return Facet("roles", _("Open roles for"), "radio", options, any_label=_("Anyone"))

    def topic_facet(self) -> Facet:
        counts = topic_counts(self.projects_for_facet("topic"))
        options = vocabulary_options(vocabulary(Topic), counts, self.raw_value("topic"))
        return Facet("topic", _("Topic"), "select", options, any_label=_("Any topic"))

    def skill_facet(self) -> Facet:
        counts = skill_counts(self.projects_for_facet("skill"))
        options = vocabulary_options(vocabulary(Skill), counts, self.raw_value("skill"))
        return Facet("skill", _("Skill"), "select", options, any_label=_("Any skill"))

    def department_facet(self) -> Facet:
        counts = department_counts(self.projects_for_facet("department"))
        selected = self.raw_value("department")
        options = [
            FacetOption(str(pk), INDENT * depth + name, total, str(pk) == selected)
            for pk, name, depth, total in department_tree(vocabulary(Department), counts)
            if total or str(pk) == selected
        ]
        return Facet(
            "department", _("Department"), "select", options, any_label=_("Any department")
        )

    # --- For the template ------------------------------------------------------

    def active_filters(self) -> list[tuple[str, str]]:
        """(label, query string without it) for every filter in use: ways to widen a search."""
        return [
            (field.label, self._query_without(name))
            for name, field in self.form.fields.items()
            if name != "sort" and self.raw_values(name)
        ]

    def _query_without(self, name) -> str:
        remaining = QueryDict(mutable=True)
        for key, values in self.data.lists():
            if key not in (name, "page"):
                remaining.setlist(key, [value for value in values if value])
        return remaining.urlencode()

    sort_choices = SortOrder.choices

    @property
    def current_sort(self) -> str:
        chosen = self.raw_value("sort")
        return chosen if chosen in SortOrder.values else SortOrder.RELEVANCE

    @cached_property
    def user_free_hours(self) -> int | None:
        return free_hours(self.user) if self.is_employee else None


def visitor_class(user) -> str:
    """Who sees the same projects: the public, employees or administrators.

    Drafts are the only projects one person sees and another of the same class
    does not: a lead's own drafts are counted apart and added to the shared
    counts (``ProjectFilter.summary``), and the rendered list is their own
    (``list_class``). Citizens and organisations see what the public sees.
    """
    if not user.is_authenticated:
        return "public"
    if user.is_superuser:
        return "all"
    return "employee" if user.is_employee else "public"


def list_class(user) -> str:
    """Who sees the same rendered result list: the visitor class, or one lead of drafts."""
    return f"lead:{user.pk}" if leads_drafts(user) else visitor_class(user)


def shared_projects(visitor: str):
    """What every visitor of the class ``visitor`` sees."""
    return Project.objects.all() if visitor == "all" else Project.objects.published()


def own_drafts(user):
    return Project.objects.filter(status=ProjectStatus.DRAFT, leads=user)


def _with_current_names(data):
    """The query parameters with former names renamed, so old bookmarks still filter."""
    if data is None or not any(old in data for old in FORMER_PARAMETER_NAMES):
        return data
    data = data.copy()  # a QueryDict copy is mutable
    for old, new in FORMER_PARAMETER_NAMES.items():
        if old in data and new not in data:
            data.setlist(new, data.pop(old))
    return data


def leads_drafts(user) -> bool:
    """Whether ``user`` sees drafts beyond their class: one query per process and change."""
    if not user.is_authenticated or user.is_superuser:
        return False
    return counts_cache.remembered(
        "leads-drafts", user.pk, lambda: own_drafts(user).exists(), scopes=(counts_cache.PROJECTS,)
    )
