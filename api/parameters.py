"""The query parameters of the API, declared for OpenAPI and read the portal's way.

Numbers are declared as strings of ASCII digits and read by
``accounts.query_numbers``, like every numeric parameter of the portal: "١٢",
" 12", "+3" or "1_000" are refused, never guessed at.
"""

from enum import Enum

from django.http import QueryDict
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field

from accounts.models import MAX_WEEKLY_HOURS, MIN_WEEKLY_HOURS
from accounts.query_numbers import MAX_DIGITS, parse_whole_number
from marketplace.filters import SEARCH_MAX_LENGTH
from marketplace.models import Phase, ProjectStatus, Role

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
DIGITS = f"^[0-9]{{1,{MAX_DIGITS}}}$"
NO_NULL_CHARACTER = r"^[^\x00]*$"  # PostgreSQL text cannot hold one


def one_of_numbers(lowest: int, highest: int) -> str:
    """A pattern for exactly the whole numbers from ``lowest`` to ``highest``, in plain digits.

    The description then says precisely what is accepted, so any value that keeps
    to it gets an answer, never a 400.
    """
    return "^(" + "|".join(str(number) for number in range(lowest, highest + 1)) + ")$"


SLUG = "^[-a-zA-Z0-9_]+$"  # as Django's slug path converter
HOURS = one_of_numbers(MIN_WEEKLY_HOURS, MAX_WEEKLY_HOURS)
# Drafts are never public: the status filter offers the others only.
PublicStatus = Enum(  # type: ignore[misc]
    "PublicStatus",
    {value: value for value in ProjectStatus.values if value != ProjectStatus.DRAFT},
    type=str,
)


class BadParameter(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__(errors)
        self.errors = errors

    @classmethod
    def from_form(cls, form):
        return cls(
            [
                {"parameter": name, "detail": str(message)}
                for name, messages in form.errors.items()
                for message in messages
            ]
        )


def _number(name: str, text: str | None, lowest: int, highest: int | None = None) -> int | None:
    if text is None:
        return None
    number = parse_whole_number(text)
    if number is None or number < lowest or (highest is not None and number > highest):
        bound = f"{lowest}–{highest}" if highest is not None else f"≥ {lowest}"
        detail = _("A whole number is expected (%(bound)s).") % {"bound": bound}
        raise BadParameter([{"parameter": name, "detail": detail}])
    return number


class ListParameters(Schema):
    after: str | None = Field(
        None,
        pattern=DIGITS,
        description="The id of the last record of the previous page; the next page follows it.",
    )
    limit: str | None = Field(
        None,
        pattern=one_of_numbers(1, MAX_LIMIT),
        description=f"Records per page, 1 to {MAX_LIMIT}; {DEFAULT_LIMIT} when left out.",
    )

    def numbers(self) -> tuple[int | None, int]:
        after = _number("after", self.after, 0)
        limit = _number("limit", self.limit, 1, MAX_LIMIT)
        return after, DEFAULT_LIMIT if limit is None else limit


class ProjectFilters(Schema):
    """The filters of the browse page; they combine, and several statuses widen the list."""

    q: str | None = Field(
        None,
        max_length=SEARCH_MAX_LENGTH,
        pattern=NO_NULL_CHARACTER,
        description="Words to search for (German stemming).",
    )
    status: list[PublicStatus] | None = Field(None, description="One status or several.")
    department: str | None = Field(
        None, pattern=DIGITS, description="Id of a department; its sub-departments count too."
    )
    topic: str | None = Field(None, pattern=DIGITS, description="Id of a topic.")
    skill: str | None = Field(None, pattern=DIGITS, description="Id of a skill an open role asks.")
    phase: Phase | None = Field(None, description="Design-thinking phase.")
    roles: Role.Audience | None = Field(
        None, description="Projects with open roles for employees or for the public."
    )
    hours_min: str | None = Field(
        None,
        pattern=HOURS,
        description=f"An open employee role of at least this many hours a week "
        f"({MIN_WEEKLY_HOURS}–{MAX_WEEKLY_HOURS}).",
    )
    hours_max: str | None = Field(
        None, pattern=HOURS, description="An open employee role of at most this many hours."
    )

    def as_query_dict(self) -> QueryDict:
        """The values as the browse form reads them from a query string."""
        data = QueryDict(mutable=True)
        for name, value in self.model_dump(mode="json", exclude_none=True).items():
            data.setlist(name, value if isinstance(value, list) else [value])
        return data


ID_FILTERS = ("department", "topic", "skill")


def nothing_can_match(filters: ProjectFilters, form) -> bool:
    """Whether the form's only complaints are values that keep to the description but match
    nothing: an id that names no department, topic or skill, or hours from above to below.

    The answer to those is an empty list, as for any other filter that finds nothing.
    """
    crossed = bool(filters.hours_min and filters.hours_max) and int(filters.hours_min or 0) > int(
        filters.hours_max or 0
    )
    for name, errors in form.errors.as_data().items():
        for error in errors:
            if name in ID_FILTERS and error.code == "invalid_choice":
                continue
            if name == "hours_max" and crossed:
                continue
            return False
    return True
