"""People and the organisation they work in."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

MIN_WEEKLY_HOURS = 1
MAX_WEEKLY_HOURS = 60


class BilingualName(models.Model):
    """A vocabulary entry named in German and English; shown in the reader's language."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_de = models.CharField(_("German name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)

    class Meta:
        abstract = True
        ordering = ["name_de"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "de").startswith("en"):
            return self.name_en or self.name_de
        return self.name_de


class Skill(BilingualName):
    class Meta(BilingualName.Meta):
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class Topic(BilingualName):
    class Meta(BilingualName.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class DepartmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Department(models.Model):
    """A Senate department, division or unit; the tree is built by ``parent``."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("short code"), max_length=20, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
        limit_choices_to={"kind": "employee"},
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return f"{self.code} – {self.name}"

    @property
    def depth(self) -> int:
        """0 for a Senate department, 1 for a division, 2 for a unit."""
        depth, node = 0, self
        while node.parent is not None and depth < 10:
            node, depth = node.parent, depth + 1
        return depth


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("kind", User.Kind.EMPLOYEE)
        return self._create_user(email, password, **extra_fields)

    def employees(self):
        return self.filter(kind=User.Kind.EMPLOYEE)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: an employee of the administration or an outside participant."""

    class Kind(models.TextChoices):
        EMPLOYEE = "employee", _("Employee")
        CITIZEN = "citizen", _("Citizen")
        ORGANISATION = "organisation", _("Organisation")

    class OrganisationType(models.TextChoices):
        COMPANY = "company", _("Company")
        ASSOCIATION = "association", _("Association")
        RESEARCH = "research", _("Research")
        OTHER = "other", _("Other")

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CITIZEN)
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="de"
    )
    is_staff = models.BooleanField(
        _("administrator"),
        default=False,
        help_text=_("May sign in to the administration interface."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    # Employees
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    weekly_hours = models.PositiveSmallIntegerField(
        _("weekly hours"),
        default=40,
        validators=[MinValueValidator(MIN_WEEKLY_HOURS), MaxValueValidator(MAX_WEEKLY_HOURS)],
        help_text=_("Contract hours per week, between 1 and 60."),
    )
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills"), blank=True, related_name="skilled_users"
    )
    interests = models.ManyToManyField(
        Skill,
        verbose_name=_("interests"),
        blank=True,
        related_name="interested_users",
        help_text=_("Skills you would like to develop."),
    )
    bio = models.TextField(_("short bio"), max_length=1000, blank=True)
    reviews_proposals = models.BooleanField(
        _("reviews proposals"),
        default=False,
        help_text=_("Employees marked here review proposals from the public, like administrators."),
    )

    # Citizens and organisations
    organisation_name = models.CharField(_("organisation name"), max_length=200, blank=True)
    organisation_type = models.CharField(
        _("organisation type"), max_length=20, choices=OrganisationType.choices, blank=True
    )
    offers_ideas = models.BooleanField(_("idea giver"), default=False)
    offers_feedback = models.BooleanField(_("feedback giver"), default=False)
    offers_testing = models.BooleanField(_("tester"), default=False)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics of interest"), blank=True, related_name="interested_users"
    )
    privacy_consent_at = models.DateTimeField(_("privacy consent given at"), null=True, blank=True)
    privacy_notice_version = models.CharField(
        _("privacy notice version"), max_length=20, blank=True
    )
    deleted_at = models.DateTimeField(
        _("deleted at"),
        null=True,
        blank=True,
        help_text=_("Set when the person deleted their account; the row stays anonymised."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_hours__gte=MIN_WEEKLY_HOURS, weekly_hours__lte=MAX_WEEKLY_HOURS),
                name="user_weekly_hours_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(kind="organisation") | ~Q(organisation_name=""),
                name="organisation_has_name",
            ),
        ]

    def __str__(self):
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def is_employee(self) -> bool:
        return self.kind == self.Kind.EMPLOYEE

    @property
    def public_name(self) -> str | Promise:
        """What others see: never the email address."""
        if self.deleted_at is not None:
            return _("deleted account")
        if self.kind == self.Kind.ORGANISATION and self.organisation_name:
            return self.organisation_name
        return self.display_name or _("Anonymous participant")


class AuditEvent(models.Model):
    """Who did what to which object, and when. Written through ``accounts.audit.record``."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    verb = models.CharField(_("verb"), max_length=64, db_index=True)
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("target type"), null=True, blank=True, on_delete=models.SET_NULL
    )
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.verb}"


class EmailMode(models.TextChoices):
    """How someone wants to hear about one kind of notification by email."""

    IMMEDIATELY = "immediately", _("Immediately")
    DIGEST = "digest", _("In the daily digest")
    OFF = "off", _("Off")


class EmailState(models.TextChoices):
    """Where a notification's email stands; ``sent`` is final, so nothing goes out twice."""

    PENDING = "pending", _("to be sent")
    DIGEST = "digest", _("waiting for the digest")
    SENT = "sent", _("sent")
    SKIPPED = "skipped", _("not sent (switched off)")
    FAILED = "failed", _("given up")


class Notification(models.Model):
    """Something a person should hear about; written by ``accounts.notify`` in the caller's transaction.

    The text is rendered when it is read, in the reader's language, from
    ``kind`` and ``data``; ``event_key`` makes delivery idempotent.
    """

    class Kind(models.TextChoices):
        APPLICATION_RECEIVED = "application_received", _("Application received")
        APPLICATION_DECIDED = "application_decided", _("Application decided")
        MEMBERSHIP_ENDED = "membership_ended", _("Membership ended")
        ROLE_MATCH = "role_match", _("New role matching your skills or interests")
        PROPOSAL_STATUS = "proposal_status", _("Proposal status changed")
        PROJECT_UPDATE = "project_update", _("Project update posted")
        COMMENT_HIDDEN = "comment_hidden", _("Comment hidden")
        WORKLOAD_REPORT = "workload_report", _("Workload report ready")
        APPLICATION_REMINDER = "application_reminder", _("Reminder: application pending")
        PROJECT_OVERDUE = "project_overdue", _("Reminder: project past its end date")
        ROUND_OPENED = "round_opened", _("A test or feedback round you may join has opened")
        ROUND_RESULTS = "round_results", _("Results of a round you took part in")
        IDEA_ANSWERED = "idea_answered", _("The team answered your idea")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    event_key = models.CharField(_("event key"), max_length=200)
    url = models.CharField(_("link"), max_length=500, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_state = models.CharField(
        _("email"), max_length=10, choices=EmailState.choices, default=EmailState.PENDING
    )
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    email_error = models.CharField(_("last delivery error"), max_length=500, blank=True)
    # After a temporary failure: when the sweep tries again (empty: as soon as it runs).
    email_next_attempt_at = models.DateTimeField(_("next delivery attempt"), null=True, blank=True)
    # Retries stop at an age counted from here (an administrator's retry), else from creation.
    email_retry_since = models.DateTimeField(_("retried since"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient"], name="one_notification_per_event"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The sweep and the digest look for what is still to be sent, the
            # health check and the admin for what failed.
            models.Index(
                fields=["email_state", "created_at"],
                name="notification_email_open",
                condition=Q(email_state__in=["pending", "digest", "failed"]),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient_id}"


class NotificationPreference(models.Model):
    """One person's email choice for one kind; a missing row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Notification.Kind.choices)
    email = models.CharField(_("email"), max_length=12, choices=EmailMode.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.kind} → {self.email}"
