"""Single sign-on adapter (see config/single_sign_on.py for the configuration)."""

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    pass
