"""Mark content with the language it is written in (WCAG 3.1.2); loadable by every layer.

``{{ project|marked:"title" }}`` prints what a reader of this page sees of a field
(a project's English title for English readers, where it has one), in a
``<span lang>`` when that is not the page's language; ``{{ project|shown:"title" }}``
prints the same text unmarked, for ``<title>`` and attributes; ``<div{{ comment|lang_attr }}>``
marks an element that holds a whole record's text.
"""

from django import template
from django.utils.safestring import SafeString

from accounts.content_language import LocalisedText, lang_attribute, page_language

register = template.Library()


def _localised(content, field: str) -> LocalisedText:
    if hasattr(content, "text_for"):
        return content.text_for(field, page_language())
    language = getattr(content, "language", "") or page_language()
    return LocalisedText(str(getattr(content, field, "") or ""), language)


@register.filter
def marked(content, field: str) -> SafeString:
    """The field's text, escaped, in a ``<span lang>`` when its language is not the page's."""
    return _localised(content, field).html


@register.filter
def shown(content, field: str) -> str:
    """The field's text as the reader sees it, without markup (autoescaped as usual)."""
    return _localised(content, field).text


@register.filter
def lang_of(content, field: str) -> SafeString:
    """`` lang="…"`` for an element holding just that field, when it is not the page's."""
    return _localised(content, field).lang_attr


@register.filter
def lang_attr(content) -> SafeString:
    """`` lang="de"`` for a record (or a language code) whose language is not the page's.

    ``<p{{ comment|lang_attr }}>{{ comment.body }}</p>``
    """
    language = content if isinstance(content, str) else getattr(content, "language", "")
    return lang_attribute(language)
