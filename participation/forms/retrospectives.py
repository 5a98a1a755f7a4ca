"""Forms for retrospectives, their action items and the anonymous feedback box."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.content_language import language_form_field
from accounts.models import User
from participation.models import ActionItem, Retrospective, TeamFeedback


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RetrospectiveForm(forms.ModelForm):
    language = language_form_field()

    class Meta:
        model = Retrospective
        fields = ["held_on", "iteration", "went_well", "to_improve", "language"]
        widgets = {
            "held_on": DateInput(),
            "went_well": forms.Textarea(attrs={"rows": 6}),
            "to_improve": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"iteration": _("For example “Sprint 12” or “Prototype round 2”.")}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project

    def clean(self):
        cleaned = super().clean()
        iteration, held_on = cleaned.get("iteration"), cleaned.get("held_on")
        existing = Retrospective.objects.filter(
            project=self.project, iteration=iteration, held_on=held_on
        )
        if iteration and held_on and existing.exists():
            raise forms.ValidationError(
                _("This project already has a retrospective of this iteration on this day.")
            )
        return cleaned


class TeamMemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.public_name


class ActionItemForm(forms.ModelForm):
    """The owner must belong to the team: ``team`` is the queryset of its people."""

    owner = TeamMemberChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        empty_label=_("– choose a team member –"),
        error_messages={"invalid_choice": _("Choose a member of this project's team.")},
    )

    class Meta:
        model = ActionItem
        fields = ["text", "owner"]
        labels = {"text": _("Action")}

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team


class TeamFeedbackForm(forms.ModelForm):
    language = language_form_field()

    class Meta:
        model = TeamFeedback
        fields = ["text", "language"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        labels = {"text": _("Your feedback to the leads")}
        help_texts = {
            "text": _(
                "Sent without your name: it is stored without any author, and nobody, "
                "not even administrators, can see who wrote it. Do not sign it if you "
                "want to stay anonymous."
            )
        }
