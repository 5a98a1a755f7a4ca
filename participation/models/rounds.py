"""Test rounds and feedback rounds: what a team asks its testers and feedback givers.

A round is drafted by the project's leads (tasks or questions added), opened,
answered by the people it is for, and closed. Closing publishes its aggregates:
they are computed once and kept in ``published_results``, so the public pages,
the project page and open data read one row and never a person's answers.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.content_language import WrittenContent
from marketplace.models import Phase, Project, Role

ROUND_TEXT_MAX_LENGTH = 5000
ANSWER_TEXT_MAX_LENGTH = 5000
OPTION_MAX_LENGTH = 200
MAX_OPTIONS = 12
LOWEST_RATING, HIGHEST_RATING = 1, 5


class RoundKind(models.TextChoices):
    TEST = "test", _("Test round")
    FEEDBACK = "feedback", _("Feedback round")


# The kind of public role whose accepted members take part in each kind of round.
ROLE_KIND_OF_ROUND = {
    RoundKind.TEST: Role.PublicKind.TESTING,
    RoundKind.FEEDBACK: Role.PublicKind.FEEDBACK,
}


class RoundAudience(models.TextChoices):
    MEMBERS = "members", _("The project's accepted participants in this role")
    SIGNED_IN = "signed_in", _("Everyone signed in")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed, results published")


# The one place that says which status may follow which; each stamps its time.
ROUND_TRANSITIONS: dict[str, set[str]] = {
    RoundStatus.DRAFT: {RoundStatus.OPEN},
    RoundStatus.OPEN: {RoundStatus.CLOSED},
    RoundStatus.CLOSED: set(),
}
ROUND_STATUS_TIMESTAMPS = {RoundStatus.OPEN: "opened_at", RoundStatus.CLOSED: "closed_at"}


class RoundQuerySet(models.QuerySet):
    def visible(self):
        """What the public may see: open and closed rounds, no drafts."""
        return self.exclude(status=RoundStatus.DRAFT)

    def published(self):
        return self.filter(status=RoundStatus.CLOSED)


class Round(WrittenContent):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="rounds"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RoundKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("what is tested or asked"), max_length=ROUND_TEXT_MAX_LENGTH, blank=True
    )
    link = models.URLField(_("link to the prototype"), blank=True)
    access_notes = models.TextField(
        _("notes on access and accessibility"), max_length=ROUND_TEXT_MAX_LENGTH, blank=True
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    audience = models.CharField(
        _("who takes part"),
        max_length=20,
        choices=RoundAudience.choices,
        default=RoundAudience.MEMBERS,
    )
    is_anonymous = models.BooleanField(
        _("anonymous answers"),
        default=True,
        help_text=_("The team sees the answers without the names of the people who gave them."),
    )
    closes_on = models.DateField(_("open until"))
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    published_results = models.JSONField(_("published results"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", published_results__isnull=False)
                | (~Q(status="closed") & Q(published_results__isnull=True)),
                name="round_results_published_when_closed",
            ),
        ]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("round-detail", kwargs={"slug": self.project.slug, "round_id": self.pk})

    @property
    def is_test(self) -> bool:
        return self.kind == RoundKind.TEST

    @property
    def role_kind(self) -> str:
        return ROLE_KIND_OF_ROUND[RoundKind(self.kind)]

    @property
    def past_deadline(self) -> bool:
        return timezone.localdate() > self.closes_on

    @property
    def accepts_answers(self) -> bool:
        return self.status == RoundStatus.OPEN and not self.past_deadline

    @property
    def names_shown(self) -> bool:
        """Test rounds show the team who tested; feedback rounds only when they say so."""
        return not self.is_anonymous


class RoundTask(models.Model):
    """One task of a test round, in the order the testers do them."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="tasks"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("task"), max_length=300)
    instructions = models.TextField(_("instructions"), max_length=ROUND_TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="one_task_per_position"),
        ]

    def __str__(self):
        return self.title

    @property
    def language(self) -> str:
        """A round's tasks and questions are written in the round's language."""
        return self.round.language


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Free text")
    RATING = "rating", _("Rating from 1 to 5")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE}


class Question(models.Model):
    """One question of a feedback round's questionnaire."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind of answer"), max_length=20, choices=QuestionKind.choices)
    is_required = models.BooleanField(_("required"), default=True)
    options = models.JSONField(_("options"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="one_question_per_position"),
        ]

    def __str__(self):
        return self.text

    @property
    def language(self) -> str:
        """A round's tasks and questions are written in the round's language."""
        return self.round.language

    @property
    def has_options(self) -> bool:
        return self.kind in CHOICE_KINDS


class Response(models.Model):
    """One person's answers to one round; one per person and round.

    The person is kept (so nobody answers twice and everyone sees their own
    answers) but shown to the team only where the round is not anonymous.
    """

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="responses"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="round_responses",
    )
    # The ten answers of the System Usability Scale (1-5 each), test rounds only.
    sus_answers = models.JSONField(_("System Usability Scale answers"), null=True, blank=True)
    sus_score = models.DecimalField(
        _("System Usability Scale score"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    created_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "respondent"], name="one_response_per_person_and_round"
            ),
            models.CheckConstraint(
                condition=Q(sus_score__isnull=True) | Q(sus_score__gte=0, sus_score__lte=100),
                name="sus_score_between_0_and_100",
            ),
        ]

    def __str__(self):
        return f"{self.round} #{self.pk}"


class TaskOutcome(models.Model):
    class Outcome(models.TextChoices):
        YES = "yes", _("Yes, I managed it")
        DIFFICULT = "difficult", _("With difficulty")
        NO = "no", _("No, I did not manage it")

    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="outcomes"
    )
    task = models.ForeignKey(
        RoundTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="outcomes"
    )
    outcome = models.CharField(_("managed it?"), max_length=20, choices=Outcome.choices)
    difficulty = models.PositiveSmallIntegerField(
        _("how hard it was (1 very easy, 5 very hard)"),
        validators=[MinValueValidator(LOWEST_RATING), MaxValueValidator(HIGHEST_RATING)],
    )
    notes = models.TextField(_("what happened"), max_length=ANSWER_TEXT_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["task__position", "id"]
        verbose_name = _("task outcome")
        verbose_name_plural = _("task outcomes")
        constraints = [
            models.UniqueConstraint(fields=["response", "task"], name="one_outcome_per_task"),
            models.CheckConstraint(
                condition=Q(difficulty__gte=LOWEST_RATING, difficulty__lte=HIGHEST_RATING),
                name="task_difficulty_between_1_and_5",
            ),
        ]

    def __str__(self):
        return f"{self.task}: {self.outcome}"


class Answer(models.Model):
    """The answer to one question: a text, a rating or the chosen options (by index)."""

    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    text = models.TextField(_("text"), max_length=ANSWER_TEXT_MAX_LENGTH, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    choices = models.JSONField(_("chosen options"), default=list, blank=True)

    class Meta:
        ordering = ["question__position", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True)
                | Q(rating__gte=LOWEST_RATING, rating__lte=HIGHEST_RATING),
                name="answer_rating_between_1_and_5",
            ),
        ]

    def __str__(self):
        return f"{self.question}: #{self.pk}"

    @property
    def chosen_options(self) -> list[str]:
        options = self.question.options
        return [options[index] for index in self.choices if 0 <= index < len(options)]
