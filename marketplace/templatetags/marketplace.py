from django import template

from marketplace.permissions import sees_full_project
from marketplace.text import render_markdown

register = template.Library()

# Descriptions, updates and proposals in a safe subset of Markdown (``marketplace.text``).
register.filter("markdown", render_markdown)


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


# Parameters of the browse page that only search, sort or page: they do not filter.
NOT_FILTERS = {"q", "sort", "page"}


@register.filter
def has_filters(query) -> bool:
    """Whether the browse page's query sets a filter (its disclosure then starts open)."""
    return any(value for key in query if key not in NOT_FILTERS for value in query.getlist(key))
