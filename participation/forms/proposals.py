"""Forms for proposals. They validate; ``participation.services.proposals`` writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.content_language import language_form_field
from accounts.models import Topic
from participation.models import (
    PROPOSAL_TEXT_MAX_LENGTH,
    PUBLIC_REASON_MAX_LENGTH,
    Proposal,
    ProposalStatus,
)


class ProposalForm(forms.ModelForm):
    language = language_form_field()

    class Meta:
        model = Proposal
        fields = ["title", "topic", "problem", "idea", "beneficiaries", "language"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 6, "maxlength": PROPOSAL_TEXT_MAX_LENGTH})
            for name in ["problem", "idea", "beneficiaries"]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].empty_label = _("– choose a topic –")


SORT_CHOICES = [
    ("newest", _("Newest first")),
    ("supported", _("Most supported first")),
]
SORT_ORDERS = {
    "newest": ["-created_at", "-id"],
    "supported": ["-support_count", "-created_at", "-id"],
}


class ProposalFilterForm(forms.Form):
    """The GET form above the proposal list; a bad value is named, not silently dropped."""

    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *ProposalStatus.choices],
        required=False,
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def filter(self, proposals):
        """The proposals that match the valid filters, in the chosen order."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("topic"):
            proposals = proposals.filter(topic=data["topic"])
        if data.get("status"):
            proposals = proposals.filter(status=data["status"])
        return proposals.order_by(*SORT_ORDERS[data.get("sort") or "newest"])


class SupportForm(forms.Form):
    """An explicit action, so that a double submit cannot toggle the support back off."""

    action = forms.ChoiceField(choices=[("support", "support"), ("withdraw", "withdraw")])


class ProposalReviewForm(forms.Form):
    """Any status is accepted here; whether the step is allowed is the service's to say (400)."""

    status = forms.ChoiceField(label=_("New status"), choices=ProposalStatus.choices)
    reason = forms.CharField(
        label=_("Public reason"),
        max_length=PUBLIC_REASON_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": PUBLIC_REASON_MAX_LENGTH}),
        help_text=_("Shown on the proposal page. Required when you decline the proposal."),
    )

    def __init__(self, *args, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        if proposal is not None:
            # Offer only the steps the transition table allows from here. Only the widget
            # narrows: the field still accepts any status, so a forged step reaches the
            # service and is refused there with a 400.
            allowed = proposal.allowed_statuses()
            self.fields["status"].widget.choices = [
                choice for choice in ProposalStatus.choices if choice[0] in allowed
            ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == ProposalStatus.DECLINED and not cleaned.get("reason"):
            self.add_error("reason", _("Please give a public reason for declining the proposal."))
        return cleaned
