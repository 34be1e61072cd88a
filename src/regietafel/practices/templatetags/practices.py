import re

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html_join

register = template.Library()

BLANK_LINES = re.compile(r"\n\s*\n")


@register.filter
def paragraphs(text: str):
    """Text as Utrecht paragraphs: a blank line starts a paragraph, a single newline breaks the line."""
    parts = [part.strip() for part in BLANK_LINES.split(text.replace("\r\n", "\n")) if part.strip()]
    return format_html_join(
        "\n",
        '<p class="utrecht-paragraph">{}</p>',
        ((linebreaksbr(part, autoescape=True),) for part in parts),
    )
