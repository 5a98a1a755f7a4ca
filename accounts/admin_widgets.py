"""Django admin widgets that the Nu Html Checker passes (issue 18).

Django's autocomplete select writes its empty choice as ``<option value=""></option>``
(an empty option without a label) and leaves it out of a required select altogether,
whose first option must then be a placeholder. ``LabelledAutocompleteMixin`` gives
every single autocomplete select a labelled empty first option; select2 still shows
it as its (empty) placeholder, and a required field still refuses it on saving.
"""

from django.contrib.admin.widgets import AutocompleteSelect
from django.db.models import BLANK_CHOICE_DASH

EMPTY_LABEL = BLANK_CHOICE_DASH[0][1]


class LabelledAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        options = groups[0][1]
        if options and options[0]["value"] == "":
            options[0]["label"] = EMPTY_LABEL
        else:
            options.insert(0, self.create_option(name, "", EMPTY_LABEL, False, 0))
        return groups


class LabelledAutocompleteMixin:
    """For a ModelAdmin or inline: its ``autocomplete_fields`` use the widget above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        autocomplete_fields = self.get_autocomplete_fields(request)  # type: ignore[attr-defined]
        if "widget" not in kwargs and db_field.name in autocomplete_fields:
            kwargs["widget"] = LabelledAutocompleteSelect(
                db_field,
                self.admin_site,  # type: ignore[attr-defined]
                using=kwargs.get("using"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
