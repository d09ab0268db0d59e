"""The government dashboard's figures: one place for the pages, the JSON API and the notebooks.

Every selector takes a `Scope` (who asks: `scope_for(user)`, or `scope_of_region(code)` without a user)
and a `DashboardFilters` (`parse_filters(request.GET)`), and returns plain dicts and lists that are JSON
as they are. Counting happens in the database with GROUP BY (values() + annotate), by region id and the
industry code's first two characters; Python folds those grouped rows (at most regions × 大类) into the
rows asked for and fills in names and zero cells, so its share does not grow with the number of needs.
`manage.py bench_dashboard` times each selector on 100,000 needs.

Public selectors (stable signatures; the notebooks use them): needs_by_region, region_industry_matrix,
matrix_cell_needs, supply_gap, unanswered_ranking, monthly_trend, matching_funnel, dashboard_summary.

Definitions (documented once, used everywhere):

- posted: a need in the scope's statuses with a publication time (see dashboard_filters).
- budget: the need's upper budget (budget_max), or its lower one when only that is given, in 万元.
- strong match: a stored recommendation with score ≥ STRONG_MATCH_SCORE (the score at which matching
  tells a team about a new need) and rank ≤ STRONG_MATCH_RANK.
- engaged: the need reached an agreed engagement (Need.engaged_at, stamped when one is accepted).
- resolved: Need.resolved_at is set (an engagement was completed, or the enterprise marked it solved).
- unanswered: published at least N days ago (default UNANSWERED_DAYS), never engaged, not resolved, and
  no team has expressed interest (揭榜); an enterprise's invitation that no team accepted is no answer.
- industry level: "section" groups by 门类 (letters), "division" by 大类 (two digits); a need filed
  directly under a 门类 has no 大类 and is grouped under "" (未细分).
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    Count,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Sum,
)
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.utils import timezone

from demand.selectors import HALL_STATUSES, hall_needs
from engagements.models import Assignment, Engagement
from insights.dashboard_filters import (
    DIRECT_COUNTIES_SUFFIX,
    NO_FILTERS,
    DashboardFilters,
    Scope,
    apply_filters,
    check_region,
    industry_ids_under,
    municipal,
    needs_in_scope,
    q_region,
    region_rows,
    row_level_length,
)
from matching.models import Recommendation
from matching.services import NOTIFY_MIN_SCORE
from reference.models import Industry, Region

STRONG_MATCH_SCORE = NOTIFY_MIN_SCORE  # 0.5: matching notifies a team of a need it ranks this well for
STRONG_MATCH_RANK = 5
UNANSWERED_DAYS = 30
LEVELS = {"section": "门类", "division": "大类"}
UNSPLIT = ""  # the 大类 key of a need filed directly under a 门类
CELL_NEEDS_LIMIT = 200


# ------------------------------------------------------------------------------------------ expressions


def _without_jit(selector):
    """Run a selector with PostgreSQL's JIT off. Its cost estimate for these GROUP BYs over 100,000
    needs passes jit_above_cost, and compiling then takes one to two seconds of CPU: several times
    what the query itself needs. SET LOCAL lasts until the surrounding transaction ends."""

    @functools.wraps(selector)
    def wrapper(*args, **kwargs):
        if connection.vendor != "postgresql":
            return selector(*args, **kwargs)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
            return selector(*args, **kwargs)

    return wrapper


def _budget():
    return Coalesce(
        F("budget_max"), F("budget_min"), output_field=DecimalField(max_digits=14, decimal_places=2)
    )


def _industry_key_q(code: str, level: str) -> Q:
    """The needs under one 门类/大类 key (a matrix column): the same rule as `_grouped`'s keys."""
    if level == "division":
        if code == UNSPLIT:
            return Q(industry__level=Industry.Level.SECTION)
        return Q(industry__code__startswith=code) & ~Q(industry__level=Industry.Level.SECTION)
    return Q(industry_id__in=industry_ids_under(code))


def _sections_of_divisions() -> dict[str, str]:
    """大类 code → its 门类 letter (97 rows)."""
    return dict(Industry.objects.filter(level=Industry.Level.DIVISION).values_list("code", "parent__code"))


def _grouped(qs, measures: dict, *, region_length: int = 0, level: str = "", extra: tuple = ()) -> dict:
    """GROUP BY in the database, by region id, the industry code's first two characters and `extra`
    fields; then the grouped rows (at most regions × 大类, never needs) are folded in Python into the
    keys asked for: the region code cut to `region_length` (a region coded shorter keeps its own code),
    and the 门类 or 大类. Grouping by ids and a two-character prefix keeps the query to one small join
    (the industry table), which is what makes 100,000 needs answer quickly.

    Returns {(region key?, industry key?, *extra values): {measure: total}}.
    """
    fields = []
    if region_length:
        fields.append("region_id")
    if level:
        qs = qs.annotate(industry_prefix=Substr("industry__code", 1, 2))
        fields.append("industry_prefix")
    fields.extend(extra)
    rows = list(qs.values(*fields).annotate(**measures).order_by())
    codes = {}
    if region_length:
        codes = dict(Region.objects.filter(id__in={r["region_id"] for r in rows}).values_list("id", "code"))
    sections = _sections_of_divisions() if level == "section" else {}
    folded: dict[tuple, dict] = {}
    for row in rows:
        key = []
        if region_length:
            key.append(codes[row["region_id"]][:region_length])
        if level:
            prefix = row["industry_prefix"]
            if prefix.isalpha():  # filed directly under a 门类
                key.append(prefix if level == "section" else UNSPLIT)
            else:
                key.append(sections.get(prefix, prefix) if level == "section" else prefix)
        key.extend(row[field] for field in extra)
        totals = folded.setdefault(tuple(key), dict.fromkeys(measures, 0))
        for name in measures:
            totals[name] += row[name] or 0
    return folded


# Sets of need ids, as `id IN (SELECT need_id …)`: PostgreSQL hashes each set once, rather than probing
# the recommendation or engagement table once per need as a correlated EXISTS would.
def _strong_match() -> Q:
    return Q(
        pk__in=Recommendation.objects.filter(
            score__gte=STRONG_MATCH_SCORE, rank__lte=STRONG_MATCH_RANK
        ).values("need_id")
    )


def _answered_by_team() -> Q:
    return Q(pk__in=Engagement.objects.filter(origin=Engagement.Origin.INTEREST).values("need_id"))


def _unanswered_q(cutoff: datetime) -> Q:
    return (
        Q(published_at__lte=cutoff, engaged_at__isnull=True, resolved_at__isnull=True)
        & ~Q(status="resolved")
        & ~_answered_by_team()
    )


def _check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"行业层级应为 section（门类）或 division（大类），收到“{level}”。")
    return level


def _industry_names(codes) -> dict[str, str]:
    names = dict(Industry.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name"))
    names[UNSPLIT] = "（未细分到大类）"
    return names


def _money(value) -> float:
    return round(float(value or 0), 2)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


# ------------------------------------------------------------------------------------- needs by region


@_without_jit
def needs_by_region(scope: Scope, filters: DashboardFilters = NO_FILTERS, *, parent: str = "") -> dict:
    """Need count and budget per region, for the map: the provinces (parent ""), or the regions directly
    under `parent` (the cities of a province, the counties of a city); a municipality's counties, since
    its "cities" are the placeholders 市辖区 and 县 (see dashboard_filters.municipal); and beside a
    province's cities, the counties it administers directly (6-digit rows, in place of their 4290).

    `parent` may be in the scope or above it (a city viewer drills China → its province → its city), but
    the counts are always only the scope's needs. Returns {"parent", "parent_name", "level" (2/4/6: code
    length of the rows), "rows": [{"code", "name", "count", "budget", "seat"}] for every region at that
    level (zeros included; seat: [longitude, latitude] of its seat of government, or None), "own_level":
    {"count", "budget"} for needs filed at `parent` itself (市本级), or for a municipality at it or its
    市辖区}.
    """
    parent_region = None
    if parent:
        parent_region = Region.objects.filter(code=parent).first()
        if parent_region is None or len(parent) >= 6:
            raise ValueError(f"地区代码“{parent}”不存在或没有下级地区。")
        check_region(scope, parent, allow_above=True)
    # A province's cities, once: they tell a municipality (placeholder cities only) and a province's
    # directly administered counties (仙桃市 429004), which are regions of their own on its map, where
    # their placeholder "city" (4290 省直辖县级行政区划) has no boundary.
    cities = (
        dict(Region.objects.filter(parent__code=parent).values_list("code", "name"))
        if len(parent) == 2
        else {}
    )
    municipality = municipal(cities.values())
    placeholders = (
        set() if municipality else {c for c, n in cities.items() if n.endswith(DIRECT_COUNTIES_SUFFIX)}
    )
    length = 6 if municipality else len(parent) + 2 if parent else 2
    check_region(scope, filters.region)
    narrowest = filters.region or scope.region_code
    if parent and parent.startswith(narrowest):
        qs = needs_in_scope(scope, filters.with_region(parent))  # one region condition, not two
    else:
        qs = needs_in_scope(scope, filters)
        if parent and not narrowest.startswith(parent):
            qs = qs.none()  # the parent and the filtered region do not overlap
    measures = {"count": Count("id"), "budget": Sum(_budget())}
    grouped = _grouped(qs, measures, region_length=6 if placeholders else length)
    by_key: dict[str, dict] = {}
    for (code,), row in grouped.items():
        key = code if code[:4] in placeholders and len(code) == 6 else code[:length]
        total = by_key.setdefault(key, {"count": 0, "budget": 0})
        total["count"] += row.get("count") or 0
        total["budget"] += row.get("budget") or 0
    if municipality:
        children = Region.objects.filter(parent__parent__code=parent)
    elif parent:
        children = Region.objects.filter(Q(parent__code=parent) | Q(parent__code__in=placeholders)).exclude(
            code__in=placeholders
        )
    else:
        children = Region.objects.filter(level=Region.Level.PROVINCE)
    rows = [
        {
            "code": code,
            "name": name,
            "count": by_key.get(code, {}).get("count", 0),
            "budget": _money(by_key.get(code, {}).get("budget")),
            # The seat, where the map draws a county (there are no county boundaries); None where unknown.
            "seat": [float(lng), float(lat)] if lng is not None and lat is not None else None,
        }
        for code, name, lng, lat in children.order_by("code").values_list(
            "code", "name", "longitude", "latitude"
        )
    ]
    # Needs filed above the rows' level (at the city itself; at a municipality or its 市辖区; at 4290).
    shown = {row["code"] for row in rows}
    above = [row for key, row in by_key.items() if key not in shown]
    own = {
        "count": sum(row.get("count") or 0 for row in above),
        "budget": sum(row.get("budget") or 0 for row in above),
    }
    return {
        "parent": parent,
        "parent_name": parent_region.name if parent_region else "全国",
        "level": length,
        "rows": rows,
        "own_level": {"count": own.get("count", 0), "budget": _money(own.get("budget"))},
    }


# ----------------------------------------------------------------------------------------------- matrix


def _row_names(scope: Scope, keys) -> list[tuple[str, str]]:
    """The scope's rows, plus a row for needs filed above them: 本级 at the scope's region itself, and
    for a municipality, at its placeholder cities (北京市市辖区, whose districts are the rows)."""
    rows = region_rows(scope)
    length = row_level_length(scope)
    known = {code for code, _ in rows}
    above = sorted(key for key in keys if key and len(key) < length and key not in known)
    names = dict(Region.objects.filter(code__in=above).values_list("code", "name"))
    return [
        (
            key,
            f"{scope.region_name}本级" if key == scope.region_code else f"{names.get(key, key)}（未分区县）",
        )
        for key in above
    ] + rows


@_without_jit
def region_industry_matrix(
    scope: Scope, filters: DashboardFilters = NO_FILTERS, *, level: str = "section"
) -> dict:
    """Needs per (region directly below the scope's region) × (门类 or 大类).

    Returns {"level", "rows": [{"code", "name"}], "columns": [{"code", "name"}], "cells":
    [[count per column] per row], "row_totals", "column_totals", "total"}. Columns: all 20 门类, or the
    大类 that have at least one need. A row coded at the scope's own region (名称 + 本级) holds needs filed
    at that level, not below it.
    """
    _check_level(level)
    length = row_level_length(scope)
    grouped = _grouped(
        needs_in_scope(scope, filters), {"count": Count("id")}, region_length=length, level=level
    )
    counts = {key: row["count"] for key, row in grouped.items()}
    rows = _row_names(scope, {r for r, _ in counts})
    if level == "section":
        columns = list(
            Industry.objects.filter(level=Industry.Level.SECTION).order_by("code").values_list("code", "name")
        )
    else:
        used = sorted({i for _, i in counts})
        names = _industry_names(used)
        columns = [(code, names.get(code, code)) for code in used]
    cells = [[counts.get((r, c), 0) for c, _ in columns] for r, _ in rows]
    return {
        "level": level,
        "rows": [{"code": c, "name": n} for c, n in rows],
        "columns": [{"code": c, "name": n} for c, n in columns],
        "cells": cells,
        "row_totals": [sum(row) for row in cells],
        "column_totals": [sum(col) for col in zip(*cells, strict=True)] if cells else [0] * len(columns),
        "total": sum(sum(row) for row in cells),
    }


@_without_jit
def matrix_cell_needs(
    scope: Scope,
    filters: DashboardFilters = NO_FILTERS,
    *,
    region: str,
    industry: str,
    level: str = "section",
    limit: int = CELL_NEEDS_LIMIT,
) -> dict:
    """The needs behind one matrix cell, showing only what the enterprise made public.

    Lists the cell's needs that are public in the demand hall (published, engaged, resolved), with the
    hall's display-name rule (`enterprise_display`: the fixed phrase when the enterprise hid its name);
    closed and expired needs are counted in `not_public` but never listed. Returns {"count" (all needs in
    the cell), "not_public", "needs": [{"id", "title", "enterprise", "region", "industry", "status",
    "published_at"}] (newest first, at most `limit`)}.
    """
    _check_level(level)
    check_region(scope, region)
    if not region:
        raise ValueError("请指定地区。")
    cell_q = q_region(region, row_level_length(scope))
    column_q = _industry_key_q(industry, level)
    in_cell = needs_in_scope(scope, filters).filter(cell_q).filter(column_q)
    public_q = Q(status__in=HALL_STATUSES)
    totals = in_cell.aggregate(count=Count("id"), public=Count("id", filter=public_q))
    count, public_count = totals["count"], totals["public"]
    # The newest public ids first, then their rows through the hall's query, which carries the
    # display-name rule (an enterprise that asked not to be named is never named).
    ids = list(in_cell.filter(public_q).order_by("-published_at", "-id").values_list("id", flat=True)[:limit])
    needs = [
        {
            "id": need.pk,
            "title": need.title,
            "enterprise": need.enterprise_display,
            "region": need.region.name,
            "industry": f"{need.industry.code} {need.industry.name}",
            "status": need.get_status_display(),
            "published_at": timezone.localtime(need.published_at).date().isoformat(),
        }
        for need in hall_needs().filter(pk__in=ids)
    ]
    return {"count": count, "not_public": count - public_count, "public": public_count, "needs": needs}


# ---------------------------------------------------------------------------------------- supply and gap


def _gap_measures(cutoff: datetime) -> dict:
    return {
        "posted": Count("id"),
        "strong": Count("id", filter=_strong_match()),
        "engaged": Count("id", filter=Q(engaged_at__isnull=False)),
        "resolved": Count("id", filter=Q(resolved_at__isnull=False)),
        "unanswered": Count("id", filter=_unanswered_q(cutoff)),
    }


def _cutoff(now: datetime | None, days: int) -> datetime:
    if days < 1:
        raise ValueError("未响应天数应为正整数。")
    return (now or timezone.now()) - timedelta(days=days)


def _gap_row(row: dict) -> dict:
    posted = row["posted"]
    return {
        "posted": posted,
        "strong": row["strong"],
        "engaged": row["engaged"],
        "resolved": row["resolved"],
        "unanswered": row["unanswered"],
        "strong_rate": _rate(row["strong"], posted),
        "engaged_rate": _rate(row["engaged"], posted),
        "unanswered_rate": _rate(row["unanswered"], posted),
    }


@_without_jit
def supply_gap(
    scope: Scope,
    filters: DashboardFilters = NO_FILTERS,
    *,
    level: str = "section",
    unanswered_days: int = UNANSWERED_DAYS,
    now: datetime | None = None,
) -> list[dict]:
    """Posted vs strongly matched vs engaged vs resolved vs unanswered, per (region below the scope's
    region) × (门类 or 大类), only the pairs with needs, most unanswered first.

    Each row: {"region", "region_name", "industry", "industry_name", "posted", "strong", "engaged",
    "resolved", "unanswered", "strong_rate", "engaged_rate", "unanswered_rate"} (rates 0–1, None when
    nothing was posted).
    """
    _check_level(level)
    length = row_level_length(scope)
    grouped = _grouped(
        needs_in_scope(scope, filters),
        _gap_measures(_cutoff(now, unanswered_days)),
        region_length=length,
        level=level,
    )
    region_names = dict(_row_names(scope, {region for region, _ in grouped}))
    industry_names = _industry_names({industry for _, industry in grouped})
    rows = [
        {
            "region": region,
            "region_name": region_names.get(region, region),
            "industry": industry,
            "industry_name": industry_names.get(industry, industry),
            **_gap_row(row),
        }
        for (region, industry), row in grouped.items()
    ]
    rows.sort(
        key=lambda r: (
            -r["unanswered"],
            -(r["unanswered_rate"] or 0),
            -r["posted"],
            r["region"],
            r["industry"],
        )
    )
    return rows


@_without_jit
def unanswered_ranking(
    scope: Scope,
    filters: DashboardFilters = NO_FILTERS,
    *,
    level: str = "section",
    unanswered_days: int = UNANSWERED_DAYS,
    now: datetime | None = None,
) -> list[dict]:
    """Industries ranked by how many of their needs went unanswered (then by the unanswered share), over
    the whole scope. Each row: {"rank", "industry", "industry_name", and the measures of `supply_gap`};
    industries with no unanswered need are left out."""
    _check_level(level)
    grouped = _grouped(
        needs_in_scope(scope, filters), _gap_measures(_cutoff(now, unanswered_days)), level=level
    )
    grouped = {key[0]: row for key, row in grouped.items() if row["unanswered"] > 0}
    names = _industry_names(grouped)
    rows = [
        {"industry": industry, "industry_name": names.get(industry, ""), **_gap_row(row)}
        for industry, row in grouped.items()
    ]
    rows.sort(key=lambda r: (-r["unanswered"], -(r["unanswered_rate"] or 0), r["industry"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


# ------------------------------------------------------------------------------------------------ trend


def _months(first: date, last: date) -> list[date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


@_without_jit
def monthly_trend(
    scope: Scope, filters: DashboardFilters = NO_FILTERS, *, level: str = "section", top: int = 8
) -> dict:
    """Needs published per month (China time) per 门类/大类: the `top` industries with the most needs,
    the rest summed as "其他". Returns {"months": ["2026-01", …] (every month from the first to the last
    with needs), "series": [{"code", "name", "counts": [per month]}], "totals"}.
    """
    _check_level(level)
    qs = needs_in_scope(scope, filters).annotate(month=TruncMonth("published_at"))
    grouped = [
        {"industry_key": industry, "month": month, "count": row["count"]}
        for (industry, month), row in _grouped(
            qs, {"count": Count("id")}, level=level, extra=("month",)
        ).items()
    ]
    if not grouped:
        return {"months": [], "series": [], "totals": []}

    def month_of(value) -> date:
        value = (
            timezone.localtime(value) if isinstance(value, datetime) and timezone.is_aware(value) else value
        )
        return date(value.year, value.month, 1)

    present = [month_of(row["month"]) for row in grouped]
    months = _months(min(present), max(present))  # the months with needs and those between them
    index = {m: i for i, m in enumerate(months)}
    per_industry: dict[str, list[int]] = {}
    for row, month in zip(grouped, present, strict=True):
        per_industry.setdefault(row["industry_key"], [0] * len(months))[index[month]] += row["count"]
    ranked = sorted(per_industry, key=lambda code: (-sum(per_industry[code]), code))
    names = _industry_names(ranked)
    series = [{"code": c, "name": names.get(c, c), "counts": per_industry[c]} for c in ranked[:top]]
    if len(ranked) > top:
        rest = [sum(per_industry[c][i] for c in ranked[top:]) for i in range(len(months))]
        series.append({"code": "other", "name": "其他", "counts": rest})
    totals = [sum(s["counts"][i] for s in series) for i in range(len(months))]
    return {"months": [m.strftime("%Y-%m") for m in months], "series": series, "totals": totals}


# ----------------------------------------------------------------------------------------------- funnel


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the median of an interval (or a number) in one pass."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def _span(start: str, end: str):
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def _days_of(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 86400, 1)


def _median_span(qs, start: str, end: str) -> timedelta | None:
    """Median time from `start` to `end` over the rows where both are set, computed in the database:
    percentile_cont on PostgreSQL; elsewhere (SQLite) the middle one or two rows by ORDER BY/OFFSET."""
    span = _span(start, end)
    qs = qs.filter(**{f"{start}__isnull": False, f"{end}__isnull": False})
    if connection.vendor == "postgresql":
        return qs.aggregate(m=Median(span, output_field=DurationField()))["m"]
    ordered = qs.annotate(span=span).order_by("span").values_list("span", flat=True)
    n = ordered.count()
    if n == 0:
        return None
    middle = list(ordered[(n - 1) // 2 : n // 2 + 1])
    return sum(middle, timedelta()) / len(middle)


def _median_days(qs, start: str, end: str) -> float | None:
    return _days_of(_median_span(qs, start, end))


@_without_jit
def matching_funnel(scope: Scope, filters: DashboardFilters = NO_FILTERS) -> dict:
    """Posted → recommended → engaged → completed, with the median days between steps.

    recommended: matching stored recommendations for the need at least once (matching's NeedMatchFacts,
    kept after the need is resolved or closed and its recommendations dropped); engaged: Need.engaged_at;
    completed: resolved. Every span uses the need's own stamps.
    Returns {"steps": [{"key", "label", "count", "rate" (of posted), "step_rate" (of the step before),
    "median_days" (from the step before; None for posted or without data)}]}.
    """
    qs = needs_in_scope(scope, filters)
    measures = {
        "posted": Count("id"),
        "recommended": Count("id", filter=Q(match_facts__first_recommended_at__isnull=False)),
        "engaged": Count("id", filter=Q(engaged_at__isnull=False)),
        "completed": Count("id", filter=Q(resolved_at__isnull=False)),
    }
    postgres = connection.vendor == "postgresql"
    if postgres:
        # percentile_cont skips NULLs (a span with a missing stamp), so the medians ride on the one scan
        # that counts the steps.
        measures["recommended_median"] = Median(
            _span("published_at", "match_facts__first_recommended_at"), output_field=DurationField()
        )
        measures["engaged_median"] = Median(_span("published_at", "engaged_at"), output_field=DurationField())
        measures["completed_median"] = Median(
            _span("engaged_at", "resolved_at"), output_field=DurationField()
        )
    counts = qs.aggregate(**measures)
    medians = {
        "posted": None,
        "recommended": _days_of(counts["recommended_median"])
        if postgres
        else _median_days(qs, "published_at", "match_facts__first_recommended_at"),
        "engaged": _days_of(counts["engaged_median"])
        if postgres
        else _median_days(qs, "published_at", "engaged_at"),
        "completed": _days_of(counts["completed_median"])
        if postgres
        else _median_days(qs, "engaged_at", "resolved_at"),
    }
    labels = {"posted": "发布需求", "recommended": "获得推荐", "engaged": "达成对接", "completed": "完成解决"}
    steps, before = [], None
    for key, label in labels.items():
        steps.append(
            {
                "key": key,
                "label": label,
                "count": counts[key],
                "rate": _rate(counts[key], counts["posted"]),
                "step_rate": None if before is None else _rate(counts[key], before),
                "median_days": medians[key],
            }
        )
        before = counts[key]
    return {"steps": steps}


@_without_jit
def dashboard_summary(
    scope: Scope,
    filters: DashboardFilters = NO_FILTERS,
    *,
    unanswered_days: int = UNANSWERED_DAYS,
    now: datetime | None = None,
) -> dict:
    """The headline numbers in one query: the measures of `supply_gap` over the whole scope, and the
    budget total."""
    values = needs_in_scope(scope, filters).aggregate(
        budget=Sum(_budget()), **_gap_measures(_cutoff(now, unanswered_days))
    )
    return {**_gap_row(values), "budget": _money(values["budget"])}


# ------------------------------------------------------------------------------------------ assignments


def _median_hours(qs) -> float | None:
    span = _median_span(qs, "created_at", "responded_at")
    return None if span is None else round(span.total_seconds() / 3600, 1)


@_without_jit
def assignment_response(scope: Scope, filters: DashboardFilters = NO_FILTERS) -> dict:
    """指派 on the needs in scope: per team, how many were assigned, accepted, declined, escalated (the
    deadline passed unanswered) or are pending, and the median hours from assignment to the team's answer
    (accept or decline; escalated and withdrawn ones have none). Counted in the database, per team with
    GROUP BY; the median over all answered assignments, not a median of the teams' medians.
    Returns {"rows": [{"team", "team_name", "assigned", "accepted", "declined", "escalated", "pending",
    "accept_rate", "median_hours"}], "total": {the same measures}}.
    """
    qs = apply_filters(Assignment.objects.all(), scope, filters, via="need__")
    status = Assignment.Status
    measures = {
        "assigned": Count("id"),
        "accepted": Count("id", filter=Q(status=status.ACCEPTED)),
        "declined": Count("id", filter=Q(status=status.DECLINED)),
        "escalated": Count("id", filter=Q(status=status.ESCALATED)),
        "pending": Count("id", filter=Q(status=status.PENDING)),
    }
    answered = qs.filter(status__in=[status.ACCEPTED, status.DECLINED])
    rows = []
    for row in qs.values("team_id", "team__name").annotate(**measures).order_by("-assigned", "team__name"):
        rows.append(
            {
                "team": row["team_id"],
                "team_name": row["team__name"],
                **{key: row[key] for key in measures},
                "accept_rate": _rate(row["accepted"], row["assigned"]),
                "median_hours": _median_hours(answered.filter(team_id=row["team_id"])),
            }
        )
    total = qs.aggregate(**measures)
    total["accept_rate"] = _rate(total["accepted"], total["assigned"])
    total["median_hours"] = _median_hours(answered)
    return {"rows": rows, "total": total}
