"""Retrospectives, their action items, and the feedback a team gives itself."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.content_language import WrittenContent
from marketplace.models import Project
from participation.models.applications import Membership

RETROSPECTIVE_TEXT_MAX_LENGTH = 10_000
ACTION_ITEM_MAX_LENGTH = 500
TEAM_FEEDBACK_MAX_LENGTH = 5000


class Retrospective(WrittenContent):
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

    @property
    def language(self) -> str:
        """Action items are written in their retrospective's language."""
        return self.retrospective.language


class TeamFeedback(WrittenContent):
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
