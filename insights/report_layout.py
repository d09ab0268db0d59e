"""The column layout of the reports to the provincial platform (问题库 / 项目库), and the two writers.

The layout is documented for the importing side in insights/REPORT_LAYOUT.md (a test checks that every
key here is documented there, in order). Both formats carry the same values:

- JSON lines: one object per line, UTF-8, keys as below; text verbatim, numbers as numbers, missing
  values and empty text as null, list columns as arrays, the project library's service records nested under "records".
- xlsx: row 1 holds the Chinese headers; list columns are joined with "；"; missing values are empty
  cells; text that starts like a formula gets a leading apostrophe (accounts/exports.py) so it shows as
  text. The project library has a second sheet with one row per service record.

Dates are ``YYYY-MM-DD``; date-times are ISO 8601 in China Standard Time with the offset
(``2026-03-01T09:30:00+08:00``), as text in both formats so nothing depends on a spreadsheet's clock.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook

from core.exports import spreadsheet_safe

LIST_SEPARATOR = "；"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    type: str  # int, text, number, date, datetime, list


def _columns(*specs) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


PROBLEM_COLUMNS = _columns(
    ("need_id", "需求编号", "int"),
    ("title", "需求标题", "text"),
    ("enterprise_name", "企业名称", "text"),
    ("enterprise_credit_code", "统一社会信用代码", "text"),
    ("industry_code", "行业代码", "text"),
    ("industry_name", "行业名称", "text"),
    ("region_code", "地区代码", "text"),
    ("region_name", "地区名称", "text"),
    ("service_types", "需求类型代码", "list"),
    ("service_type_labels", "需求类型", "list"),
    ("budget_min_wan", "预算下限（万元）", "number"),
    ("budget_max_wan", "预算上限（万元）", "number"),
    ("status", "状态代码", "text"),
    ("status_label", "状态", "text"),
    ("published_at", "发布时间", "datetime"),
    ("engaged_at", "开始对接时间", "datetime"),
    ("resolved_at", "解决时间", "datetime"),
    ("closed_at", "关闭时间", "datetime"),
    ("outcome", "结果代码", "text"),
    ("outcome_label", "结果", "text"),
    ("close_reason", "关闭原因", "text"),
    ("engagements_count", "对接数", "int"),
    ("engaged_teams", "对接小分队", "list"),
    ("engaged_universities", "对接高校", "list"),
    ("rating_avg", "企业评分均值", "number"),
)

PROJECT_COLUMNS = _columns(
    ("engagement_id", "项目编号", "int"),
    ("need_id", "需求编号", "int"),
    ("need_title", "需求标题", "text"),
    ("enterprise_name", "企业名称", "text"),
    ("enterprise_credit_code", "统一社会信用代码", "text"),
    ("industry_code", "行业代码", "text"),
    ("industry_name", "行业名称", "text"),
    ("region_code", "地区代码", "text"),
    ("region_name", "地区名称", "text"),
    ("team_id", "小分队编号", "int"),
    ("team_name", "小分队名称", "text"),
    ("university_name", "高校", "text"),
    ("college_name", "二级学院", "text"),
    ("origin", "来源代码", "text"),
    ("origin_label", "来源", "text"),
    ("status", "状态代码", "text"),
    ("status_label", "状态", "text"),
    ("agreed_at", "达成时间", "datetime"),
    ("started_at", "开始服务时间", "datetime"),
    ("completed_at", "完成时间", "datetime"),
    ("ended_at", "取消时间", "datetime"),
    ("rating", "企业评分", "int"),
    ("records_count", "服务记录数", "int"),
    ("achievements_count", "成果数", "int"),
    ("amount_wan_total", "金额合计（万元）", "number"),
)

RECORD_COLUMNS = _columns(
    ("engagement_id", "项目编号", "int"),
    ("record_id", "记录编号", "int"),
    ("record_type", "记录类型代码", "text"),
    ("record_type_label", "记录类型", "text"),
    ("date", "日期", "date"),
    ("title", "标题", "text"),
    ("served_organisation", "服务对象", "text"),
    ("amount_wan", "金额（万元）", "number"),
    ("achievement_key", "成果标识", "text"),
    ("is_achievement", "是否成果", "int"),
    ("status", "审核状态代码", "text"),
    ("status_label", "审核状态", "text"),
)

SHEET_TITLES = {"problems": "问题库", "projects": "项目库", "records": "服务记录与成果"}


def plain(value, column_type: str):
    """A value as it goes into JSON (and, with lists joined, into a cell). Empty text is null, as an
    empty cell reads back."""
    if value is None or value == "":
        return None
    if column_type == "datetime":
        return timezone.localtime(value).isoformat(timespec="seconds")
    if column_type == "date":
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if column_type == "number":
        return float(value) if isinstance(value, Decimal) else value
    if column_type == "list":
        return [str(v) for v in value]
    return value


def plain_row(row: dict, columns) -> dict:
    return {c.key: plain(row.get(c.key), c.type) for c in columns}


def cell(value, column_type: str):
    """A plain value as an xlsx cell: lists joined, formula-like text neutralised, None stays empty."""
    if column_type == "list":
        value = LIST_SEPARATOR.join(value or [])
    return spreadsheet_safe(value)


def jsonl_bytes(rows: list[dict]) -> bytes:
    """One JSON object per line; rows are already plain (see ``plain_row``)."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")


def _sheet(workbook: Workbook, title: str, columns, rows: list[dict]):
    sheet = workbook.create_sheet(title)
    sheet.append([c.header for c in columns])
    for row in rows:
        sheet.append([cell(row[c.key], c.type) for c in columns])


def xlsx_bytes(kind: str, rows: list[dict]) -> bytes:
    """The xlsx for one kind; rows are plain. The project library gets its records on a second sheet."""
    workbook = Workbook(write_only=True)  # streams rows: several times faster for large exports
    if kind == "problems":
        _sheet(workbook, SHEET_TITLES["problems"], PROBLEM_COLUMNS, rows)
    else:
        _sheet(workbook, SHEET_TITLES["projects"], PROJECT_COLUMNS, rows)
        records = [{"engagement_id": row["engagement_id"], **r} for row in rows for r in row["records"]]
        _sheet(workbook, SHEET_TITLES["records"], RECORD_COLUMNS, records)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
