"""{{ text|highlight:keywords }}: the text escaped, then each keyword wrapped in <mark>. User text is
never marked safe before it is escaped, so hostile text stays text."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def highlight(text, keywords):
    words = sorted({str(k) for k in (keywords or []) if str(k).strip()}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    parts, last = [], 0
    source = str(text)
    for match in pattern.finditer(source):
        parts.append(escape(source[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(source[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


@register.filter
def percent(value):
    try:
        return f"{float(value) * 100:.0f}%"
    except (TypeError, ValueError):
        return ""
