"""Structured fit between a need and a team, each signal in [0, 1], None when there is no data.

None is not zero: a team that declared no region is not a team far away. The ranker gives a missing
signal no weight for that pair, and the explanation says the data was missing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# GB/T 4754 codes: a letter for the 门类, then 2/3/4 digits for 大类/中类/小类.
INDUSTRY_SHARED_DIGITS = {4: 1.0, 3: 0.8, 2: 0.6}
INDUSTRY_SAME_SECTION = 0.3
# A team that declares a coarser code (大类 "35") serves everything below it.
INDUSTRY_COVERS = 0.9


@dataclass
class StructuredFacts:
    industry_codes: Sequence[str] = ()
    region_codes: Sequence[str] = ()
    service_types: Sequence[str] = ()
    open_engagements: int = 0
    completed_engagements: int = 0
    mean_rating: float | None = None
    coordinates: Sequence[tuple[float, float] | None] = field(default_factory=tuple)


def industry_fit(
    need_codes: Sequence[str], team_codes: Sequence[str], section_of: Callable[[str], str | None]
) -> float | None:
    if not need_codes or not team_codes:
        return None
    return max(_industry_pair(a, b, section_of) for a in need_codes for b in team_codes)


def _industry_pair(a: str, b: str, section_of) -> float:
    if a == b:
        return 1.0
    if a.isalpha() or b.isalpha():  # a 门类 covers every code in it
        section_a = a if a.isalpha() else section_of(a)
        section_b = b if b.isalpha() else section_of(b)
        return INDUSTRY_COVERS if section_a is not None and section_a == section_b else 0.0
    if a.startswith(b) or b.startswith(a):
        return INDUSTRY_COVERS
    shared = _common_prefix_length(a, b)
    if shared in INDUSTRY_SHARED_DIGITS:
        return INDUSTRY_SHARED_DIGITS[shared]
    # Looked up only here: most pairs of a ranking are decided by their digits.
    section_a = section_of(a)
    return INDUSTRY_SAME_SECTION if section_a is not None and section_a == section_of(b) else 0.0


def _common_prefix_length(a: str, b: str) -> int:
    n, most = 0, min(len(a), len(b))
    while n < most and a[n] == b[n]:
        n += 1
    return n


# Region codes: province 2 digits, city 4, county 6. A team that serves a whole city or province
# covers the needs inside it; a team next door (same city or province) is still close.
REGION_COVERS = {6: 1.0, 4: 0.85, 2: 0.6}
REGION_SAME_CITY, REGION_SAME_PROVINCE, REGION_FAR = 0.7, 0.4, 0.3


def region_fit(
    need_code: str | None,
    team_codes: Sequence[str],
    distance_km: Callable[[str, str], float | None] | None = None,
) -> float | None:
    """Covered by the team's region, else same city / province, else by distance between seats."""
    if not need_code or not team_codes:
        return None
    return max(_region_pair(need_code, code, distance_km) for code in team_codes)


def _region_pair(need: str, team: str, distance_km) -> float:
    if need.startswith(team):
        return REGION_COVERS.get(len(team), 0.6)
    if len(need) >= 4 and len(team) >= 4 and need[:4] == team[:4]:
        return REGION_SAME_CITY
    if need[:2] == team[:2]:
        return REGION_SAME_PROVINCE
    km = distance_km(need, team) if distance_km is not None else None
    return REGION_FAR * math.exp(-km / 200.0) if km is not None else 0.0


def service_type_fit(need_types: Sequence[str], team_types: Sequence[str]) -> float | None:
    if not need_types or not team_types:
        return None
    return len(set(need_types) & set(team_types)) / len(set(need_types))


def load_fit(open_engagements: int) -> float:
    """Free teams answer sooner: 0 open → 1.0, 3 open → 0.5, 9 open → 0.25."""
    return 1.0 / (1.0 + max(0, open_engagements) / 3.0)


def track_record_fit(completed: int, mean_rating: float | None) -> float | None:
    if completed <= 0:
        return None
    volume = 1.0 - math.exp(-completed / 3.0)
    quality = (mean_rating / 5.0) if mean_rating else 0.8
    return volume * quality
