from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Case, CharField, Count, F, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import delivery_retries
from accounts.admin_widgets import LabelledAutocompleteMixin
from accounts.forms import AdminPasswordChangeForm, AdminUserCreationForm
from accounts.invitations import invite
from accounts.models import AuditEvent, Department, EmailState, Notification, Skill, Topic, User


class MemberInline(admin.TabularInline):
    model = User
    fk_name = "department"
    fields = readonly_fields = ("email", "display_name", "weekly_hours", "is_active")
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("member")
    verbose_name_plural = _("members")

    def has_add_permission(self, request, obj=None):
        return False


def _tree_sort_keys():
    """Sort keys that list every department right below its parent (three levels)."""
    is_root = {"parent__isnull": True}
    is_division = {"parent__parent__isnull": True}
    level_0 = Case(
        When(**is_root, then=F("code")),
        When(**is_division, then=F("parent__code")),
        default=F("parent__parent__code"),
        output_field=CharField(),
    )
    level_1 = Case(
        When(**is_root, then=Value("")),
        When(**is_division, then=F("code")),
        default=F("parent__code"),
        output_field=CharField(),
    )
    level_2 = Case(
        When(**is_root, then=Value("")),
        When(**is_division, then=Value("")),
        default=F("code"),
        output_field=CharField(),
    )
    return level_0, level_1, level_2


@admin.register(Department)
class DepartmentAdmin(LabelledAutocompleteMixin, admin.ModelAdmin):
    list_display = ["indented_name", "code", "head", "member_count", "is_active"]
    list_display_links = ["indented_name"]
    list_filter = ["is_active", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code", "head__email", "head__display_name"]
    list_select_related = ["parent__parent", "head"]
    autocomplete_fields = ["parent", "head"]
    inlines = [MemberInline]

    def get_queryset(self, request):
        level_0, level_1, level_2 = _tree_sort_keys()
        return (
            super()
            .get_queryset(request)
            .annotate(
                people=Count("members", distinct=True),
                tree_0=level_0,
                tree_1=level_1,
                tree_2=level_2,
            )
            .order_by("tree_0", "tree_1", "tree_2")
        )

    @admin.display(description=_("name"), ordering="tree_0")
    def indented_name(self, department):
        return f"{'— ' * department.depth}{department.name}"

    @admin.display(description=_("people"), ordering="people")
    def member_count(self, department):
        return department.people


@admin.register(Skill, Topic)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["name_de", "name_en", "slug"]
    search_fields = ["name_de", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(User)
class UserAdmin(LabelledAutocompleteMixin, DjangoUserAdmin):
    add_form = AdminUserCreationForm
    change_password_form = AdminPasswordChangeForm
    ordering = ["email"]
    list_display = ["email", "display_name", "kind", "department", "weekly_hours", "is_staff"]
    list_filter = ["kind", "is_staff", "is_active", "department"]
    list_select_related = ["department"]
    search_fields = ["email", "display_name", "organisation_name"]
    autocomplete_fields = ["department"]
    filter_horizontal = ["skills", "interests", "topics", "groups", "user_permissions"]
    readonly_fields = ["last_login", "date_joined", "privacy_consent_at", "privacy_notice_version"]
    fieldsets = [
        (None, {"fields": ["email", "password", "display_name", "kind", "preferred_language"]}),
        (
            _("Employee"),
            {
                "fields": [
                    "department",
                    "weekly_hours",
                    "skills",
                    "interests",
                    "bio",
                    "reviews_proposals",
                ]
            },
        ),
        (
            _("Participation"),
            {
                "fields": [
                    "organisation_name",
                    "organisation_type",
                    "offers_ideas",
                    "offers_feedback",
                    "offers_testing",
                    "topics",
                    "privacy_consent_at",
                    "privacy_notice_version",
                ]
            },
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "display_name",
                    "kind",
                    "preferred_language",
                    "department",
                    "weekly_hours",
                ],
            },
        )
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            invite(obj, invited_by=request.user)
            self.message_user(
                request, _("An invitation to set a password was sent to %s.") % obj.email
            )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "verb", "target_type", "target_id"]
    list_filter = ["verb", "target_type", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["verb", "target_id", "actor__email"]
    list_select_related = ["actor", "target_type"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EmailProblemFilter(admin.SimpleListFilter):
    """The emails operators have to look at: given up, late, or waiting for a retry."""

    title = _("email problem")
    parameter_name = "email_problem"

    def lookups(self, request, model_admin):
        return [
            ("failed", _("given up")),
            ("overdue", _("overdue (still unsent after ten minutes)")),
            ("retrying", _("waiting for a retry")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "failed":
            return queryset & delivery_retries.failed()
        if self.value() == "overdue":
            return queryset & delivery_retries.overdue()
        if self.value() == "retrying":
            return queryset.filter(email_state=EmailState.PENDING, email_attempts__gt=0)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Notifications and their emails: what failed, and a way to send it again.

    Read-only: the only change is the retry action, which resets the email and
    leaves the notification in the person's inbox as it was.
    """

    list_display = [
        "created_at",
        "recipient__email",
        "kind",
        "email_state",
        "email_attempts",
        "email_next_attempt_at",
        "email_error",
    ]
    list_filter = [
        EmailProblemFilter,
        "email_state",
        "kind",
        ("created_at", admin.DateFieldListFilter),
    ]
    search_fields = ["recipient__email", "event_key"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    actions = ["retry_email"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the email again"), permissions=["change"])
    def retry_email(self, request, queryset):
        count = delivery_retries.retry(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d email will be sent again within a minute.",
                "%(count)d emails will be sent again within a minute.",
                count,
            )
            % {"count": count},
        )
