"""Each dashboard figure as a table: the page's table view and the xlsx/csv export come from the same
function, so an export holds exactly the numbers shown. Rates are per cent with one decimal."""

from __future__ import annotations

from dataclasses import dataclass

from insights import dashboard
from insights.dashboard_filters import DashboardFilters, DashboardOptions, Scope


@dataclass
class Table:
    name: str  # the export's name in the URL
    title: str  # shown above the table and used as the file name
    headers: list[str]
    rows: list[list]


def _pct(rate) -> float | str:
    return "" if rate is None else round(rate * 100, 1)


def _days(value) -> float | str:
    return "" if value is None else value


def regions_table(data: dict) -> Table:
    rows = [[r["code"], r["name"], r["count"], r["budget"]] for r in data["rows"] if r["count"]]
    if data["parent"] and data["own_level"]["count"]:
        own = data["own_level"]
        rows.insert(0, [data["parent"], f"{data['parent_name']}本级", own["count"], own["budget"]])
    rows.append(["", "合计", sum(r[2] for r in rows), round(sum(r[3] for r in rows), 2)])
    return Table(
        "regions",
        f"{data['parent_name']}各地区需求",
        ["地区代码", "地区", "需求数", "预算合计（万元）"],
        rows,
    )


def matrix_table(data: dict) -> Table:
    level = dashboard.LEVELS[data["level"]]
    headers = ["地区代码", "地区"] + [f"{c['code']} {c['name']}".strip() for c in data["columns"]] + ["合计"]
    rows = [
        [row["code"], row["name"], *cells, total]
        for row, cells, total in zip(data["rows"], data["cells"], data["row_totals"], strict=True)
    ]
    rows.append(["", "合计", *data["column_totals"], data["total"]])
    return Table("matrix", f"地区×行业{level}需求矩阵", headers, rows)


GAP_HEADERS = [
    "发布需求",
    "强匹配",
    "已对接",
    "已解决",
    "未响应",
    "强匹配率（%）",
    "对接率（%）",
    "未响应率（%）",
]


def _gap_cells(r: dict) -> list:
    return [
        r["posted"], r["strong"], r["engaged"], r["resolved"], r["unanswered"],
        _pct(r["strong_rate"]), _pct(r["engaged_rate"]), _pct(r["unanswered_rate"]),
    ]  # fmt: skip


def unanswered_table(rows: list[dict], options: DashboardOptions) -> Table:
    level = dashboard.LEVELS[options.level]
    return Table(
        "unanswered",
        f"未响应需求最多的行业（{level}，发布满{options.days}天无人响应）",
        ["排名", "行业代码", f"行业{level}"] + GAP_HEADERS,
        [[r["rank"], r["industry"], r["industry_name"], *_gap_cells(r)] for r in rows],
    )


def gap_table(rows: list[dict], options: DashboardOptions) -> Table:
    level = dashboard.LEVELS[options.level]
    return Table(
        "gap",
        f"供需缺口（地区×行业{level}）",
        ["地区代码", "地区", "行业代码", f"行业{level}"] + GAP_HEADERS,
        [[r["region"], r["region_name"], r["industry"], r["industry_name"], *_gap_cells(r)] for r in rows],
    )


def trend_table(data: dict) -> Table:
    headers = ["月份"] + [
        f"{s['code']} {s['name']}" if s["code"] != "other" else s["name"] for s in data["series"]
    ]
    rows = [
        [month, *(s["counts"][i] for s in data["series"]), data["totals"][i]]
        for i, month in enumerate(data["months"])
    ]
    return Table("trend", "各行业月度需求趋势", headers + ["合计"], rows)


def funnel_table(data: dict) -> Table:
    rows = [
        [s["label"], s["count"], _pct(s["rate"]), _pct(s["step_rate"]), _days(s["median_days"])]
        for s in data["steps"]
    ]
    return Table(
        "funnel", "对接漏斗", ["环节", "需求数", "占发布（%）", "较上一环节（%）", "距上一环节中位天数"], rows
    )


ASSIGNMENT_HEADERS = ["指派", "已接受", "已谢绝", "超期退回", "待响应", "接受率（%）", "响应中位小时数"]


def _assignment_cells(r: dict) -> list:
    return [
        r["assigned"], r["accepted"], r["declined"], r["escalated"], r["pending"],
        _pct(r["accept_rate"]), _days(r["median_hours"]),
    ]  # fmt: skip


def assignments_table(data: dict) -> Table:
    rows = [[r["team_name"], *_assignment_cells(r)] for r in data["rows"]]
    if rows:
        rows.append(["合计", *_assignment_cells(data["total"])])
    return Table("assignments", "指派与响应（按小分队）", ["小分队", *ASSIGNMENT_HEADERS], rows)


def build_all(scope: Scope, filters: DashboardFilters, options: DashboardOptions) -> dict:
    """Every figure of the page: the selectors' data (for the charts) and their tables (for the table
    views and exports), computed once per request."""
    regions = dashboard.needs_by_region(scope, filters, parent=options.parent)
    matrix = dashboard.region_industry_matrix(scope, filters, level=options.level)
    ranking = dashboard.unanswered_ranking(scope, filters, level=options.level, unanswered_days=options.days)
    gap = dashboard.supply_gap(scope, filters, level=options.level, unanswered_days=options.days)
    trend = dashboard.monthly_trend(scope, filters, level=options.level)
    funnel = dashboard.matching_funnel(scope, filters)
    assignments = dashboard.assignment_response(scope, filters)
    data = {
        "regions": regions,
        "matrix": matrix,
        "unanswered": ranking,
        "gap": gap,
        "trend": trend,
        "funnel": funnel,
        "assignments": assignments,
    }
    tables = {
        "regions": regions_table(regions),
        "matrix": matrix_table(matrix),
        "unanswered": unanswered_table(ranking, options),
        "gap": gap_table(gap, options),
        "trend": trend_table(trend),
        "funnel": funnel_table(funnel),
        "assignments": assignments_table(assignments),
    }
    return {"data": data, "tables": tables}


def one_table(name: str, scope: Scope, filters: DashboardFilters, options: DashboardOptions) -> Table | None:
    """Only the table asked for (an export computes one figure, not all seven)."""
    builders = {
        "regions": lambda: regions_table(dashboard.needs_by_region(scope, filters, parent=options.parent)),
        "matrix": lambda: matrix_table(dashboard.region_industry_matrix(scope, filters, level=options.level)),
        "unanswered": lambda: unanswered_table(
            dashboard.unanswered_ranking(scope, filters, level=options.level, unanswered_days=options.days),
            options,
        ),
        "gap": lambda: gap_table(
            dashboard.supply_gap(scope, filters, level=options.level, unanswered_days=options.days), options
        ),
        "trend": lambda: trend_table(dashboard.monthly_trend(scope, filters, level=options.level)),
        "funnel": lambda: funnel_table(dashboard.matching_funnel(scope, filters)),
        "assignments": lambda: assignments_table(dashboard.assignment_response(scope, filters)),
    }
    builder = builders.get(name)
    return builder() if builder else None
