"""Joining projects: applications and the memberships they become."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, Func, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Topic
from marketplace.models import Project, Role

MESSAGE_MAX_LENGTH = 2000


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DeclineReason(models.TextChoices):
    ROLE_FILLED = "role_filled", _("The role is filled")
    SKILLS = "skills", _("The skills do not match")
    CAPACITY = "capacity", _("Not enough capacity")
    OTHER = "other", _("Other reason")


class ApplicationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ApplicationStatus.PENDING)


class Application(models.Model):
    """A claim (employees) or an offer of help (citizens, organisations) for a role."""

    role = models.ForeignKey(
        Role, verbose_name=_("role"), on_delete=models.CASCADE, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    conflict_of_interest = models.TextField(
        _("possible conflicts of interest"),
        max_length=MESSAGE_MAX_LENGTH,
        blank=True,
        help_text=_("Organisations declare, for example, bids for related procurement."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    decision_reason = models.CharField(
        _("reason"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    decision_note = models.TextField(_("explanation"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decided_applications",
    )
    created_at = models.DateTimeField(_("applied at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["role", "applicant"],
                condition=Q(status="pending"),
                name="one_open_application_per_role",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decision_reason=""),
                name="declined_application_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(decision_reason="other") | ~Q(decision_note=""),
                name="other_reason_is_explained",
            ),
        ]

    def __str__(self):
        return f"{self.applicant} → {self.role}"

    @property
    def is_pending(self) -> bool:
        return self.status == ApplicationStatus.PENDING


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        """Memberships running on ``on`` (default: today)."""
        day = on or timezone.localdate()
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=day)
        )

    def committed_hours(self, person, on=None) -> int:
        return (
            self.active(on)
            .filter(person=person)
            .aggregate(total=Sum("hours_per_week", default=0))["total"]
        )


class Membership(models.Model):
    """A seat in a project's team. Ending it keeps the row: the workload report reads history."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    application = models.OneToOneField(
        Application,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership",
    )
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    started_on = models.DateField(_("start"), default=timezone.localdate)
    ended_on = models.DateField(_("end"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["role", "person"],
                condition=Q(ended_on__isnull=True),
                name="one_running_membership_per_role",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.role}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None or self.ended_on > timezone.localdate()


# --- Proposals from the public ---------------------------------------------------

PROPOSAL_TEXT_MAX_LENGTH = 5000
PUBLIC_REASON_MAX_LENGTH = 2000


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


# The one place that says which status may follow which (see participation.services.proposals).
PROPOSAL_TRANSITIONS: dict[str, set[str]] = {
    ProposalStatus.SUBMITTED: {ProposalStatus.IN_REVIEW},
    ProposalStatus.IN_REVIEW: {ProposalStatus.ACCEPTED, ProposalStatus.DECLINED},
    ProposalStatus.ACCEPTED: set(),
    ProposalStatus.DECLINED: set(),
}

# Each status stamps the time it was reached on the proposal; the history keeps every change.
PROPOSAL_STATUS_TIMESTAMPS: dict[str, str] = {
    ProposalStatus.IN_REVIEW: "review_started_at",
    ProposalStatus.ACCEPTED: "decided_at",
    ProposalStatus.DECLINED: "decided_at",
}

# Supporters may join or leave only while the proposal is still undecided.
OPEN_PROPOSAL_STATUSES = {ProposalStatus.SUBMITTED, ProposalStatus.IN_REVIEW}


class ProposalQuerySet(models.QuerySet):
    def with_support_count(self):
        """A subquery, not a join with GROUP BY: counted for the listed rows only."""
        supports = (
            ProposalSupport.objects.filter(proposal=OuterRef("pk"))
            .order_by()
            .annotate(total=Func(F("pk"), function="COUNT"))
            .values("total")
        )
        return self.annotate(support_count=Coalesce(Subquery(supports), 0))

    def with_supported_by_me(self, user):
        """Annotate ``supported_by_me``: one subquery instead of a query per row."""
        if not user.is_authenticated:
            return self.annotate(supported_by_me=Value(False))
        mine = ProposalSupport.objects.filter(proposal=OuterRef("pk"), supporter=user)
        return self.annotate(supported_by_me=Exists(mine))


class Proposal(models.Model):
    """An idea for a new project, submitted by anyone with a verified email address."""

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(
        _("the problem"),
        max_length=PROPOSAL_TEXT_MAX_LENGTH,
        help_text=_("What does not work well today, and for whom?"),
    )
    idea = models.TextField(
        _("the idea"),
        max_length=PROPOSAL_TEXT_MAX_LENGTH,
        help_text=_("What could the administration do about it?"),
    )
    beneficiaries = models.TextField(
        _("who benefits"),
        max_length=PROPOSAL_TEXT_MAX_LENGTH,
        help_text=_("Who would be better off, and how?"),
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="proposals"
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.SUBMITTED,
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        help_text=_("The draft project an accepted proposal became."),
    )
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)
    review_started_at = models.DateTimeField(_("review started at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    # Set by ``with_support_count()``; declared here for the type checker only.
    support_count: int

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [models.Index(fields=["status", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="accepted") | Q(project__isnull=True),
                name="only_accepted_proposal_has_project",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposal-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PROPOSAL_STATUSES

    def allowed_statuses(self) -> list[str]:
        return [
            value for value in ProposalStatus.values if value in PROPOSAL_TRANSITIONS[self.status]
        ]


class ProposalSupport(models.Model):
    """One person backs one proposal; the constraint keeps a double submit to one row."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="supports"
    )
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supporter"),
        on_delete=models.CASCADE,
        related_name="proposal_supports",
    )
    created_at = models.DateTimeField(_("supported at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "supporter"], name="one_support_per_person_and_proposal"
            ),
        ]

    def __str__(self):
        return f"{self.supporter_id} → {self.proposal_id}"


class ProposalFollow(models.Model):
    """Someone follows a proposal and hears when its status changes."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="follows"
    )
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("follower"),
        on_delete=models.CASCADE,
        related_name="proposal_follows",
    )
    created_at = models.DateTimeField(_("following since"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal follow")
        verbose_name_plural = _("proposal follows")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "follower"], name="one_follow_per_person_and_proposal"
            ),
        ]

    def __str__(self):
        return f"{self.follower_id} → {self.proposal_id}"


class ProposalStatusChange(models.Model):
    """One step in a proposal's public history: the new status, who set it, when, and why."""

    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    status = models.CharField(_("status"), max_length=20, choices=ProposalStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="proposal_status_changes",
    )
    at = models.DateTimeField(_("changed at"), default=timezone.now)
    reason = models.TextField(_("public reason"), max_length=PUBLIC_REASON_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(reason=""),
                name="declined_proposal_has_public_reason",
            ),
        ]

    def __str__(self):
        return f"{self.proposal_id}: {self.status}"


# --- Comments on projects and proposals ------------------------------------------

COMMENT_MAX_LENGTH = 5000
MODERATION_REASON_MAX_LENGTH = 1000


class CommentQuerySet(models.QuerySet):
    def on(self, target):
        """The comments of a project or a proposal."""
        if isinstance(target, Proposal):
            return self.filter(proposal=target)
        return self.filter(project=target)


class Comment(models.Model):
    """A comment on exactly one project or one proposal."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(
        _("reason for hiding"), max_length=MODERATION_REASON_MAX_LENGTH, blank=True
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hidden_comments",
        help_text=_("Empty while the comment is hidden only because several people reported it."),
    )
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    # Reports before a moderator's last look are settled: only newer ones hide the comment again.
    moderated_at = models.DateTimeField(_("last moderated at"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                condition=Q(project__isnull=False, proposal__isnull=True)
                | Q(project__isnull=True, proposal__isnull=False),
                name="comment_has_exactly_one_target",
            ),
        ]

    def __str__(self):
        return f"{self.author_id}: {self.body[:40]}"

    @property
    def target(self):
        return self.project if self.project_id else self.proposal

    @property
    def awaits_moderator(self) -> bool:
        """Hidden by reports alone: a moderator still has to look at it."""
        return self.is_hidden and self.hidden_by_id is None


class CommentReport(models.Model):
    """Someone thinks a comment breaks the rules; enough reports hide it until a moderator looks."""

    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.CASCADE,
        related_name="comment_reports",
    )
    reason = models.TextField(_("reason"), max_length=MODERATION_REASON_MAX_LENGTH)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="one_report_per_person_and_comment"
            ),
        ]

    def __str__(self):
        return f"{self.reporter_id} → {self.comment_id}"


# --- Retrospectives and team feedback ----------------------------------------------

RETROSPECTIVE_TEXT_MAX_LENGTH = 10_000
ACTION_ITEM_MAX_LENGTH = 500
TEAM_FEEDBACK_MAX_LENGTH = 5000


class Retrospective(models.Model):
    """A team's look back at an iteration; seen by the team and administrators only."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="retrospectives",
    )
    held_on = models.DateField(_("date"), default=timezone.localdate)
    iteration = models.CharField(_("iteration"), max_length=200)
    went_well = models.TextField(
        _("what went well"), max_length=RETROSPECTIVE_TEXT_MAX_LENGTH, blank=True
    )
    to_improve = models.TextField(
        _("what to improve"), max_length=RETROSPECTIVE_TEXT_MAX_LENGTH, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("retrospective")
        verbose_name_plural = _("retrospectives")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "iteration", "held_on"],
                name="one_retrospective_per_iteration_and_day",
            ),
        ]

    def __str__(self):
        return f"{self.iteration} ({self.held_on:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse(
            "retrospective-detail", kwargs={"slug": self.project.slug, "retrospective_id": self.pk}
        )


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(is_done=False)

    def in_teams_of(self, user):
        """Action items of the projects that ``user`` leads or has a running membership in."""
        running = Membership.objects.active().filter(
            project=OuterRef("retrospective__project"), person=user
        )
        leads = Project.leads.through.objects.filter(
            project=OuterRef("retrospective__project"), user=user
        )
        return self.filter(Exists(running) | Exists(leads))


class ActionItem(models.Model):
    """Something the team agreed to do after a retrospective, owned by one team member."""

    retrospective = models.ForeignKey(
        Retrospective,
        verbose_name=_("retrospective"),
        on_delete=models.CASCADE,
        related_name="action_items",
    )
    text = models.CharField(_("action"), max_length=ACTION_ITEM_MAX_LENGTH)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    is_done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_done=False, done_at__isnull=True)
                | Q(is_done=True, done_at__isnull=False),
                name="action_item_done_has_time",
            ),
        ]

    def __str__(self):
        return self.text[:80]


class TeamFeedback(models.Model):
    """Anonymous feedback from a team member to the project's leads.

    Deliberately without an author and with the day only: no column, no audit
    event and no log line may tell who wrote it or when exactly.
    """

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="team_feedback",
    )
    text = models.TextField(_("feedback"), max_length=TEAM_FEEDBACK_MAX_LENGTH)
    received_on = models.DateField(_("received on"), default=timezone.localdate)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("team feedback")
        verbose_name_plural = _("team feedback")

    def __str__(self):
        return self.text[:80]
