"""Texts people write (descriptions, updates, proposals) in a small, safe part of Markdown.

Paragraphs, line breaks, lists, links, emphasis and inline code; nothing else.
Raw HTML is never parsed (it shows as typed), images, headings, quotes and
code blocks stay plain text, and the HTML that comes out is cleaned once more
against an allowlist of tags and URL schemes: the parser and the sanitiser
each alone keep ``<script>`` and ``javascript:`` out.

Feeds and open data carry the same text without any markup (``plain_text``).
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

# "zero" switches every rule off; only these are switched back on.
RULES = [
    "list",
    "emphasis",
    "link",
    "autolink",
    "linkify",
    "backticks",
    "newline",
    "escape",
    "entity",
]
ALLOWED_TAGS = {"p", "ul", "ol", "li", "a", "em", "strong", "code", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Links lead off the site: search engines get no endorsement, the new page no opener.
LINK_REL = "nofollow noopener"
BLOCK_ENDS = {"paragraph_close", "bullet_list_close", "ordered_list_close"}
BULLET = "•"  # not a Markdown list marker, so plain text reads as text everywhere

_markdown = MarkdownIt("zero", {"html": False, "breaks": True, "linkify": True}).enable(RULES)


def render_markdown(text: str) -> SafeString:
    """The text as sanitised HTML."""
    html = _markdown.render(text or "")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 against the allowlist above


def plain_text(text: str) -> str:
    """The text without markup: paragraphs apart, a line per list item, links as "text (url)"."""
    lines: list[str] = []
    lists: list[int | None] = []  # per open list, its next number (None for bullets)
    marker = ""
    for token in _markdown.parse(text or ""):
        if token.type == "bullet_list_open":
            lists.append(None)
        elif token.type == "ordered_list_open":
            lists.append(int(token.attrGet("start") or 1))
        elif token.type == "list_item_open":
            marker = _item_marker(lists)
        elif token.type == "inline":
            lines.append(marker + _inline_text(token.children or []))
            marker = ""
        elif token.type in {"bullet_list_close", "ordered_list_close"}:
            lists.pop()
        if token.type in BLOCK_ENDS and not lists:
            lines.append("")  # a blank line between top-level blocks
    return "\n".join(lines).strip()


def _item_marker(lists: list) -> str:
    indent = "  " * (len(lists) - 1)
    if lists[-1] is None:
        return f"{indent}{BULLET} "
    number = lists[-1]
    lists[-1] += 1
    return f"{indent}{number}. "


def _inline_text(children: list[Token]) -> str:
    parts, href, link_start = [], None, 0
    for child in children:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append("\n")
        elif child.type == "link_open":
            href, link_start = str(child.attrGet("href") or ""), len(parts)
        elif child.type == "link_close" and href is not None:
            label = "".join(parts[link_start:])
            # An address written out (or an email autolink) is not repeated.
            if href and not href.removeprefix("mailto:").endswith(label):
                parts.append(f" ({href})")
            href = None
    return "".join(parts)
