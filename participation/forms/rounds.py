"""Forms of test and feedback rounds: drafting them, and answering them."""

import datetime
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.content_language import LocalisedText, language_form_field
from participation.forms.retrospectives import DateInput
from participation.models import (
    MAX_OPTIONS,
    OPTION_MAX_LENGTH,
    QuestionKind,
    Round,
    RoundKind,
    RoundTask,
    TaskOutcome,
)
from participation.services.rounds import TaskAnswer

ROUND_LONGEST_DAYS = 366


class RoundForm(forms.ModelForm):
    link = forms.URLField(
        label=_("Link to the prototype"),
        required=False,
        assume_scheme="https",
        help_text=_("Where the testers find the prototype, if it is online."),
    )

    language = language_form_field(label=_("Language of the texts"))

    class Meta:
        model = Round
        fields = [
            "kind",
            "title",
            "description",
            "language",
            "link",
            "access_notes",
            "audience",
            "is_anonymous",
            "closes_on",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "audience": forms.RadioSelect,
            "closes_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "access_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "access_notes": _(
                "For example a test account, or how the prototype works with a screen reader."
            ),
            "is_anonymous": _(
                "The team sees the answers without the names of the people who gave them. "
                "Leave it ticked unless you tell people why you need their names."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = RoundKind.choices

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        today = timezone.localdate()
        if closes_on < today:
            raise forms.ValidationError(_("Choose today or a day to come."))
        if closes_on > today + datetime.timedelta(days=ROUND_LONGEST_DAYS):
            raise forms.ValidationError(_("A round is open for a year at most."))
        return closes_on


class TaskForm(forms.ModelForm):
    class Meta:
        model = RoundTask
        fields = ["title", "instructions"]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 3})}
        labels = {"title": _("What the tester should do")}


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=500)
    kind = forms.ChoiceField(
        label=_("Kind of answer"), choices=QuestionKind.choices, widget=forms.RadioSelect
    )
    is_required = forms.BooleanField(label=_("An answer is required"), required=False)
    options = forms.CharField(
        label=_("Options (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only for single and multiple choice: two to twelve options."),
    )

    def clean(self):
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        options = [line.strip() for line in cleaned.get("options", "").splitlines()]
        options = [option for option in options if option]
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            if not 2 <= len(options) <= MAX_OPTIONS:
                self.add_error("options", _("Give two to twelve options, one per line."))
            elif any(len(option) > OPTION_MAX_LENGTH for option in options):
                self.add_error("options", _("An option has 200 characters at most."))
            elif len(set(options)) != len(options):
                self.add_error("options", _("Each option may appear only once."))
        elif options:
            self.add_error("options", _("Only choice questions take options."))
        cleaned["options"] = options
        return cleaned


# --- Answering ---------------------------------------------------------------------------

SUS_STATEMENTS = [
    _("I think that I would like to use this system frequently."),
    _("I found the system unnecessarily complex."),
    _("I thought the system was easy to use."),
    _("I think that I would need the support of a technical person to be able to use this system."),
    _("I found the various functions in this system were well integrated."),
    _("I thought there was too much inconsistency in this system."),
    _("I would imagine that most people would learn to use this system very quickly."),
    _("I found the system very cumbersome to use."),
    _("I felt very confident using the system."),
    _("I needed to learn a lot of things before I could get going with this system."),
]
AGREEMENT_CHOICES = [
    (1, _("1 – strongly disagree")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 – strongly agree")),
]
RATING_CHOICES = [
    (1, _("1 – very poor")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 – very good")),
]
DIFFICULTY_CHOICES = [
    (1, _("1 – very easy")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 – very hard")),
]


def _radio(label, choices, required=True):
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        required=required,
        error_messages={
            "required": _("Please choose one."),
            "invalid_choice": _("Choose one of the values offered."),
        },
    )


class TestResponseForm(forms.Form):
    """Per task: managed it, how hard, what happened; then the ten SUS statements."""

    def __init__(self, *args, tasks, **kwargs):
        super().__init__(*args, **kwargs)
        self.tasks = list(tasks)
        for task in self.tasks:
            prefix = f"task-{task.pk}"
            self.fields[f"{prefix}-outcome"] = forms.ChoiceField(
                label=_("Did you manage it?"),
                choices=TaskOutcome.Outcome.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose one.")},
            )
            self.fields[f"{prefix}-difficulty"] = _radio(_("How hard was it?"), DIFFICULTY_CHOICES)
            self.fields[f"{prefix}-notes"] = forms.CharField(
                label=_("What happened? (optional)"),
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        for number, statement in enumerate(SUS_STATEMENTS, 1):
            self.fields[f"sus-{number}"] = _radio(statement, AGREEMENT_CHOICES)

    def task_groups(self):
        """Each task with its three fields, for one fieldset per task."""
        return [
            (task, [self[f"task-{task.pk}-{name}"] for name in ("outcome", "difficulty", "notes")])
            for task in self.tasks
        ]

    def sus_fields(self):
        return [self[f"sus-{number}"] for number in range(1, len(SUS_STATEMENTS) + 1)]

    def outcomes(self):
        data = self.cleaned_data
        return [
            TaskAnswer(
                task.pk,
                data[f"task-{task.pk}-outcome"],
                data[f"task-{task.pk}-difficulty"],
                data[f"task-{task.pk}-notes"],
            )
            for task in self.tasks
        ]

    def sus_answers(self) -> list[int]:
        return [self.cleaned_data[f"sus-{number}"] for number in range(1, 11)]


class FeedbackResponseForm(forms.Form):
    """One field per question of the questionnaire, required where the question says so."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"question-{question.pk}"] = self._field(question)

    @staticmethod
    def _field(question):
        required = question.is_required
        # The question in the round's language, marked when the page is in another one.
        text = LocalisedText(question.text, question.language).html
        label = (
            text
            if required
            else mark_safe(conditional_escape(_("%(question)s (optional)")) % {"question": text})  # noqa: S308
        )
        if question.kind == QuestionKind.TEXT:
            return forms.CharField(
                label=label,
                required=required,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        if question.kind == QuestionKind.RATING:
            return _radio(label, RATING_CHOICES, required)
        choices = list(enumerate(question.options))
        if question.kind == QuestionKind.SINGLE:
            return _radio(label, choices, required)
        return forms.TypedMultipleChoiceField(
            label=label,
            choices=choices,
            coerce=int,
            required=required,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Please choose at least one."),
                "invalid_choice": _("Choose among the options given."),
            },
        )

    def values(self) -> dict[int, object]:
        return {
            question.pk: self.cleaned_data.get(f"question-{question.pk}")
            for question in self.questions
        }
