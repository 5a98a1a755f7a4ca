"""Whole numbers from a query string: ASCII digits only, and not too many of them.

``int()`` takes far more than a URL should carry: "١٢" (Arabic-Indic digits), " 12 ",
"1_000", "+3"; and it raises past 4,300 digits. Every numeric query parameter of every
page and dataset is read here, so a bad value gets a 400 or a 404, never a 500 and
never a silent guess. It sits in the lowest app so that every layer can use it.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Page, Paginator
from django.http import Http404

DIGITS = re.compile(r"[0-9]+")
SIGNED_DIGITS = re.compile(r"-?[0-9]+")
# 18 digits stay below 2**63: such a number fits every integer column of the database.
MAX_DIGITS = 18


def is_whole_number(text) -> bool:
    """Whether ``text`` is ASCII digits only, however many."""
    return isinstance(text, str) and DIGITS.fullmatch(text) is not None


def parse_whole_number(text) -> int | None:
    """``text`` as a whole number of at most 18 ASCII digits; None for anything else."""
    if is_whole_number(text) and len(text) <= MAX_DIGITS:
        return int(text)
    return None


def page_or_none(paginator: Paginator, text: str | None) -> Page | None:
    """The page ``text`` names (the first when absent or empty); None when there is none.

    A number of more than 18 digits is well formed but beyond every page.
    """
    number = 1 if text in (None, "") else parse_whole_number(text)
    if number is None:
        return None
    try:
        return paginator.page(number)
    except EmptyPage:
        return None


def page_or_404(paginator: Paginator, text: str | None) -> Page:
    page = page_or_none(paginator, text)
    if page is None:
        raise Http404
    return page


class WholeNumberField(forms.IntegerField):
    """An ``IntegerField`` that takes ASCII digits only, and a minus (for its bound's message).

    No plus, spaces, separators or fractions; at most 18 digits.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if not (
            isinstance(value, str)
            and SIGNED_DIGITS.fullmatch(value)
            and len(value.lstrip("-")) <= MAX_DIGITS
        ):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(value)


def reject_malformed_id(field: forms.ModelChoiceField, value) -> None:
    """For choice fields keyed by id: ``int()`` would read "١٢" as the id 12."""
    if value not in field.empty_values and parse_whole_number(str(value)) is None:
        raise ValidationError(
            field.error_messages["invalid_choice"],
            code="invalid_choice",
            params={"value": value},
        )
