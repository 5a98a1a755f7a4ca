"""Mark content with the language it is written in (WCAG 3.1.2); loadable by every layer."""

from django import template
from django.utils.safestring import SafeString

from accounts.content_language import LocalisedText, lang_attribute, page_language

register = template.Library()


@register.filter
def lang_attr(content) -> SafeString:
    """`` lang="de"`` for a record (or a language code) whose language is not the page's.

    ``<p{{ comment|lang_attr }}>{{ comment.body }}</p>``
    """
    language = content if isinstance(content, str) else getattr(content, "language", "")
    return lang_attribute(language)


@register.simple_tag
def localised(content, field: str) -> LocalisedText:
    """What a reader of this page sees of ``content.field``, and in which language.

    ``{% localised project "title" as title %}<h1{{ title.lang_attr }}>{{ title.text }}</h1>``;
    ``{{ title.html }}`` gives the text in a ``<span lang>`` when it needs one.
    """
    if hasattr(content, "text_for"):
        return content.text_for(field, page_language())
    return LocalisedText(str(getattr(content, field, "") or ""), "")
