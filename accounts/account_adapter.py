"""django-allauth in the portal's name.

allauth signs its emails with the current site, which without ``django.contrib.sites``
is the host the request used ("Hello from 127.0.0.1:8104!"). The portal's emails
name the portal and the address it is published at instead.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.translation import gettext


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        context = {
            **context,
            "portal_name": gettext("Projektmarktplatz Berlin"),
            "portal_url": settings.SITE_URL + "/",
        }
        super().send_mail(template_prefix, email, context)
