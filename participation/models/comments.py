"""Comments on projects and proposals, and the reports that ask a moderator to look."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.content_language import WrittenContent
from marketplace.models import Project
from participation.models.proposals import Proposal

COMMENT_MAX_LENGTH = 5000
MODERATION_REASON_MAX_LENGTH = 1000


class CommentQuerySet(models.QuerySet):
    def on(self, target):
        """The comments of a project or a proposal."""
        if isinstance(target, Proposal):
            return self.filter(proposal=target)
        return self.filter(project=target)


class Comment(WrittenContent):
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
