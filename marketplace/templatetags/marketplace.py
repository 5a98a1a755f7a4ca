from django import template

from marketplace.formatting import render_description
from marketplace.permissions import can_edit_project, sees_full_project

register = template.Library()

register.filter("description", render_description)


@register.filter
def editable_by(project, user) -> bool:
    return can_edit_project(user, project)


@register.filter
def fully_visible_to(project, user) -> bool:
    return sees_full_project(user, project)
