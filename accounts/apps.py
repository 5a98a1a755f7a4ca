from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    # Not "Accounts": allauth's email addresses are a section of that name ("Konten") too.
    verbose_name = _("People and departments")
    demo_loader = "accounts.demo.load_people"
