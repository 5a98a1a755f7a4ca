"""Projects and the roles they offer."""

import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.content_language import LocalisedText, WrittenContent
from accounts.models import Department, Skill, Topic
from marketplace.sign_language import SignLanguageVideo  # noqa: F401  (lives with its upload rules)

SUMMARY_MAX_LENGTH = 300
TITLE_MAX_LENGTH = 200


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    PAUSED = "paused", _("Paused")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# The one place that says which status may follow which. Publishing (draft ->
# open) has extra checks in ``services.publish_project``.
STATUS_TRANSITIONS: dict[str, set[str]] = {
    ProjectStatus.DRAFT: {ProjectStatus.OPEN, ProjectStatus.CANCELLED},
    ProjectStatus.OPEN: {ProjectStatus.IN_PROGRESS, ProjectStatus.PAUSED, ProjectStatus.CANCELLED},
    ProjectStatus.IN_PROGRESS: {
        ProjectStatus.PAUSED,
        ProjectStatus.COMPLETED,
        ProjectStatus.CANCELLED,
    },
    ProjectStatus.PAUSED: {ProjectStatus.OPEN, ProjectStatus.IN_PROGRESS, ProjectStatus.CANCELLED},
    ProjectStatus.COMPLETED: set(),
    ProjectStatus.CANCELLED: set(),
}

# The statuses nothing follows: reaching one cannot be undone, so the site asks first,
# and a project there takes no phase changes and no updates any more.
FINAL_STATUSES = frozenset(
    status for status, following in STATUS_TRANSITIONS.items() if not following
)

# Each status stamps the time it was reached.
STATUS_TIMESTAMPS: dict[str, str] = {
    ProjectStatus.OPEN: "published_at",
    ProjectStatus.IN_PROGRESS: "started_at",
    ProjectStatus.PAUSED: "paused_at",
    ProjectStatus.COMPLETED: "completed_at",
    ProjectStatus.CANCELLED: "cancelled_at",
}


class Phase(models.TextChoices):
    """The design-thinking phases, in order."""

    UNDERSTAND = "understand", _("Understand")
    OBSERVE = "observe", _("Observe")
    DEFINE = "define", _("Define")
    IDEATE = "ideate", _("Ideate")
    PROTOTYPE = "prototype", _("Prototype")
    TEST = "test", _("Test")
    IMPLEMENT = "implement", _("Implement")


PHASE_ORDER = list(Phase.values)

# One sentence per phase for the step indicator on project pages.
PHASE_DESCRIPTIONS: dict[str, str | Promise] = {
    Phase.UNDERSTAND: _("We learn about the problem and the people who have it."),
    Phase.OBSERVE: _("We watch and ask how people use the service today."),
    Phase.DEFINE: _("We put into words which problem we solve, and for whom."),
    Phase.IDEATE: _("We collect many ideas and choose the most promising ones."),
    Phase.PROTOTYPE: _("We build simple versions of the ideas to try them out."),
    Phase.TEST: _("We test the prototypes with the people who will use them."),
    Phase.IMPLEMENT: _("We build the solution for real and bring it into use."),
}


def next_phase_after(current: str) -> str:
    """The phase one step forward, or "" in the last phase."""
    following = PHASE_ORDER[PHASE_ORDER.index(current) + 1 :]
    return following[0] if following else ""


def allowed_phase_moves(current: str) -> list[str]:
    """Forward one step, or back to any earlier phase: design thinking iterates."""
    index = PHASE_ORDER.index(current)
    following = PHASE_ORDER[index + 1 : index + 2]
    return PHASE_ORDER[:index] + following


class ProjectQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(status=ProjectStatus.DRAFT)

    def visible_to(self, user):
        """Drafts only for their leads and administrators; everything else for everyone."""
        if user.is_authenticated and user.is_superuser:
            return self
        if user.is_authenticated:
            # Exists, not a join: a join with DISTINCT would multiply sums over roles.
            leads = Project.leads.through.objects.filter(project=OuterRef("pk"), user=user)
            return self.filter(~Q(status=ProjectStatus.DRAFT) | Q(Exists(leads)))
        return self.published()

    def with_public_figures(self):
        """Annotate what open data reports per project, as subqueries: one query for a page.

        ``team_size`` counts the entries of the team list on the project page:
        its leads and the running memberships. Memberships are reached through
        the reverse relation, so the marketplace does not import participation.
        """
        today = timezone.localdate()
        memberships = (
            self.model._meta.get_field("memberships")
            .related_model.objects.filter(project=OuterRef("pk"), started_on__lte=today)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        )
        leads = Project.leads.through.objects.filter(project=OuterRef("pk"))
        open_roles = Role.objects.filter(project=OuterRef("pk"), is_open=True)
        newest_update = ProjectUpdate.objects.filter(project=OuterRef("pk")).order_by("-created_at")
        return self.annotate(
            open_role_total=_count(open_roles),
            team_size=_count(memberships) + _count(leads),
            last_update_at=Subquery(newest_update.values("created_at")[:1]),
        )

    def with_open_seats(self):
        """Annotate ``open_seats``, ``open_role_count`` and ``filled_role_count`` as subqueries.

        Subqueries, not a join with GROUP BY: the database computes them only for
        the rows it returns, and the rows stay narrow enough for an index-backed
        ORDER BY ... LIMIT (see ``filters.annotate_page``).
        """
        open_roles = Role.objects.filter(project=OuterRef("pk"), is_open=True).order_by()
        free = open_roles.annotate(
            free=Func(models.F("seats") - models.F("filled_seats"), function="SUM")
        ).values("free")
        # A role whose seats are all taken is open but no longer on offer: counted apart,
        # so a card can say "all roles filled" instead of "0 roles, 0 seats".
        has_seat = Q(filled_seats__lt=models.F("seats"))
        return self.annotate(
            open_seats=Coalesce(Subquery(free, output_field=models.IntegerField()), 0),
            open_role_count=_count(open_roles.filter(has_seat)),
            filled_role_count=_count(open_roles.exclude(has_seat)),
        )


# The fields a project may carry in English beside its own language (``<field>_en``).
TRANSLATED_FIELDS = ("title", "summary")


def _count(queryset):
    """The number of rows of a correlated ``queryset``, as a subquery (0 for none)."""
    # Func, not Count: an aggregate would add a GROUP BY that the subquery must not have.
    counted = queryset.order_by().annotate(total=Func(models.F("pk"), function="COUNT"))
    return Coalesce(Subquery(counted.values("total")), 0)


class Project(WrittenContent):
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    slug = models.SlugField(_("address"), max_length=220, unique=True, allow_unicode=False)
    summary = models.CharField(
        _("summary"),
        max_length=SUMMARY_MAX_LENGTH,
        blank=True,
        help_text=_("At most 300 characters: what the project is about, in plain words."),
    )
    # An English title and summary beside the German ones, for English readers.
    title_en = models.CharField(
        _("English title"),
        max_length=TITLE_MAX_LENGTH,
        blank=True,
        help_text=_("Optional. English visitors see it instead of the title."),
    )
    summary_en = models.CharField(
        _("English summary"),
        max_length=SUMMARY_MAX_LENGTH,
        blank=True,
        help_text=_(
            "Optional, at most 300 characters. English visitors see it instead of the summary; "
            "it needs an English title."
        ),
    )
    description = models.TextField(
        _("description"),
        max_length=20_000,
        blank=True,
        help_text=_(
            "Plain text. Separate paragraphs by an empty line; start lines with “- ” for a list "
            "or “1. ” for a numbered list. Web addresses become links."
        ),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("leads"), related_name="led_projects"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT
    )
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.UNDERSTAND
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="projects"
    )
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    is_internal = models.BooleanField(
        _("internal only"),
        default=False,
        help_text=_("The public then sees only title, department, status and the reason."),
    )
    internal_reason = models.TextField(
        _("reason for internal visibility"), max_length=1000, blank=True
    )
    open_for_participation = models.BooleanField(
        _("open to public participation"),
        default=True,
        help_text=_(
            "Citizens and organisations may offer help as idea givers, feedback givers or testers."
        ),
    )
    external_participation_url = models.URLField(
        _("external participation link"),
        blank=True,
        help_text=_("For example a page on mein.berlin.de."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="created_projects",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    phase_changed_at = models.DateTimeField(_("phase changed at"), null=True, blank=True)
    # Role titles and skill names, kept beside the project so one indexed
    # column can be searched (see services.refresh_search_document).
    search_extra = models.TextField(editable=False, blank=True, default="")
    # PostgreSQL only: the weighted German tsvector, GIN-indexed by migration 0002.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ProjectQuerySet.as_manager()

    # Set by ``with_public_figures()``; declared here for the type checker only.
    open_role_total: int
    team_size: int
    last_update_at: datetime.datetime | None

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="project_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(is_internal=False) | ~Q(internal_reason=""),
                name="internal_project_has_reason",
            ),
            # English readers would see a German title over an English summary.
            models.CheckConstraint(
                condition=Q(summary_en="") | ~Q(title_en=""),
                name="project_english_summary_has_title",
                violation_error_message=_("An English summary needs an English title too."),
            ),
            # A project written in English has no second English title.
            models.CheckConstraint(
                condition=~Q(language="en") | Q(title_en="", summary_en=""),
                name="english_project_has_no_translation",
                violation_error_message=_(
                    "The project is written in English already: it needs no English title "
                    "or summary."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            models.Index(fields=["ends_on"]),
            # The browse list's default order (newest first) has an index too,
            # project_newest_idx (published_at DESC NULLS LAST, created_at, id), built on
            # PostgreSQL only by migration 0005 and left out of the state by 0006: SQLite
            # cannot index NULLS LAST, and it rebuilds the table with every index named here.
            # The home page's newest published projects, in its order.
            models.Index(
                models.F("published_at").desc(),
                models.F("id").desc(),
                condition=~Q(status=ProjectStatus.DRAFT),
                name="project_published_idx",
            ),
            # Narrow copy of what the facets count by: their scans need not read the wide rows.
            models.Index(
                fields=["status", "is_internal", "phase", "department", "id"],
                name="project_facets_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("project-detail", kwargs={"slug": self.slug})

    @property
    def is_draft(self) -> bool:
        return self.status == ProjectStatus.DRAFT

    @property
    def is_closed(self) -> bool:
        """Completed or cancelled: nothing about its course changes any more."""
        return self.status in FINAL_STATUSES

    @property
    def has_public_feed(self) -> bool:
        """Drafts are secret and internal projects hide their updates from the public."""
        return not self.is_draft and not self.is_internal

    def text_for(self, field: str, language: str | None = None) -> LocalisedText:
        """The English title or summary for English readers where there is one, else the text."""
        translated = getattr(self, f"{field}_en", "") if language == "en" else ""
        if translated and field in TRANSLATED_FIELDS:
            return LocalisedText(translated, "en")
        return super().text_for(field, language)

    def title_for(self, language: str | None) -> LocalisedText:
        return self.text_for("title", language)

    def summary_for(self, language: str | None) -> LocalisedText:
        return self.text_for("summary", language)

    def allowed_statuses(self) -> list[str]:
        return [
            status for status in ProjectStatus.values if status in STATUS_TRANSITIONS[self.status]
        ]

    def allowed_phases(self) -> list[str]:
        return allowed_phase_moves(self.phase)

    def phase_steps(self) -> list[dict]:
        """The phases for the step indicator: done, current or to come."""
        current = PHASE_ORDER.index(self.phase)
        return [
            {
                "value": value,
                "label": label,
                "description": PHASE_DESCRIPTIONS[value],
                "state": "done" if i < current else "current" if i == current else "todo",
            }
            for i, (value, label) in enumerate(Phase.choices)
        ]


class RoleQuerySet(models.QuerySet):
    def open(self):
        return self.filter(is_open=True)

    def for_employees(self):
        return self.filter(audience=Role.Audience.EMPLOYEES)

    def for_public(self):
        return self.filter(audience=Role.Audience.PUBLIC)


class Role(WrittenContent):
    """An open position in a project."""

    class Audience(models.TextChoices):
        EMPLOYEES = "employees", _("Employees")
        PUBLIC = "public", _("The public")

    class PublicKind(models.TextChoices):
        IDEAS = "ideas", _("Idea giver")
        FEEDBACK = "feedback", _("Feedback giver")
        TESTING = "testing", _("Tester")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="roles"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills"), blank=True, related_name="roles"
    )
    seats = models.PositiveSmallIntegerField(
        _("seats"), default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    # Kept by participation.services under a row lock; the constraint below is the
    # last line of defence against over-filling when claims arrive at once.
    filled_seats = models.PositiveSmallIntegerField(_("filled seats"), default=0, editable=False)
    is_open = models.BooleanField(_("open"), default=True)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.EMPLOYEES
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(40)],
        help_text=_("Employee roles only: the weekly hours the role takes."),
    )
    auto_accept = models.BooleanField(
        _("accept claims at once"),
        default=False,
        help_text=_(
            "Employee roles only: a claim is accepted at once when a seat and capacity allow."
        ),
    )
    public_kind = models.CharField(
        _("kind of participation"), max_length=20, choices=PublicKind.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(audience="employees", hours_per_week__isnull=False, public_kind="")
                    | Q(audience="public", hours_per_week__isnull=True, auto_accept=False)
                    & ~Q(public_kind="")
                ),
                name="role_fields_match_audience",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="role_has_a_seat"),
            models.CheckConstraint(
                condition=Q(filled_seats__lte=models.F("seats")), name="role_seats_not_exceeded"
            ),
        ]
        indexes = [
            # The open roles of a project (per audience), with the seats to sum, index-only.
            models.Index(
                fields=["project", "audience"],
                condition=Q(is_open=True),
                name="role_open_idx",
            ),
            # From a role to its project without reading the role rows (skill facet).
            models.Index(fields=["id", "project"], name="role_project_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_for_employees(self) -> bool:
        return self.audience == self.Audience.EMPLOYEES

    @property
    def free_seats(self) -> int:
        return max(self.seats - self.filled_seats, 0)


class ProjectFollow(models.Model):
    """Someone follows a project and hears about its updates; anyone with an account may."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="follows"
    )
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follower"),
        on_delete=models.CASCADE,
        related_name="project_follows",
    )
    created_at = models.DateTimeField(_("following since"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("project follow")
        verbose_name_plural = _("project follows")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "follower"], name="one_follow_per_person_and_project"
            ),
        ]

    def __str__(self):
        return f"{self.follower_id} → {self.project_id}"


UPDATE_TEXT_MAX_LENGTH = 10_000


class ProjectUpdate(WrittenContent):
    """A public post by a lead about the project's progress; may mark a move to the next phase."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="updates"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(
        _("text"),
        max_length=UPDATE_TEXT_MAX_LENGTH,
        help_text=_(
            "Plain text. Separate paragraphs by an empty line; start lines with “- ” for a list."
        ),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="project_updates",
    )
    # The phase the project moved into with this update; empty when it stayed where it was.
    phase = models.CharField(_("new phase"), max_length=20, choices=Phase.choices, blank=True)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("project update")
        verbose_name_plural = _("project updates")
        indexes = [models.Index(fields=["project", "-created_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.project.get_absolute_url()}#update-{self.pk}"
