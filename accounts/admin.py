from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Case, CharField, Count, F, Value, When
from django.utils.translation import gettext_lazy as _

from accounts.forms import AdminUserCreationForm
from accounts.invitations import invite
from accounts.models import AuditEvent, Department, Skill, Topic, User


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
class DepartmentAdmin(admin.ModelAdmin):
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
class UserAdmin(DjangoUserAdmin):
    add_form = AdminUserCreationForm
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
