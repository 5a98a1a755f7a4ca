"""The language people write content in, so pages can mark it (WCAG 3.1.2, language of parts).

Content of every app records its language with the ``WrittenContent`` abstract model;
forms offer ``language_form_field``; templates mark it with the ``content_language``
tag library. In accounts, the lowest layer, so every app and the site frame may use it.
"""

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# What people write in unless they say otherwise: the administration's language.
DEFAULT_CONTENT_LANGUAGE = "de"


def language_field() -> models.CharField:
    """The ``language`` column of written content: one of settings.LANGUAGES, German first."""
    return models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=DEFAULT_CONTENT_LANGUAGE,
        help_text=_("The language the text is written in."),
    )


def page_language() -> str:
    """The language of the page being rendered: the active one, reduced to its base code."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


@dataclass(frozen=True)
class LocalisedText:
    """A text and the language it is written in, as a reader of ``page_language`` sees it."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text

    @property
    def differs(self) -> bool:
        """Whether the text's language is not the page's: only then is it marked."""
        return self.lang != page_language()

    @property
    def lang_attr(self) -> SafeString:
        """`` lang="de"`` to put inside an element's start tag, or nothing."""
        return lang_attribute(self.lang)

    @property
    def html(self) -> SafeString:
        """The text, escaped, in a ``<span lang>`` when its language is not the page's."""
        if self.differs:
            return format_html('<span lang="{}">{}</span>', self.lang, self.text)
        return format_html("{}", self.text)


def lang_attribute(language: str) -> SafeString:
    """`` lang="…"`` when ``language`` is not the page's, else the empty string."""
    if not language or language == page_language():
        return mark_safe("")
    return format_html(' lang="{}"', language)


class WrittenContent(models.Model):
    """Something a person wrote, in one language (German unless they chose otherwise)."""

    language = language_field()

    class Meta:
        abstract = True

    def text_for(self, field: str, language: str | None = None) -> LocalisedText:
        """What a reader in ``language`` sees of ``field``: here always the text as written."""
        return LocalisedText(str(getattr(self, field) or ""), self.language)


class ContentLanguageField(forms.ChoiceField):
    """The labelled choice of the language a text is written in, German preselected.

    A form sent without it (an older page, a script) means German; a value that
    is not a language of the site is a form error, never a 500.
    """

    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Language of your text"))
        kwargs.setdefault(
            "help_text", _("So that screen readers read it out with the right pronunciation.")
        )
        super().__init__(
            choices=settings.LANGUAGES,
            required=False,
            initial=DEFAULT_CONTENT_LANGUAGE,
            error_messages={"invalid_choice": _("Please choose German or English.")},
            **kwargs,
        )

    def clean(self, value):
        return super().clean(value) or DEFAULT_CONTENT_LANGUAGE


def language_form_field(**kwargs) -> ContentLanguageField:
    """``language = language_form_field()`` in every form where people write content."""
    return ContentLanguageField(**kwargs)
