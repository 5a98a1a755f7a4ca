from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts import audit
from accounts.models import EmailMode, Notification, Topic, User
from accounts.single_sign_on import is_employee_email, single_sign_on_name


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    """Django's, with its warning beside the help text, not a list inside its paragraph
    (invalid HTML), and translated (Django's own is English only)."""

    usable_password_help_text = format_lazy(  # type: ignore[assignment]
        '{} <strong id="id_unusable_warning" class="messagelist">{}</strong>',
        auth_forms.SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


class AdminUserCreationForm(forms.ModelForm):
    """Administrators create people without a password; the person sets one by invitation."""

    class Meta:
        model = User
        fields = [
            "email",
            "display_name",
            "kind",
            "preferred_language",
            "department",
            "weekly_hours",
        ]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("A person with this email address already exists."))
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user


OFFER_FIELDS = {
    "ideas": "offers_ideas",
    "feedback": "offers_feedback",
    "testing": "offers_testing",
}
OFFER_CHOICES = [
    ("ideas", _("Idea giver: I bring ideas")),
    ("feedback", _("Feedback giver: I comment on drafts and results")),
    ("testing", _("Tester: I try out what the teams build")),
]
PARTICIPANT_KINDS = [
    (User.Kind.CITIZEN, _("a person")),
    (User.Kind.ORGANISATION, _("an organisation (company, association, research)")),
]


class ParticipantFieldsMixin(forms.Form):
    """What citizens and organisations tell us about themselves, at sign-up and in settings."""

    kind = forms.ChoiceField(
        label=_("I take part as"), choices=PARTICIPANT_KINDS, widget=forms.RadioSelect
    )
    organisation_name = forms.CharField(
        label=_("Name of the organisation"), max_length=200, required=False
    )
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"),
        choices=[("", _("– please choose –")), *User.OrganisationType.choices],
        required=False,
    )
    offers = forms.MultipleChoiceField(
        label=_("What I offer"),
        choices=OFFER_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one way to take part.")},
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics I am interested in"),
        queryset=Topic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == User.Kind.ORGANISATION:
            if not cleaned.get("organisation_name", "").strip():
                self.add_error("organisation_name", _("Please give the name of your organisation."))
            if not cleaned.get("organisation_type"):
                self.add_error(
                    "organisation_type", _("Please choose the type of your organisation.")
                )
        return cleaned

    def apply_participant_fields(self, user) -> None:
        data = self.cleaned_data
        user.kind = data["kind"]
        is_organisation = user.kind == User.Kind.ORGANISATION
        user.organisation_name = data["organisation_name"].strip() if is_organisation else ""
        user.organisation_type = data["organisation_type"] if is_organisation else ""
        for offer, field_name in OFFER_FIELDS.items():
            setattr(user, field_name, offer in data["offers"])


class ParticipantSignupForm(ParticipantFieldsMixin):
    """The extra fields of the public sign-up (allauth's ``ACCOUNT_SIGNUP_FORM_CLASS``).

    Only citizens and organisations sign up here: employees are created by
    administrators or arrive through single sign-on.
    """

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=100,
        help_text=_("Shown next to what you write. It does not need to be your full name."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES, initial="de"
    )
    privacy_consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that my data is processed as described there."
        ),
        error_messages={"required": _("Please agree to the privacy notice to sign up.")},
    )

    field_order = [
        "email",
        "display_name",
        "password1",
        "password2",
        "kind",
        "organisation_name",
        "organisation_type",
        "offers",
        "topics",
        "preferred_language",
        "privacy_consent",
    ]

    def clean(self):
        cleaned = super().clean()
        # The administration's addresses are kept for single sign-on: whoever signed
        # up with one first would otherwise hold an employee's address.
        if is_employee_email(cleaned.get("email")):
            self.add_error(
                "email",
                _(
                    "This is an address of the administration. Employees do not sign up "
                    "here: please sign in with %(name)s on the sign-in page."
                )
                % {"name": single_sign_on_name()},
            )
        return cleaned

    def signup(self, request, user) -> None:
        """Called by allauth after it created ``user`` from email and password."""
        self.apply_participant_fields(user)
        user.display_name = self.cleaned_data["display_name"].strip()
        user.preferred_language = self.cleaned_data["preferred_language"]
        user.privacy_consent_at = timezone.now()
        user.privacy_notice_version = settings.PRIVACY_NOTICE_VERSION
        user.save()
        user.topics.set(self.cleaned_data["topics"])
        audit.record(user, "account.signed_up", user, kind=user.kind)


class EmployeeProfileForm(forms.ModelForm):
    """What employees keep up to date themselves; department and kind are set by administrators."""

    class Meta:
        model = User
        fields = [
            "display_name",
            "preferred_language",
            "weekly_hours",
            "skills",
            "interests",
            "bio",
        ]
        widgets = {
            "skills": forms.CheckboxSelectMultiple,
            "interests": forms.CheckboxSelectMultiple,
            "bio": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].required = True
        self.fields["weekly_hours"].widget.attrs.update({"min": 1, "max": 60})


class ParticipantProfileForm(ParticipantFieldsMixin):
    """What citizens and organisations keep up to date themselves."""

    display_name = forms.CharField(label=_("Display name"), max_length=100)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES
    )
    bio = forms.CharField(
        label=_("About me"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, instance: User, **kwargs):
        self.instance = instance
        kwargs.setdefault("initial", self.initial_from(instance))
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_from(user: User) -> dict:
        return {
            "display_name": user.display_name,
            "preferred_language": user.preferred_language,
            "bio": user.bio,
            "kind": user.kind,
            "organisation_name": user.organisation_name,
            "organisation_type": user.organisation_type,
            "offers": [offer for offer, field in OFFER_FIELDS.items() if getattr(user, field)],
            "topics": list(user.topics.all()),
        }

    def save(self) -> User:
        user = self.instance
        self.apply_participant_fields(user)
        user.display_name = self.cleaned_data["display_name"].strip()
        user.preferred_language = self.cleaned_data["preferred_language"]
        user.bio = self.cleaned_data["bio"]
        user.save()
        user.topics.set(self.cleaned_data["topics"])
        return user


def profile_form_for(user: User, data=None):
    if user.is_employee:
        return EmployeeProfileForm(data, instance=user)
    return ParticipantProfileForm(data, instance=user)


class NotificationPreferencesForm(forms.Form):
    """One choice per notification kind: email immediately, in the daily digest, or not at all.

    In-app notifications cannot be switched off, so the form only asks about email.
    """

    def __init__(self, *args, current: dict[str, str], kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind] = forms.ChoiceField(
                label=Notification.Kind(kind).label,
                choices=EmailMode.choices,
                initial=current[kind],
                widget=forms.RadioSelect,
            )

    def clean(self):
        # A choice for a kind that never reaches this person is a tampered form.
        not_offered = (set(self.data) & set(Notification.Kind.values)) - set(self.fields)
        if not_offered:
            raise forms.ValidationError(
                _("This kind of notification does not reach you."), code="not_offered"
            )
        return super().clean()


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"))
