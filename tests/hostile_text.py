"""Hostile text used across the escaping tests: an SQL fragment and markup inside Chinese text.

Each must be stored exactly as typed (parameterised queries, no stripping) and shown escaped."""

from django.utils.html import escape

SQL = "需求'; DROP TABLE demand_need;--"
SCRIPT = "<script>alert(1)</script>测试"
IMG = '<img src=x onerror="alert(1)">企业'

RAW_MARKERS = ("<script>alert(1)</script>", "<img src=x onerror")


def assert_escaped(html: str, *texts: str) -> None:
    """No hostile markup reaches the page raw, and each text is there in its escaped form."""
    for raw in RAW_MARKERS:
        assert raw not in html, raw
    for text in texts:
        assert escape(text) in html, escape(text)
