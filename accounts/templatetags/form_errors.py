"""Tags of the site frame (base.html) for forms; in accounts, the lowest layer."""

from django import template
from django.forms import BaseForm
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """ "Fehler: " / "Error: " before the page title while a form on the page has errors.

    Looks at every form in the page's context, so no view has to set a flag of its own.
    """
    for value in context.flatten().values():
        # A list of forms too: a page with a form per item (the ideas page) names them so.
        for form in value if isinstance(value, list) else [value]:
            if isinstance(form, BaseForm) and form.is_bound and form.errors:
                return gettext("Error: ")
    return ""
