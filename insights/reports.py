"""Reporting upward: the problem library (问题库) and the project library (项目库) for a period and a
region, generated in a Celery task into xlsx and JSON lines (insights/report_layout.py, documented in
insights/REPORT_LAYOUT.md), kept per university and downloaded through a checked view.

What an export holds (the scope, also in REPORT_LAYOUT.md):

- Problem library: needs **published** in the period (publication date, China Standard Time) whose own
  region (the need's 所在地区) is the chosen region or below it, with their state and outcome as of
  the export. An S&T office gets the needs of its university's region (answered or not: the local
  problems its teams should know about) plus, anywhere in the chosen region, the needs one of its teams
  reached an engagement on. A platform administrator gets every need.
- Project library: engagements that reached agreement and were **under way during the period** (agreed
  on or before its last day and not completed or cancelled before its first day) on needs in the chosen
  region, with the service records written against them that passed review (学院已审核 or 抽查通过);
  records of the achievement types (teams.models.ACHIEVEMENT_TYPES: all but service visits and
  training, each with its DOI, patent or contract number) are the achievements. An S&T office
  gets its own teams' engagements; a platform administrator every engagement.

Who: an S&T office administrator generates and downloads its university's exports; a platform
administrator generates its own and may download every export. Everyone else gets a 404.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from accounts.scope import is_platform_admin, is_sto_admin
from core.errors import DomainError
from demand.models import Need
from engagements.models import Engagement, EngagementRecord
from insights import report_layout as layout
from insights.models import ReportExport
from reference.choices import ServiceType
from reference.models import Region
from reference.selectors import region_get
from teams.models import ACHIEVEMENT_TYPES, RecordType, ServiceRecord
from teams.records import COUNTED

logger = logging.getLogger(__name__)

E = Engagement.Status
AGREED_STATUSES = (E.AGREED, E.IN_SERVICE, E.COMPLETED)
FORMATS = {"xlsx": "Excel（xlsx）", "jsonl": "JSON Lines"}
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jsonl": "application/x-ndjson; charset=utf-8",
}
REPORT_KEEP = 20  # exports kept per university (and for the platform's administrators together)
EARLIEST = dt.date(2000, 1, 1)
MAX_PERIOD_DAYS = 3 * 366


class ReportError(DomainError):
    """Bad input for an export; the message is shown to the user as it is, ``field`` names the input
    (the API answers it as a 400 in its one error shape)."""


# ------------------------------------------------------------------------------------------ who sees what


def report_may_generate(user) -> bool:
    if not user.is_authenticated:
        return False
    return is_platform_admin(user) or (is_sto_admin(user) and user.university_id is not None)


def report_exports_visible_to(user):
    return ReportExport.objects.select_related("region", "university", "created_by").visible_to(user)


# ------------------------------------------------------------------------------------------------- rows


def region_code6(region: Region | None) -> str | None:
    """The 6-digit form of our 2/4/6-digit 统计用区划代码 (33 → 330000, 3310 → 331000)."""
    return region.code.ljust(6, "0") if region else None


def _day_bounds(period_from: dt.date, period_to: dt.date):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(period_from, dt.time.min), tz)
    end = timezone.make_aware(dt.datetime.combine(period_to + dt.timedelta(days=1), dt.time.min), tz)
    return start, end


def _in_region(path: str, region: Region | None) -> Q:
    return Q() if region is None else Q(**{f"{path}__code__startswith": region.code})


def _outcome(need: Need) -> tuple[str, str]:
    S = Need.Status
    if need.status == S.RESOLVED:
        return "resolved", "已解决"
    if need.status == S.CLOSED:
        return "closed", "已关闭"
    if need.status == S.EXPIRED:
        return "expired", "已过期"
    if need.status == S.ENGAGED:
        return "in_progress", "对接中"
    return "open", "待对接"


def _labels(choices) -> dict[str, str]:
    """Code → Chinese label, looked up once per export (a model's get_FOO_display per row is slow)."""
    return {code: str(label) for code, label in choices}


def problem_rows(*, university, region: Region | None, period_from, period_to) -> list[dict]:
    """The problem library's rows (plain values), ordered by need id; ``university`` None = everything."""
    status_labels = _labels(Need.Status.choices)
    service_labels = _labels(ServiceType.choices)
    start, end = _day_bounds(period_from, period_to)
    needs = Need.objects.filter(_in_region("region", region), published_at__gte=start, published_at__lt=end)
    if university is not None:
        own_team_engaged = Engagement.objects.filter(
            need=OuterRef("pk"), status__in=AGREED_STATUSES, team__college__university=university
        )
        home = _in_region("region", university.region) if university.region_id else Q(pk__in=[])
        needs = needs.filter(home | Q(Exists(own_team_engaged)))
    agreed = Engagement.objects.filter(status__in=AGREED_STATUSES).select_related("team__college__university")
    needs = (
        needs.select_related("enterprise", "industry", "region")
        .prefetch_related(Prefetch("engagements", queryset=agreed.order_by("id"), to_attr="agreed"))
        .order_by("id")
    )
    rows = []
    for need in needs:
        outcome, outcome_label = _outcome(need)
        ratings = [e.rating for e in need.agreed if e.rating is not None]
        row = {
            "need_id": need.pk,
            "title": need.title,
            "enterprise_name": need.enterprise.name,
            "enterprise_credit_code": need.enterprise.credit_code,
            "industry_code": need.industry.code,
            "industry_name": need.industry.name,
            "region_code": region_code6(need.region),
            "region_name": need.region.name,
            "service_types": list(need.service_types),
            "service_type_labels": [service_labels.get(code, code) for code in need.service_types],
            "budget_min_wan": need.budget_min,
            "budget_max_wan": need.budget_max,
            "status": need.status,
            "status_label": status_labels.get(need.status, need.status),
            "published_at": need.published_at,
            "engaged_at": need.engaged_at,
            "resolved_at": need.resolved_at,
            "closed_at": need.closed_at,
            "outcome": outcome,
            "outcome_label": outcome_label,
            "close_reason": need.close_reason,
            "engagements_count": len(need.agreed),
            "engaged_teams": list(dict.fromkeys(e.team.name for e in need.agreed)),
            "engaged_universities": list(dict.fromkeys(e.team.college.university.name for e in need.agreed)),
            "rating_avg": round(sum(ratings) / len(ratings), 2) if ratings else None,
        }
        rows.append(layout.plain_row(row, layout.PROBLEM_COLUMNS))
    return rows


def _record_row(record: ServiceRecord, labels: dict) -> dict:
    row = {
        "record_id": record.pk,
        "record_type": record.record_type,
        "record_type_label": labels["type"].get(record.record_type, record.record_type),
        "date": record.date,
        "title": record.title,
        "served_organisation": record.served_organisation,
        "amount_wan": record.amount_wan,
        "achievement_key": record.achievement_key,
        "is_achievement": 1 if record.record_type in ACHIEVEMENT_TYPES else 0,
        "status": record.status,
        "status_label": labels["record_status"].get(record.status, record.status),
    }
    return layout.plain_row(row, layout.RECORD_COLUMNS[1:])


def project_rows(*, university, region: Region | None, period_from, period_to) -> list[dict]:
    """The project library's rows (plain values, records nested), ordered by engagement id."""
    labels = {
        "origin": _labels(Engagement.Origin.choices),
        "status": _labels(Engagement.Status.choices),
        "type": _labels(RecordType.choices),
        "record_status": _labels(ServiceRecord.Status.choices),
    }
    start, end = _day_bounds(period_from, period_to)
    ongoing = Q(completed_at__isnull=True, ended_at__isnull=True)
    engagements = Engagement.objects.filter(
        _in_region("need__region", region),
        agreed_at__isnull=False,
        agreed_at__lt=end,
    ).filter(ongoing | Q(completed_at__gte=start) | Q(ended_at__gte=start))
    if university is not None:
        engagements = engagements.filter(team__college__university=university)
    counted = EngagementRecord.objects.filter(record__status__in=COUNTED).select_related("record")
    engagements = (
        engagements.select_related(
            "need__enterprise", "need__industry", "need__region", "team__college__university"
        )
        .prefetch_related(
            Prefetch(
                "record_links", queryset=counted.order_by("record__date", "record_id"), to_attr="counted"
            )
        )
        .order_by("id")
    )
    rows = []
    for e in engagements:
        records = [link.record for link in e.counted]
        amounts = [r.amount_wan for r in records if r.amount_wan is not None]
        row = {
            "engagement_id": e.pk,
            "need_id": e.need_id,
            "need_title": e.need.title,
            "enterprise_name": e.need.enterprise.name,
            "enterprise_credit_code": e.need.enterprise.credit_code,
            "industry_code": e.need.industry.code,
            "industry_name": e.need.industry.name,
            "region_code": region_code6(e.need.region),
            "region_name": e.need.region.name,
            "team_id": e.team_id,
            "team_name": e.team.name,
            "university_name": e.team.college.university.name,
            "college_name": e.team.college.name,
            "origin": e.origin,
            "origin_label": labels["origin"].get(e.origin, e.origin),
            "status": e.status,
            "status_label": labels["status"].get(e.status, e.status),
            "agreed_at": e.agreed_at,
            "started_at": e.started_at,
            "completed_at": e.completed_at,
            "ended_at": e.ended_at,
            "rating": e.rating,
            "records_count": len(records),
            "achievements_count": sum(1 for r in records if r.record_type in ACHIEVEMENT_TYPES),
            "amount_wan_total": sum(amounts) if amounts else None,
        }
        plain = layout.plain_row(row, layout.PROJECT_COLUMNS)
        plain["records"] = [_record_row(r, labels) for r in records]
        rows.append(plain)
    return rows


ROW_BUILDERS = {ReportExport.Kind.PROBLEMS: problem_rows, ReportExport.Kind.PROJECTS: project_rows}


# --------------------------------------------------------------------------------------------- services


def _validate(*, kind, period_from, period_to, region_code, formats) -> tuple[Region | None, list[str]]:
    if kind not in ReportExport.Kind.values:
        raise ReportError("请选择导出类型（问题库或项目库）。", field="kind")
    if not isinstance(period_from, dt.date) or not isinstance(period_to, dt.date):
        raise ReportError("请填写起始日期和截止日期。", field="period_from")
    if period_from > period_to:
        raise ReportError("起始日期不能晚于截止日期。", field="period_from")
    if period_from < EARLIEST:
        raise ReportError("起始日期不能早于 2000 年 1 月 1 日。", field="period_from")
    if period_to > timezone.localdate():
        raise ReportError("截止日期不能晚于今天。", field="period_to")
    if (period_to - period_from).days >= MAX_PERIOD_DAYS:
        raise ReportError("一次导出的期间不能超过三年，请分段导出。", field="period_from")
    region = None
    region_code = (region_code or "").strip()
    if region_code:
        region = region_get(region_code)
        if region is None:
            raise ReportError(
                f"未知的地区代码“{region_code[:20]}”，请填写统计用区划代码，如 3310（台州市）。",
                field="region_code",
            )
    chosen = [f for f in FORMATS if f in set(formats or [])]
    if not chosen or len(chosen) != len(set(formats or [])):
        raise ReportError("请至少选择一种格式（xlsx 或 JSON Lines），且只能选择这两种。", field="formats")
    return region, chosen


def report_export_request(
    *, by, kind: str, period_from, period_to, region_code: str = "", formats=("xlsx", "jsonl")
) -> ReportExport:
    """Validate and queue an export; nothing is saved when the input is wrong (ReportError)."""
    if not report_may_generate(by):
        raise PermissionDenied("只有科技处管理员和平台管理员可以生成上报导出。")
    region, chosen = _validate(
        kind=kind, period_from=period_from, period_to=period_to, region_code=region_code, formats=formats
    )
    from insights.tasks import report_export_generate_task

    with transaction.atomic():
        export = ReportExport(
            kind=kind,
            period_from=period_from,
            period_to=period_to,
            region=region,
            university=None if is_platform_admin(by) else by.university,
            formats=chosen,
            created_by=by,
        )
        export.full_clean()
        export.save()
        transaction.on_commit(lambda: report_export_generate_task.delay(export.pk))
    return export


def _file_stem(export: ReportExport) -> str:
    region = export.region.code if export.region_id else "all"
    return f"{export.kind}_{region}_{export.period_from:%Y%m%d}_{export.period_to:%Y%m%d}_{export.pk}"


def download_name(export: ReportExport, fmt: str) -> str:
    region = export.region.name if export.region_id else "全国"
    return f"{export.get_kind_display()}_{region}_{export.period_from}_{export.period_to}.{fmt}"


def report_export_generate(*, export_id: int, claim: str = "") -> ReportExport | None:
    """Build the files of a queued export. Safe to run twice: only the run that moves it from 排队中 to
    生成中 does the work, and a redelivery of that same task (``claim``, the task id) after its worker
    died mid-build, which would otherwise leave it 生成中 for good. A failure is kept on the export
    (status 生成失败) with no files."""
    S = ReportExport.Status
    claimed = ReportExport.objects.filter(pk=export_id, status=S.PENDING).update(
        status=S.RUNNING, claimed_by=claim
    )
    if not claimed and claim:
        claimed = ReportExport.objects.filter(pk=export_id, status=S.RUNNING, claimed_by=claim).exists()
    if not claimed:
        return None
    export = ReportExport.objects.select_related("region", "university", "university__region").get(
        pk=export_id
    )
    try:
        rows = ROW_BUILDERS[export.kind](
            university=export.university,
            region=export.region,
            period_from=export.period_from,
            period_to=export.period_to,
        )
        stem = _file_stem(export)
        if "xlsx" in export.formats:
            export.xlsx_file.save(
                f"{stem}.xlsx", ContentFile(layout.xlsx_bytes(export.kind, rows)), save=False
            )
        if "jsonl" in export.formats:
            export.jsonl_file.save(f"{stem}.jsonl", ContentFile(layout.jsonl_bytes(rows)), save=False)
    except Exception:
        logger.exception("report export %s failed", export_id)
        for field in (export.xlsx_file, export.jsonl_file):
            if field:
                field.delete(save=False)
        ReportExport.objects.filter(pk=export_id).update(
            status=ReportExport.Status.FAILED, error="生成时出错，请稍后重试或联系平台管理员。"
        )
        return None
    export.rows_count = len(rows)
    export.status = ReportExport.Status.DONE
    export.finished_at = timezone.now()
    export.save(update_fields=["xlsx_file", "jsonl_file", "rows_count", "status", "finished_at"])
    report_exports_prune(university_id=export.university_id)
    return export


def report_exports_prune(*, university_id, keep: int = REPORT_KEEP) -> int:
    """Delete all but the newest ``keep`` finished exports of one university (None: the platform's),
    files first. Exports still queued or running are never pruned."""
    finished = ReportExport.objects.filter(
        university_id=university_id, status__in=[ReportExport.Status.DONE, ReportExport.Status.FAILED]
    ).order_by("-created_at", "-id")
    old = list(finished[keep:])
    for export in old:
        for field in (export.xlsx_file, export.jsonl_file):
            if field:
                field.delete(save=False)
        export.delete()
    return len(old)
