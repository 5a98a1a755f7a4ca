"""Forms for comments and their moderation. They validate; the comment services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.content_language import language_form_field
from participation.models import COMMENT_MAX_LENGTH, MODERATION_REASON_MAX_LENGTH


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_LENGTH}),
        help_text=_("At most 5000 characters. Please stay respectful and on topic."),
        error_messages={"required": _("Please write something before you post the comment.")},
    )
    language = language_form_field()


class CommentReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should a moderator look at this comment?"),
        max_length=MODERATION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MODERATION_REASON_MAX_LENGTH}),
        error_messages={"required": _("Please say why you report this comment.")},
    )


class CommentModerationForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"), choices=[("hide", _("Hide")), ("restore", _("Show again"))]
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MODERATION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MODERATION_REASON_MAX_LENGTH}),
        help_text=_("When you hide the comment, its author is told this reason."),
        error_messages={"required": _("Please give a reason for your decision.")},
    )
