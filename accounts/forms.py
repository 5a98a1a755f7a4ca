from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class AdminUserCreationForm(forms.ModelForm):
    """Administrators create people without a password; the person sets one by invitation."""

    class Meta:
        model = User
        fields = ["email", "display_name", "kind", "department", "weekly_hours"]

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
