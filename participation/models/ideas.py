"""Ideas on a project's open questions, their supporters and the team's answers."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.content_language import WrittenContent
from marketplace.models import Project

IDEA_TEXT_MAX_LENGTH = 3000
IDEA_REASON_MAX_LENGTH = 2000


class IdeaAudience(models.TextChoices):
    MEMBERS = "members", _("The project's accepted idea givers")
    SIGNED_IN = "signed_in", _("Everyone signed in")


class IdeaQuestion(WrittenContent):
    """An open question of the project, on which ideas are collected."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="idea_questions"
    )
    title = models.CharField(_("question"), max_length=300)
    description = models.TextField(_("background"), max_length=IDEA_TEXT_MAX_LENGTH, blank=True)
    audience = models.CharField(
        _("who may post ideas"),
        max_length=20,
        choices=IdeaAudience.choices,
        default=IdeaAudience.MEMBERS,
    )
    is_open = models.BooleanField(_("open for ideas"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-is_open", "-created_at", "-id"]
        verbose_name = _("open question")
        verbose_name_plural = _("open questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_open=True, closed_at__isnull=True)
                | Q(is_open=False, closed_at__isnull=False),
                name="idea_question_closed_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("idea-list", kwargs={"slug": self.project.slug}) + f"#question-{self.pk}"


class IdeaStatus(models.TextChoices):
    NEW = "new", _("Not answered yet")
    CONSIDERING = "considering", _("Being considered")
    ADOPTED = "adopted", _("Adopted")
    NOT_PURSUED = "not_pursued", _("Not pursued")


# The team's answers; an answer may be changed (considered, then adopted), never taken back.
ANSWER_STATUSES = [IdeaStatus.CONSIDERING, IdeaStatus.ADOPTED, IdeaStatus.NOT_PURSUED]


class IdeaQuerySet(models.QuerySet):
    def with_support_count(self):
        return self.annotate(support_count=Count("supports", distinct=True))

    def answered(self):
        return self.exclude(status=IdeaStatus.NEW)


class Idea(WrittenContent):
    question = models.ForeignKey(
        IdeaQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="ideas"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("your idea"), max_length=IDEA_TEXT_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.NEW
    )
    reason = models.TextField(_("public reason"), max_length=IDEA_REASON_MAX_LENGTH, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now, db_index=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="new", answered_at__isnull=True)
                | (~Q(status="new") & Q(answered_at__isnull=False) & ~Q(reason="")),
                name="idea_answer_has_time_and_reason",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return (
            reverse("idea-list", kwargs={"slug": self.question.project.slug}) + f"#idea-{self.pk}"
        )


class IdeaSupport(models.Model):
    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="supports"
    )
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supporter"),
        on_delete=models.CASCADE,
        related_name="idea_supports",
    )
    created_at = models.DateTimeField(_("supported at"), default=timezone.now)

    class Meta:
        verbose_name = _("support of an idea")
        verbose_name_plural = _("supports of ideas")
        constraints = [
            models.UniqueConstraint(fields=["idea", "supporter"], name="one_support_per_idea"),
        ]

    def __str__(self):
        return f"{self.supporter_id} → {self.idea_id}"
