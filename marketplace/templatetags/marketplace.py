from django import template

from marketplace.formatting import render_description
from marketplace.permissions import sees_full_project

register = template.Library()

register.filter("description", render_description)


@register.filter
def fully_visible_to(project, user) -> bool:
    return sees_full_project(user, project)


@register.simple_tag(takes_context=True)
def project_section(context, section):
    """Render a section another app registered (``marketplace.project_sections``) in place.

    Like ``{% include section.template %}``, with the section's own context on
    top of the page's, so the section's template needs no knowledge of this page
    (``{% include ... with %}`` takes single names only, not a context).
    """
    included = context.template.engine.get_template(section.template)
    with context.push(section.context):
        return included.render(context)
