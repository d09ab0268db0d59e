"""Template filters for the industry and region pickers (reference/_picker.html) and for naming a code."""

from django import template

from reference import selectors
from reference.fields import split_list

register = template.Library()


@register.filter
def industry_chain(code) -> list[str]:
    """3553 → ["C", "35", "355", "3553"]: what the industry picker pre-selects."""
    return selectors.industry_chain(str(code or ""))


@register.filter
def region_chain(code) -> list[str]:
    """3310 → ["33", "3310"]: what the region picker pre-selects."""
    return selectors.region_chain(str(code or ""))


@register.filter
def industry_label(code) -> str:
    """3553 → "3553 缝制机械制造"; the code itself when it names no industry."""
    return selectors.industry_label(str(code or "")) or str(code or "")


@register.filter
def region_label(code) -> str:
    """3310 → "浙江省台州市"; the code itself when it names no region."""
    return selectors.region_label(str(code or "")) or str(code or "")


@register.filter
def industry_labels(value) -> list[tuple[str, str]]:
    """A field's codes by name: "3553, 3584" → [(code, "3553 缝制机械制造"), …]; an unknown code as it is."""
    return [(code, selectors.industry_label(code) or code) for code in split_list(str(value or ""))]


@register.filter
def region_labels(value) -> list[tuple[str, str]]:
    """A field's regions by name: "331002, 331000" → [(code, "浙江省台州市椒江区"), …]; unknown as it is."""
    return [(code, selectors.region_label(code) or code) for code in split_list(str(value or ""))]
