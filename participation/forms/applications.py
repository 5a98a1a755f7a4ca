"""Forms for joining roles and deciding on applications.

Forms validate what people type; ``participation.services`` enforces the rules.
Proposals, comments and retrospectives have their own modules in this package.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Topic
from participation.models import MESSAGE_MAX_LENGTH, DeclineReason


def _text_area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": MESSAGE_MAX_LENGTH})


class ClaimForm(forms.Form):
    """An employee claims a role; above the 75 % target the second step asks to confirm."""

    message = forms.CharField(
        label=_("Message to the project lead (optional)"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=_text_area(),
        help_text=_("For example what you bring to the role or when you can start."),
    )
    # Not required here: the service decides whether a confirmation is needed at all.
    confirmed = forms.BooleanField(
        label=_("I confirm that my department quarter shrinks"), required=False
    )

    def ask_for_confirmation(self) -> None:
        """Show the confirmation box as required once the service asked for it."""
        self.fields["confirmed"].widget.attrs.update(
            {"required": True, "aria-describedby": "confirmation-reason"}
        )


class PublicApplicationForm(forms.Form):
    """A citizen or an organisation offers help; organisations also declare conflicts of interest."""

    message = forms.CharField(
        label=_("Why would you like to help?"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=_text_area(),
        help_text=_(
            "A few sentences are enough: what interests you, and what you know from everyday life "
            "or your work. At most 2,000 characters."
        ),
    )
    conflict_of_interest = forms.CharField(
        label=_("Possible conflicts of interest"),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=_text_area(3),
        help_text=_(
            "Please tell us if your organisation could gain an advantage from this project, for "
            "example because it bids, or plans to bid, for related public contracts. The project "
            "lead sees this and decides openly. Leave it empty if there is nothing to declare."
        ),
    )

    def __init__(self, *args, is_organisation: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_organisation:
            del self.fields["conflict_of_interest"]


class DecisionForm(forms.Form):
    """A lead accepts or declines an application; declining needs a reason."""

    ACCEPT = "accept"
    DECLINE = "decline"

    decision = forms.ChoiceField(
        choices=[(ACCEPT, _("Accept")), (DECLINE, _("Decline"))],
        error_messages={"required": _("Please choose whether to accept or decline.")},
    )
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", ""), *DeclineReason.choices], required=False
    )
    note = forms.CharField(label=_("Explanation"), max_length=MESSAGE_MAX_LENGTH, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") != self.DECLINE:
            return cleaned
        if not cleaned.get("reason"):
            self.add_error("reason", _("Please choose a reason for declining."))
        elif cleaned["reason"] == DeclineReason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", _("Please explain the other reason."))
        return cleaned

    @property
    def accepts(self) -> bool:
        return self.cleaned_data["decision"] == self.ACCEPT


class TopicFilterForm(forms.Form):
    """The topic filter of the participate page; a GET form that works without JavaScript."""

    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
        error_messages={
            "invalid_choice": _("There is no such topic. Please choose one from the list.")
        },
    )
