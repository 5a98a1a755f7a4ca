"""Forms of open questions, ideas and the team's answers to them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.content_language import language_form_field
from participation.models import ANSWER_STATUSES, Idea, IdeaQuestion, IdeaStatus


class IdeaQuestionForm(forms.ModelForm):
    language = language_form_field()

    class Meta:
        model = IdeaQuestion
        fields = ["title", "description", "language", "audience"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "audience": forms.RadioSelect,
        }
        labels = {"title": _("Open question")}
        help_texts = {"title": _("For example “How could we reach people without internet?”")}


class IdeaForm(forms.ModelForm):
    language = language_form_field()

    class Meta:
        model = Idea
        fields = ["title", "text", "language"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        labels = {"title": _("Your idea in a few words"), "text": _("Describe your idea")}


class IdeaAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[(status, IdeaStatus(status).label) for status in ANSWER_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the answers offered.")},
    )
    reason = forms.CharField(
        label=_("Public reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to everyone with the idea: what you do with it, and why."),
    )


class SupportForm(forms.Form):
    action = forms.ChoiceField(choices=[("support", "support"), ("withdraw", "withdraw")])
