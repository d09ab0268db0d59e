"""Who may see the government dashboard, over which region, and the filters every dashboard figure takes.

Scopes (decided here, used by the pages, the API and the notebooks alike):

- 政府用户 (gov_viewer): every posted need (published, engaged, resolved, closed or expired) located in
  the agency's region or below it. A city bureau sees its city and its counties, a province's
  education department the whole province.
- 平台管理员: every posted need in the country.
- 科技处管理员 and 学院管理员: the university-level view, i.e. the needs located in their university's
  region (University.region) and below, counted only while they are public in the demand hall
  (published, engaged, resolved): the same needs anyone can browse, aggregated, so a university sees
  where demand around it goes unanswered and can steer its teams. No university region: no view.
- 企业用户 and 小分队成员: no dashboard.

A filter that names a region outside the scope is refused (`OutOfScope`, a 403), never silently
narrowed, so a viewer of one city asking for another city's data learns nothing about it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.scope import is_college_admin, is_government, is_platform_admin, is_sto_admin
from core.form_fields import whole_number
from demand.models import Need, ServiceType
from demand.selectors import HALL_STATUSES
from reference.models import Industry, Region
from reference.selectors import region_get

# Needs that were ever published: what "posted" means for the government.
POSTED_STATUSES = (
    Need.Status.PUBLISHED,
    Need.Status.ENGAGED,
    Need.Status.RESOLVED,
    Need.Status.CLOSED,
    Need.Status.EXPIRED,
)
# Dates outside these years are typing errors, and the far ends of the calendar overflow time zones.
FIRST_YEAR, LAST_YEAR = 1990, 2100


class FilterError(ValueError):
    """Bad filter values; `errors` maps each field to its Chinese message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("；".join(errors.values()))
        self.errors = errors


class OutOfScope(PermissionDenied):
    """A region outside the asker's scope: refused as a whole (403)."""


@dataclass(frozen=True)
class Scope:
    """What one asker may aggregate: needs under `region_code` ("" = all of China) in `statuses`."""

    region_code: str
    region_name: str
    statuses: tuple[str, ...]
    label: str

    def contains(self, code: str) -> bool:
        """`code` lies in the scope (the scope's own region included)."""
        return code.startswith(self.region_code)

    def related(self, code: str) -> bool:
        """`code` lies in the scope or above it (the province of a city viewer: a map may drill through it)."""
        return self.contains(code) or self.region_code.startswith(code)

    @cached_property
    def municipality(self) -> bool:
        """The scope is 北京、天津、上海 or 重庆 (asked once per scope: its tables ask several times)."""
        return is_municipality(self.region_code)


@dataclass(frozen=True)
class DashboardFilters:
    """The filters every dashboard selector takes. All optional; build it with `parse_filters`.

    date_from/date_to: the day a need was published (China time), both inclusive.
    industry: a GB/T 4754-2017 code at any level ("C", "35", "353", "3533"); the need's industry or below.
    service_type: a ServiceType value the need asks for. status: one of POSTED_STATUSES.
    region: a region code (2/4/6 digits; "331000" is read as "3310"); the region or below.
    """

    date_from: date | None = None
    date_to: date | None = None
    industry: str = ""
    service_type: str = ""
    status: str = ""
    region: str = ""

    def as_params(self) -> dict[str, str]:
        """The filters as query parameters (empty ones left out), for links and exports."""
        params = {
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "industry": self.industry,
            "service_type": self.service_type,
            "status": self.status,
            "region": self.region,
        }
        return {k: v for k, v in params.items() if v}

    def with_region(self, code: str) -> DashboardFilters:
        return replace(self, region=code)


NO_FILTERS = DashboardFilters()
FILTER_FIELDS = ("date_from", "date_to", "industry", "service_type", "status", "region")


# ------------------------------------------------------------------------------------------------ scope


def scope_for(user) -> Scope | None:
    """The asker's scope, or None when the role has no dashboard (the pages answer 403)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if is_platform_admin(user):
        return Scope("", "全国", POSTED_STATUSES, "全国")
    if is_government(user) and user.agency_id:
        region = user.agency.region
        return Scope(
            region.code, region.name, POSTED_STATUSES, f"{user.agency.name}（{region.name}及下辖地区）"
        )
    if is_sto_admin(user) or is_college_admin(user):
        university = user.home_university
        if university is None or university.region_id is None:
            return None
        region = university.region
        return Scope(
            region.code, region.name, HALL_STATUSES, f"{university.name}所在地区（{region.name}，公开需求）"
        )
    return None


def scope_of_region(code: str = "", *, public_only: bool = False) -> Scope:
    """A scope without a user (notebooks, benchmarks): a region ("" = China) as a government viewer sees it."""
    if not code:
        return Scope("", "全国", HALL_STATUSES if public_only else POSTED_STATUSES, "全国")
    region = region_get(code)
    if region is None:
        raise FilterError({"region": f"地区代码“{code}”不存在。"})
    return Scope(region.code, region.name, HALL_STATUSES if public_only else POSTED_STATUSES, region.name)


# ---------------------------------------------------------------------------------------------- filters


def _date(value, field: str, label: str, errors: dict) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value).strip())
        except ValueError:
            errors[field] = f"{label}格式应为 YYYY-MM-DD，例如 2026-01-31。"
            return None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        errors[field] = f"{label}应在 {FIRST_YEAR} 年到 {LAST_YEAR} 年之间。"
        return None
    return value


def period_parse(data, errors: dict[str, str]) -> tuple[date | None, date | None]:
    """date_from and date_to from query parameters (both optional, both inclusive); what is wrong goes
    into `errors` by field, in Chinese. The dashboard and the industry map read a period the same way."""
    date_from = _date(data.get("date_from"), "date_from", "开始日期", errors)
    date_to = _date(data.get("date_to"), "date_to", "结束日期", errors)
    if date_from and date_to and date_from > date_to:
        errors["date_to"] = "结束日期不能早于开始日期。"
    return date_from, date_to


def published_between(date_from: date | None, date_to: date | None, *, via: str = "") -> dict:
    """Filter arguments for needs published in the period (China days, both inclusive), as datetime
    bounds an index on published_at can use."""
    bounds = {}
    if date_from:
        bounds[f"{via}published_at__gte"] = _start_of(date_from)
    if date_to:
        bounds[f"{via}published_at__lt"] = _start_of(date_to + timedelta(days=1))
    return bounds


def parse_filters(data) -> DashboardFilters:
    """Filters from query parameters (any mapping with .get). Raises FilterError with Chinese messages."""
    errors: dict[str, str] = {}
    date_from, date_to = period_parse(data, errors)

    industry = str(data.get("industry") or "").strip().upper()
    if industry and not Industry.objects.filter(code=industry).exists():
        errors["industry"] = f"行业代码“{industry}”不存在，应为 GB/T 4754-2017 的门类字母或 2–4 位数字代码。"

    service_type = str(data.get("service_type") or "").strip()
    if service_type and service_type not in ServiceType.values:
        errors["service_type"] = f"需求类型“{service_type}”无效。"

    status = str(data.get("status") or "").strip()
    if status and status not in POSTED_STATUSES:
        errors["status"] = f"状态“{status}”无效，可选：已发布、对接中、已解决、已关闭、已过期。"

    region = str(data.get("region") or "").strip()
    if region:
        found = region_get(region) if region.isdigit() else None
        if found is None:
            errors["region"] = f"地区代码“{region}”不存在，应为 2、4 或 6 位统计用区划代码。"
        else:
            region = found.code
    if errors:
        raise FilterError(errors)
    return DashboardFilters(date_from, date_to, industry, service_type, status, region)


def check_region(scope: Scope, code: str, *, allow_above: bool = False) -> None:
    """Refuse a region outside the scope (or, for map drill-down, neither in it nor above it)."""
    if not code:
        return
    ok = scope.related(code) if allow_above else scope.contains(code)
    if not ok:
        raise OutOfScope(f"无权查看该地区的数据：您的查看范围是{scope.region_name}及下辖地区。")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def industry_ids_under(code: str) -> list[int]:
    """Ids of the industry and everything below it (at most the 1,971 rows of the standard). A list of
    ids lets PostgreSQL estimate the needs from their own statistics; the 门类 letter's four-way OR
    over parent joins (demand.selectors.industry_q) does not, and leads it into nested loops."""
    code = code.strip().upper()
    if code.isalpha():
        under = (
            Q(code=code)
            | Q(parent__code=code)
            | Q(parent__parent__code=code)
            | Q(parent__parent__parent__code=code)
        )
    else:
        under = Q(code__startswith=code)
    return list(Industry.objects.filter(under).values_list("id", flat=True))


def apply_filters(qs: QuerySet, scope: Scope, filters: DashboardFilters, *, via: str = "") -> QuerySet:
    """Narrow a queryset of needs to the scope and the filters (dates as index-friendly datetime bounds).

    `via` is the path to the need from another model ("need__" for recommendations), so a query that
    starts from that model joins the need directly instead of testing `need IN (subquery)`.
    """
    check_region(scope, filters.region)
    qs = qs.filter(**{f"{via}status__in": scope.statuses, f"{via}published_at__isnull": False})
    # A filtered region lies in the scope (checked above), so the narrower code alone is the condition:
    # two LIKEs on the same column make PostgreSQL underestimate the rows and pick nested loops.
    narrowest = filters.region or scope.region_code
    if narrowest:
        qs = qs.filter(**{f"{via}region__code__startswith": narrowest})
    if filters.industry:
        qs = qs.filter(**{f"{via}industry_id__in": industry_ids_under(filters.industry)})
    if filters.service_type:
        # The hall's rule: the JSON list's text holds the quoted value (same on SQLite and PostgreSQL).
        qs = qs.filter(**{f"{via}service_types__icontains": f'"{filters.service_type}"'})
    if filters.status:
        qs = qs.filter(**{f"{via}status": filters.status})
    return qs.filter(**published_between(filters.date_from, filters.date_to, via=via))


def needs_in_scope(scope: Scope, filters: DashboardFilters = NO_FILTERS) -> QuerySet[Need]:
    """Every need a figure counts for this scope and these filters (the base of every selector)."""
    return apply_filters(Need.objects.all(), scope, filters)


# A municipality's "cities" are these placeholders, not cities; a province's counties under its direct
# administration hang under a placeholder named like 省直辖县级行政区划 (4290).
MUNICIPAL_PLACEHOLDERS = frozenset({"市辖区", "县"})
DIRECT_COUNTIES_SUFFIX = "直辖县级行政区划"


def municipal(city_names) -> bool:
    """True for a province whose cities (their names) are only the placeholders 市辖区 and 县."""
    names = set(city_names)
    return bool(names) and names <= MUNICIPAL_PLACEHOLDERS


def is_municipality(code: str) -> bool:
    """北京、天津、上海、重庆: a province whose only "cities" are the placeholders 市辖区 and 县."""
    if len(code) != 2:
        return False
    return municipal(Region.objects.filter(parent__code=code).values_list("name", flat=True))


def row_level_length(scope: Scope) -> int:
    """Code length of the regions directly below the scope (provinces 2, cities 4, counties 6); a
    municipality's rows are its districts and counties, not its placeholder cities."""
    if scope.municipality:
        return 6
    return min(len(scope.region_code) + 2, 6)


def region_rows(scope: Scope) -> list[tuple[str, str]]:
    """(code, name) of the regions directly below the scope's region (a municipality's districts and
    counties); a county scope is its own row."""
    if not scope.region_code:
        qs = Region.objects.filter(level=Region.Level.PROVINCE)
    elif len(scope.region_code) >= 6:
        qs = Region.objects.filter(code=scope.region_code)
    elif scope.municipality:
        qs = Region.objects.filter(parent__parent__code=scope.region_code)
    else:
        qs = Region.objects.filter(parent__code=scope.region_code)
    return list(qs.order_by("code").values_list("code", "name"))


def q_region(code: str, row_length: int) -> Q:
    """A row's needs: under the code, or exactly at it when the row stands for the region's own level (本级)."""
    if len(code) < row_length:
        return Q(region__code=code)
    return Q(region__code__startswith=code)


# ---------------------------------------------------------------------------------------------- options

LEVEL_CHOICES = ("section", "division")
MAX_UNANSWERED_DAYS = 3650


@dataclass(frozen=True)
class DashboardOptions:
    """How figures are cut, beside the filters: industry level of the matrix, gap and trend (门类
    "section" or 大类 "division"), days before a need counts as unanswered, the map's parent region
    ("" = provinces) and the map's colour measure ("count" or "budget")."""

    level: str = "section"
    days: int = 30
    parent: str = ""
    metric: str = "count"


def parse_options(data, *, default_parent: str = "") -> DashboardOptions:
    """Options from query parameters; FilterError with Chinese messages on bad values."""
    errors: dict[str, str] = {}
    level = str(data.get("level") or "section").strip()
    if level not in LEVEL_CHOICES:
        errors["level"] = "行业层级应为 section（门类）或 division（大类）。"
    raw_days = str(data.get("days") or "30").strip()
    days = whole_number(raw_days, high=MAX_UNANSWERED_DAYS) or 0
    if not 1 <= days <= MAX_UNANSWERED_DAYS:
        errors["days"] = f"未响应天数应为 1 到 {MAX_UNANSWERED_DAYS} 之间的整数。"
    parent = str(data.get("parent") if data.get("parent") is not None else default_parent).strip()
    # The map has three levels: China's provinces, a province's cities, a city's counties (drawn as
    # points at their seats: shared/data has province and city boundaries, none for counties).
    if parent and not (
        parent.isdigit() and len(parent) in (2, 4) and Region.objects.filter(code=parent).exists()
    ):
        errors["parent"] = f"地图上级地区“{parent}”无效：请填写省级（2 位）或地级（4 位）区划代码，空为全国。"
    metric = str(data.get("metric") or "count").strip()
    if metric not in ("count", "budget"):
        errors["metric"] = "地图着色指标应为 count（需求数）或 budget（预算）。"
    if errors:
        raise FilterError(errors)
    return DashboardOptions(level, days, parent, metric)


def default_map_parent(scope: Scope) -> str:
    """Where the map opens: China for a national scope, the cities of a province's, and the counties of
    the city for a city's or a county's viewer (their own neighbourhood; the province is one click up)."""
    return scope.region_code[:4]
