"""Read-only lookups in the reference taxonomies.

``*_get`` return the row or ``None``; ``*_find`` return a queryset: the exact-name matches when there are
any, otherwise the rows whose name contains the text (broadest level first, then by code); ``*_ancestors``
return the parent chain nearest first (not including the row itself), e.g. 3511 → [351, 35, C].
Functions that take a row also take its code.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from reference.models import Discipline, Industry, Region

EARTH_RADIUS_KM = 6371.0088
INDUSTRY_CODE = re.compile(r"^(?:[A-Ta-t]|\d{2,4})$")
REGION_CODE = re.compile(r"^(?:\d{2}|\d{4}|\d{6})$")
DISCIPLINE_CODE = re.compile(r"^[A-Za-z]{1,3}\d{0,8}$")

# code → (code, parent code, …, 门类 letter). The standard does not change while a process runs; the
# loaders clear this whenever they run, and a code that is not found is never cached.
_industry_chains: dict[str, tuple[str, ...]] = {}


def clear_caches() -> None:
    _industry_chains.clear()


def _find(queryset: QuerySet, name: str) -> QuerySet:
    name = (name or "").strip()
    if not name:
        return queryset.none()
    exact = queryset.filter(name=name)
    if exact.exists():
        return exact
    return queryset.filter(name__contains=name).order_by("level", "code")


def _chain(obj) -> list:
    chain = []
    node = obj.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return chain


# --------------------------------------------------------------------------------------------- industries


def _industry_code(code) -> str:
    if isinstance(code, Industry):
        return code.code
    return str(code or "").strip().upper()


def industry_get(code) -> Industry | None:
    """The industry with this GB/T 4754 code ("C", "35", "351", "3511"), or None."""
    code = _industry_code(code)
    return Industry.objects.filter(code=code).select_related("parent").first() if code else None


def industry_find(name: str, *, level: int | None = None) -> QuerySet:
    """Industries named ``name`` exactly, else those whose name contains it; optionally at one level."""
    queryset = Industry.objects.all() if level is None else Industry.objects.filter(level=level)
    return _find(queryset, name)


def industry_ancestors(industry) -> list[Industry]:
    """The parent chain up to the 门类, nearest first: 3511 → [351 中类, 35 大类, C 门类]."""
    code = _industry_code(industry)
    obj = Industry.objects.select_related("parent__parent__parent").filter(code=code).first()
    return _chain(obj) if obj else []


def _industry_chain(code: str) -> tuple[str, ...] | None:
    chain = _industry_chains.get(code)
    if chain is None:
        obj = Industry.objects.select_related("parent__parent__parent").filter(code=code).first()
        if obj is None:
            return None
        chain = (obj.code, *(a.code for a in _chain(obj)))
        _industry_chains[code] = chain
    return chain


def industry_tree_distance(a_code, b_code) -> int | None:
    """Steps between two industries in the GB/T 4754 tree through their nearest common ancestor.

    0 for the same code, 1 for parent and child, 2 for siblings or grandparent … up to 6 for two 小类 that
    meet only at their 门类; None when they are in different 门类 or a code is unknown.
    """
    a = _industry_chain(_industry_code(a_code))
    b = _industry_chain(_industry_code(b_code))
    if not a or not b:
        return None
    position_in_b = {code: i for i, code in enumerate(b)}
    for i, code in enumerate(a):
        if code in position_in_b:
            return i + position_in_b[code]
    return None


# ------------------------------------------------------------------------------------------------ regions


def _region_code(code) -> str:
    """Accept 2/4/6-digit codes and their padded adcode forms (330000, 331000, 331000000000)."""
    if isinstance(code, Region):
        return code.code
    code = str(code or "").strip()
    if len(code) == 12 and code.endswith("000000"):
        code = code[:6]
    if len(code) == 6 and code.endswith("0000"):
        return code[:2]
    if len(code) == 6 and code.endswith("00"):
        return code[:4]
    return code


def region_get(code) -> Region | None:
    """The region with this code (浙江省 "33", 台州市 "3310", 椒江区 "331002"; "331000" works too), or None."""
    code = _region_code(code)
    return Region.objects.filter(code=code).select_related("parent").first() if code else None


def region_find(name: str, *, level: int | None = None) -> QuerySet:
    """Regions named ``name`` exactly, else those whose name contains it; optionally at one level.

    Several regions can share a name (朝阳区, and every 市辖区): check ``.count()`` or narrow by level.
    """
    queryset = Region.objects.all() if level is None else Region.objects.filter(level=level)
    return _find(queryset, name)


def region_ancestors(region) -> list[Region]:
    """The parent chain, nearest first: 椒江区 → [台州市, 浙江省]; a province has none."""
    code = _region_code(region)
    obj = Region.objects.select_related("parent__parent").filter(code=code).first()
    return _chain(obj) if obj else []


def region_descendant_codes(region) -> list[str]:
    """The codes of the region and of every region below it, to scope queries (``region__code__in=``).

    Region codes are prefixes of their descendants' codes (the loader checks this), so one query does.
    """
    code = _region_code(region)
    if not code:
        return []
    return list(Region.objects.filter(code__startswith=code).order_by("code").values_list("code", flat=True))


def _seat(region) -> tuple[float, float] | None:
    if not isinstance(region, Region):
        region = Region.objects.filter(code=_region_code(region)).only("longitude", "latitude").first()
    if region is None or region.longitude is None or region.latitude is None:
        return None
    return float(region.longitude), float(region.latitude)


def haversine_km(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lng2 - lng1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def region_distance_km(a, b) -> float | None:
    """Great-circle distance in km between the seats of two regions (rows or codes); None when unknown."""
    seat_a, seat_b = _seat(a), _seat(b)
    if seat_a is None or seat_b is None:
        return None
    return haversine_km(*seat_a, *seat_b)


# -------------------------------------------------------------------------------------------- disciplines


def discipline_get(scheme: str, code) -> Discipline | None:
    """The discipline with this code in a scheme ("csl"/"nsfc", e.g. ("nsfc", "A0101")), or None."""
    code = str(code or "").strip().upper()
    if not code:
        return None
    return Discipline.objects.filter(scheme=scheme, code=code).select_related("parent").first()


def discipline_find(name: str, *, scheme: str | None = None, level: int | None = None) -> QuerySet:
    """Disciplines named ``name`` exactly, else those whose name contains it; optionally in one scheme/level."""
    queryset = Discipline.objects.all()
    if scheme is not None:
        queryset = queryset.filter(scheme=scheme)
    if level is not None:
        queryset = queryset.filter(level=level)
    return _find(queryset, name)


def discipline_ancestors(discipline: Discipline) -> list[Discipline]:
    """The parent chain, nearest first: A010101 解析数论 → [A0101 数论, A01 数学]."""
    obj = Discipline.objects.select_related("parent__parent").filter(pk=discipline.pk).first()
    return _chain(obj) if obj else []


# ----------------------------------------------------------------------------- one level of a taxonomy
# The pages' cascading pickers (demand.selectors) and the API's lookups (reference.apis) ask these.


def region_prefix(code: str) -> str:
    """The code whose prefix selects a region and everything in it ("331000" is read as 台州市 "3310")."""
    code = (code or "").strip()
    region = region_get(code)
    return region.code if region else code


def regions_under(parent: str = "") -> QuerySet:
    """The provinces (no parent), or the regions directly under a code; none for a malformed code."""
    parent = (parent or "").strip()
    if parent and not parent.isdigit():
        return Region.objects.none()
    qs = (
        Region.objects.filter(parent__code=region_prefix(parent))
        if parent
        else Region.objects.filter(level=Region.Level.PROVINCE)
    )
    return qs.order_by("code")


def industries_under(parent: str = "") -> QuerySet:
    """The 门类 (no parent), or the industries directly under a code; none for a malformed code."""
    parent = (parent or "").strip().upper()
    if parent and not parent.isalnum():
        return Industry.objects.none()
    qs = (
        Industry.objects.filter(parent__code=parent)
        if parent
        else Industry.objects.filter(level=Industry.Level.SECTION)
    )
    return qs.order_by("code")


def disciplines_under(scheme: str, parent: str = "") -> QuerySet:
    """A scheme's top level (no parent), or the disciplines directly under a code."""
    parent = (parent or "").strip().upper()
    qs = Discipline.objects.filter(scheme=scheme)
    qs = qs.filter(parent__code=parent) if parent else qs.filter(parent__isnull=True)
    return qs.order_by("code")


def _by_name(qs: QuerySet, q: str) -> QuerySet:
    return qs.filter(name__contains=q.strip()).order_by("level", "code")


def industries_lookup(qs: QuerySet, *, q: str = "", parent: str = "") -> QuerySet:
    """The lookups (API and pickers): names containing `q`, broadest level first; without `q`, one
    level of the tree (industries_under `parent`)."""
    return _by_name(qs, q) if (q or "").strip() else qs & industries_under(parent)


def regions_lookup(qs: QuerySet, *, q: str = "", parent: str = "") -> QuerySet:
    return _by_name(qs, q) if (q or "").strip() else qs & regions_under(parent)


def disciplines_lookup(
    qs: QuerySet, *, scheme: str = Discipline.Scheme.CSL, q: str = "", parent: str = ""
) -> QuerySet:
    if (q or "").strip():
        return _by_name(qs.filter(scheme=scheme), q)
    return qs & disciplines_under(scheme, parent)


# ----------------------------------------------------------------------------------- codes as filters
# What a filter by code accepts, and what it selects (the hall, the teams list, the recommendation feed).


def industry_code_valid(code: str) -> bool:
    return bool(INDUSTRY_CODE.match((code or "").strip()))


def industry_q(code: str, *, field: str = "industry") -> Q:
    """Rows whose industry (`field`: a foreign key or a many-to-many) is `code` or lies under it, at any
    GB/T 4754 level.

    Digit codes nest by prefix (35 ⊃ 353 ⊃ 3533). A 门类 letter does not prefix its codes (C ⊃ 35), so
    it is matched through the parent chain, which is at most three steps long.
    """
    code = (code or "").strip().upper()
    if code.isalpha():
        return (
            Q(**{f"{field}__code": code})
            | Q(**{f"{field}__parent__code": code})
            | Q(**{f"{field}__parent__parent__code": code})
            | Q(**{f"{field}__parent__parent__parent__code": code})
        )
    return Q(**{f"{field}__code__startswith": code})


def industry_within(code: str, scope: str) -> bool:
    """Whether industry `code` is `scope` or lies under it: industry_q's rule for one code. A digit
    scope prefixes its codes (35 ⊃ 3533); a 门类 letter does not (C ⊃ 35), so the code's chain is read
    (cached, like the ranking's industry distances)."""
    scope = _industry_code(scope)
    if scope.isalpha():
        return scope in (_industry_chain(_industry_code(code)) or ())
    return _industry_code(code).startswith(scope)


def region_code_valid(code: str) -> bool:
    return bool(REGION_CODE.match((code or "").strip()))


def discipline_code_valid(code: str) -> bool:
    return bool(DISCIPLINE_CODE.match((code or "").strip()))


def discipline_q(code: str, *, field: str = "discipline") -> Q:
    """Rows whose discipline is `code` or lies under it: NSFC codes nest by prefix (E05 ⊃ E0501), and
    a CSL code (CSL07) names one discipline."""
    return Q(**{f"{field}__code__startswith": (code or "").strip().upper()})


# ------------------------------------------------------------------------------- cascading code pickers
# What the pages' industry and region pickers (templates/reference/_cascade.html) read and show.


@dataclass
class CodeOption:
    code: str
    name: str


def region_children(parent: str) -> list[CodeOption]:
    """The provinces (no parent), or the regions directly under a code."""
    return [CodeOption(code, name) for code, name in regions_under(parent).values_list("code", "name")]


def industry_children(parent: str) -> list[CodeOption]:
    """The 门类 (no parent), or the industries directly under a code."""
    return [CodeOption(code, name) for code, name in industries_under(parent).values_list("code", "name")]


def region_chain(code: str) -> list[str]:
    """Codes from the province down to `code` (for pre-selecting the cascade); [] when unknown."""
    region = region_get(code) if code else None
    if region is None:
        return []
    return [r.code for r in reversed(region_ancestors(region))] + [region.code]


def industry_chain(code: str) -> list[str]:
    """Codes from the 门类 down to `code` (for pre-selecting the cascade); [] when unknown."""
    code = _industry_code(code)
    chain = _industry_chain(code) if code else None
    return list(reversed(chain)) if chain else []


def industry_label(code: str) -> str:
    industry = Industry.objects.filter(code=(code or "").strip().upper()).first()
    return f"{industry.code} {industry.name}" if industry else ""


def region_label(code: str) -> str:
    region = region_get(code) if code else None
    if region is None:
        return ""
    return "".join(r.name for r in reversed(region_ancestors(region))) + region.name
