"""`{{ text|highlight:keywords }}`: user text escaped piece by piece, matched keywords wrapped in <mark>.

The text is split in Python on the keywords; every piece (matched or not) goes through `escape()` before
any markup is added, so hostile text stays text. `escape()` is used rather than `conditional_escape()` on
purpose: these filters take raw user text, and a string that arrives marked safe is escaped all the same.
`{{ text|excerpt:keywords }}` cuts a plain-text window around the first keyword (escape it or chain
`highlight` after it).
"""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

EXCERPT_LENGTH = 140


def _words(keywords) -> list[str]:
    if keywords is None:
        return []
    if isinstance(keywords, str):
        keywords = keywords.split()
    try:
        words = {str(k).strip() for k in keywords}
    except TypeError:  # not iterable: a number or some other stray value in the JSON
        return []
    return sorted((w for w in words if w), key=len, reverse=True)  # longest first: 平缝机 before 平缝


def _pattern(words: list[str]):
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


@register.filter
def highlight(text, keywords):
    source = "" if text is None else str(text)
    words = _words(keywords)
    if not words:
        return escape(source)
    parts, last = [], 0
    for match in _pattern(words).finditer(source):
        parts.append(escape(source[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(source[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above went through escape()


@register.filter
def excerpt(text, keywords=None):
    """About EXCERPT_LENGTH characters of plain text, starting a little before the first keyword."""
    source = " ".join(("" if text is None else str(text)).split())
    words = _words(keywords)
    start = 0
    if words:
        match = _pattern(words).search(source)
        if match and match.start() > EXCERPT_LENGTH // 2:
            start = match.start() - 30
    window = source[start : start + EXCERPT_LENGTH]
    return ("…" if start else "") + window + ("…" if start + EXCERPT_LENGTH < len(source) else "")


@register.filter
def percent(value):
    try:
        return f"{float(value) * 100:.0f}%"
    except (TypeError, ValueError):
        return ""
