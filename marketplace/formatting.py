"""The small, safe formatting of project descriptions: paragraphs, lists and links.

Descriptions are stored as plain text. They are escaped first, so no HTML
typed by anyone ever reaches the page; only the structure below is added.
"""

import re

from django.utils.html import escape, urlize
from django.utils.safestring import SafeString, mark_safe

BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")


def _inline(text: str) -> str:
    """Escape, then turn web addresses into links that leave the site safely."""
    return urlize(escape(text), nofollow=True, autoescape=False)


def _item_text(pattern: re.Pattern[str], line: str) -> str:
    match = pattern.match(line)
    assert match is not None, "called for list lines only"
    return match[1]


def _block_to_html(lines: list[str]) -> str:
    if all(BULLET.match(line) for line in lines):
        items = "".join(f"<li>{_inline(_item_text(BULLET, line))}</li>" for line in lines)
        return f"<ul>{items}</ul>"
    if all(NUMBERED.match(line) for line in lines):
        items = "".join(f"<li>{_inline(_item_text(NUMBERED, line))}</li>" for line in lines)
        return f"<ol>{items}</ol>"
    return "<p>" + "<br>".join(_inline(line.strip()) for line in lines) + "</p>"


def render_description(text: str) -> SafeString:
    blocks, current = [], []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return mark_safe("".join(_block_to_html(block) for block in blocks))  # noqa: S308 - escaped above
