"""Forms for projects and roles. They validate; ``marketplace.services`` writes."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.content_language import language_form_field
from accounts.models import Department, Skill, Topic
from marketplace.models import (
    SUMMARY_MAX_LENGTH,
    UPDATE_TEXT_MAX_LENGTH,
    Phase,
    Project,
    ProjectStatus,
    ProjectUpdate,
    Role,
    next_phase_after,
)

DATE_FORMAT = "%Y-%m-%d"  # what <input type="date"> sends and expects


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format=DATE_FORMAT, **kwargs)


def _web_addresses_default_to_https(model_field, **kwargs):
    # Django 6 makes https the default scheme for typed addresses; take it now.
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class ProjectForm(forms.ModelForm):
    """Create or edit a project.

    The phase is chosen once, at creation; afterwards it moves only along the
    allowed steps (``services.change_phase``), so the edit form leaves it out.
    """

    language = language_form_field(
        label=_("Language of the texts"),
        help_text=_("The language of the title, summary and description."),
    )

    class Meta:
        model = Project
        formfield_callback = _web_addresses_default_to_https
        fields = [
            "title",
            "summary",
            "description",
            "language",
            "title_en",
            "summary_en",
            "department",
            "topics",
            "phase",
            "starts_on",
            "ends_on",
            "is_internal",
            "internal_reason",
            "open_for_participation",
            "external_participation_url",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3, "maxlength": SUMMARY_MAX_LENGTH}),
            "summary_en": forms.Textarea(attrs={"rows": 3, "maxlength": SUMMARY_MAX_LENGTH}),
            "description": forms.Textarea(attrs={"rows": 10}),
            "topics": forms.CheckboxSelectMultiple,
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "internal_reason": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "department": _("Needed before the project can be published."),
            "internal_reason": _("Required for internal projects; the public sees it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["phase"]
        self.fields["department"].queryset = self._department_choices()
        self.fields["department"].empty_label = _("– no department yet –")
        self.fields["topics"].queryset = Topic.objects.all()

    def _department_choices(self):
        """Active departments, plus the current one even if it was since deactivated."""
        active = Department.objects.active()
        if self.instance.department_id:
            return active | Department.objects.filter(pk=self.instance.department_id)
        return active

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        if cleaned.get("is_internal") and not cleaned.get("internal_reason", "").strip():
            self.add_error(
                "internal_reason", _("Say why the project is internal: the public sees the reason.")
            )
        self._clean_english_texts(cleaned)
        return cleaned

    def _clean_english_texts(self, cleaned):
        """An English summary needs an English title; an English project needs neither.

        English readers would otherwise see a German title over an English summary.
        """
        title_en, summary_en = cleaned.get("title_en", ""), cleaned.get("summary_en", "")
        if cleaned.get("language") == "en":
            for field, value in (("title_en", title_en), ("summary_en", summary_en)):
                if value:
                    self.add_error(
                        field,
                        _(
                            "The project is written in English already: leave this field empty, "
                            "or choose German as its language."
                        ),
                    )
        elif summary_en and not title_en and "title_en" not in self.errors:
            self.add_error("title_en", _("An English summary needs an English title too."))


class RoleForm(forms.ModelForm):
    """A role for employees (with weekly hours) or for the public (with a kind of participation).

    ``clean`` makes the fields agree with the audience, so the database
    constraint ``role_fields_match_audience`` never has to refuse a save.
    """

    language = language_form_field(label=_("Language of the texts"))

    class Meta:
        model = Role
        fields = [
            "title",
            "description",
            "language",
            "audience",
            "seats",
            "hours_per_week",
            "auto_accept",
            "public_kind",
            "skills",
            "is_open",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "audience": forms.RadioSelect,
            "skills": forms.CheckboxSelectMultiple,
        }
        labels = {"is_open": _("Open for claims and applications")}
        help_texts = {"public_kind": _("Public roles only.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = Skill.objects.all()
        self.fields["public_kind"].choices = [
            ("", _("– only for public roles –")),
            *Role.PublicKind.choices,
        ]

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience")
        if audience == Role.Audience.EMPLOYEES:
            self._clean_employee_role(cleaned)
        elif audience == Role.Audience.PUBLIC:
            self._clean_public_role(cleaned)
        return cleaned

    def _clean_employee_role(self, cleaned):
        # The kind of participation means nothing for employees: dropped, not refused,
        # because without JavaScript both groups of fields are always on screen.
        cleaned["public_kind"] = ""
        if cleaned.get("hours_per_week") is None and "hours_per_week" not in self.errors:
            self.add_error("hours_per_week", _("Say how many hours a week the role takes."))

    def _clean_public_role(self, cleaned):
        cleaned["auto_accept"] = False
        if cleaned.get("hours_per_week") is not None:
            self.add_error(
                "hours_per_week", _("Public roles have no weekly hours: leave this field empty.")
            )
        if not cleaned.get("public_kind"):
            self.add_error("public_kind", _("Choose how the public takes part in this role."))


class StatusChangeForm(forms.Form):
    """Any known status; whether the project may move there is for the service to say."""

    status = forms.ChoiceField(
        label=_("New status"),
        choices=ProjectStatus.choices,
        error_messages={
            "required": _("Choose a status."),
            "invalid_choice": _("“%(value)s” is not a status a project can have."),
        },
    )
    # Sent by the confirmation page: a final status is set only once this is ticked.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class PhaseChangeForm(forms.Form):
    phase = forms.ChoiceField(
        label=_("New phase"),
        choices=Phase.choices,
        error_messages={
            "required": _("Choose a phase."),
            "invalid_choice": _("“%(value)s” is not a phase a project can have."),
        },
    )


class ProjectUpdateForm(forms.ModelForm):
    """An update for the project's timeline; offers the step to the next phase where there is one."""

    move_to_next_phase = forms.BooleanField(required=False)

    language = language_form_field()

    class Meta:
        model = ProjectUpdate
        fields = ["title", "text", "language"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 8, "maxlength": UPDATE_TEXT_MAX_LENGTH}),
        }

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        target = next_phase_after(project.phase)
        if target:
            self.fields["move_to_next_phase"].label = _(
                "With this update, move the project to the next phase: “%(phase)s”"
            ) % {"phase": Phase(target).label}
        else:
            del self.fields["move_to_next_phase"]
