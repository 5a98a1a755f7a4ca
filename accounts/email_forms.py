"""allauth's "add an email address" form, keeping the administration's addresses for staff.

Public sign-up already refuses them (``accounts.forms``); without this form a citizen
could still add an employee's address to their own account and hold it before the
employee first signs in by single sign-on. A module of its own, because allauth's forms
import ``accounts.forms`` (the sign-up form class) and would import themselves back.
"""

from allauth.account.forms import AddEmailForm
from django import forms
from django.utils.translation import gettext as _

from accounts.single_sign_on import is_employee_email, single_sign_on_name


class PortalAddEmailForm(AddEmailForm):
    def clean_email(self) -> str:
        email = super().clean_email()
        if is_employee_email(email) and not self.user.is_employee:
            raise forms.ValidationError(
                _(
                    "This is an address of the administration: it belongs to an employee "
                    "account, which is made by signing in with %(name)s."
                )
                % {"name": single_sign_on_name()}
            )
        return email
