"""Proposals from the public: their statuses, supporters, followers and history."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.content_language import WrittenContent
from accounts.models import Topic
from marketplace.models import Project

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
        """``support_count`` is a column now (kept by ``participation.support_counts``);
        this stays for the callers that asked for it."""
        return self

    def with_supported_by_me(self, user):
        """Annotate ``supported_by_me``: one subquery instead of a query per row."""
        if not user.is_authenticated:
            return self.annotate(supported_by_me=Value(False))
        mine = ProposalSupport.objects.filter(proposal=OuterRef("pk"), supporter=user)
        return self.annotate(supported_by_me=Exists(mine))


class Proposal(WrittenContent):
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

    # Kept by ``participation.support_counts`` with every support added or removed, so
    # sorting by support reads an index instead of counting 100,000 supports per page.
    support_count = models.PositiveIntegerField(
        _("supporters"), default=0, db_default=0, editable=False
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(
                fields=["-support_count", "-created_at", "-id"], name="proposal_by_support"
            ),
        ]
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
