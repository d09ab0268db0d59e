"""产业图谱: a region's enterprises by industry (GB/T 4754 门类 → 大类 → 中类), with the needs they
posted, the teams serving them and the engagements between them.

Every number is counted in the database (GROUP BY the node's code), one query per measure group and tree
level, so the map costs the same dozen queries for a county or for the whole country.

Definitions (shown under the page's table and in the API schema):

- The map is of **enterprises**: an approved enterprise belongs to the node of its own industry and is
  in the region when its own region is the region or below it. Its needs and their engagements are
  counted under the enterprise's industry and region (not the need's), so every number on a row speaks
  of the same enterprises.
- 企业数: approved enterprises.
- 发布需求: their needs that were ever published (``published_at`` set), whatever their state now;
  drafts and needs still waiting for moderation are not counted.
- 获得对接: published needs with at least one engagement that reached agreement (已达成、服务中、已完成).
  Proposals that were never agreed, declined or cancelled do not count.
- 已解决: published needs in the state 已解决.
- 未获对接: 发布需求 − 获得对接: needs no team ever took on (open, expired or closed by the enterprise).
- 服务小分队: distinct teams with an agreed, running or completed engagement on these needs. A team
  serving two 大类 counts once in their 门类, so this column does not add up down the tree.
- 进行中对接 / 已完成对接: engagements 已达成 or 服务中 / 已完成.
- 对接覆盖率: 获得对接 ÷ 发布需求, in per cent with one decimal; empty when nothing was posted.
- 服务情况: 服务良好 when the coverage is at least 60 %, 部分覆盖 from 30 %, 服务不足 below 30 %,
  暂无需求 when nothing was posted.

A period (date_from, date_to: the days a need was published, both inclusive) narrows the needs and
their engagements to needs published in it; 企业数 still counts every approved enterprise of the node,
so a node whose enterprises posted nothing in the period shows 暂无需求.

An enterprise classified only to a coarser level (say a 大类) counts at that level and above, not in any
中类 below it, so a parent's numbers can exceed the sum of its children.

Who may see which region (``map_root_region``): a government viewer its agency's region and everything
below; an S&T office the region of its university and below (the region its teams chiefly serve);
a platform administrator every region. Everyone else sees no map.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Value, When

from accounts.models import Enterprise
from accounts.scope import is_government, is_platform_admin, is_sto_admin
from core.errors import DomainError
from demand.models import Need
from engagements.models import Engagement
from insights.dashboard_filters import period_parse, published_between
from reference.models import Industry, Region
from reference.selectors import region_get

E = Engagement.Status
AGREED_STATUSES = (E.AGREED, E.IN_SERVICE, E.COMPLETED)
OPEN_STATUSES = (E.AGREED, E.IN_SERVICE)

# 服务情况 thresholds on the coverage (share of posted needs that got an engagement).
SERVED_WELL_AT = 0.6
SERVED_PARTLY_AT = 0.3

SERVED_LABELS = {
    "good": "服务良好",
    "partial": "部分覆盖",
    "poor": "服务不足",
    "none": "暂无需求",
}

MAP_LEVELS = (Industry.Level.SECTION, Industry.Level.DIVISION, Industry.Level.GROUP)
TOTAL_KEY = "*"


class IndustryMapError(DomainError):
    """Bad input for the map (an unknown region code); the message is shown to the user."""


# ------------------------------------------------------------------------------------------ who sees what


def map_root_region(user) -> Region | None:
    """The widest region this user may map; None means the whole country (platform administrators).

    Raises PermissionDenied for users who may see no map at all.
    """
    if not user.is_authenticated:
        raise PermissionDenied("请先登录。")
    if is_platform_admin(user):
        return None
    if is_government(user) and user.agency_id:
        return user.agency.region
    if is_sto_admin(user) and user.university_id:
        if user.university.region_id is None:
            raise PermissionDenied("本校尚未设置所在地区，无法查看产业图谱。")
        return user.university.region
    raise PermissionDenied("只有政府用户、科技处管理员和平台管理员可以查看产业图谱。")


def region_within(region: Region, root: Region | None) -> bool:
    """Region codes are prefixes of their descendants' codes (the reference loader checks this)."""
    return root is None or region.code.startswith(root.code)


def map_region_resolve(user, code: str | None) -> Region | None:
    """The region to map for this request: the user's widest one when no code is given, otherwise the
    region with that code if it lies within it (PermissionDenied if not, IndustryMapError if unknown)."""
    root = map_root_region(user)
    code = (code or "").strip()
    if not code:
        return root
    region = region_get(code)
    if region is None:
        raise IndustryMapError(f"未知的地区代码“{code[:20]}”。", field="region")
    if not region_within(region, root):
        raise PermissionDenied("无权查看该地区的产业图谱。")
    return region


@dataclass(frozen=True)
class MapPeriod:
    date_from: date | None = None
    date_to: date | None = None

    def as_params(self) -> dict[str, str]:
        params = {"date_from": self.date_from, "date_to": self.date_to}
        return {k: v.isoformat() for k, v in params.items() if v}

    @property
    def label(self) -> str:
        if not (self.date_from or self.date_to):
            return ""
        start = self.date_from.isoformat() if self.date_from else "最早"
        end = self.date_to.isoformat() if self.date_to else "至今"
        return f"{start} 至 {end}"


ALL_TIME = MapPeriod()


def map_period_parse(data) -> MapPeriod:
    """The period from query parameters, as the dashboard reads it; IndustryMapError names the field."""
    errors: dict[str, str] = {}
    date_from, date_to = period_parse(data, errors)
    if errors:
        field_name, message = next(iter(errors.items()))
        raise IndustryMapError(message, field=field_name)
    return MapPeriod(date_from, date_to)


def map_region_path(region: Region | None, root: Region | None) -> list[Region]:
    """The breadcrumbs from the user's widest region down to ``region`` (both included)."""
    if region is None:
        return []
    chain = [region]
    node = region.parent
    while node is not None and (root is None or node.code.startswith(root.code)):
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def map_subregions(region: Region | None):
    """The regions one level down, to narrow the map; provinces when the whole country is mapped."""
    if region is None:
        return Region.objects.filter(parent__isnull=True).order_by("code")
    return region.children.order_by("code")


# ------------------------------------------------------------------------------------------------ numbers


@dataclass
class MapNode:
    code: str
    name: str
    level: int
    enterprises: int = 0
    needs_posted: int = 0
    needs_engaged: int = 0
    needs_resolved: int = 0
    teams_serving: int = 0
    engagements_open: int = 0
    engagements_completed: int = 0
    children: list[MapNode] = field(default_factory=list)

    @property
    def needs_unanswered(self) -> int:
        return self.needs_posted - self.needs_engaged

    @property
    def coverage(self) -> float | None:
        """获得对接 ÷ 发布需求 (0–1); None when nothing was posted."""
        return self.needs_engaged / self.needs_posted if self.needs_posted else None

    @property
    def coverage_percent(self) -> float | None:
        return None if self.coverage is None else round(self.coverage * 100, 1)

    @property
    def served(self) -> str:
        coverage = self.coverage
        if coverage is None:
            return "none"
        if coverage >= SERVED_WELL_AT:
            return "good"
        if coverage >= SERVED_PARTLY_AT:
            return "partial"
        return "poor"

    @property
    def served_label(self) -> str:
        return SERVED_LABELS[self.served]

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "enterprises": self.enterprises,
            "needs_posted": self.needs_posted,
            "needs_engaged": self.needs_engaged,
            "needs_resolved": self.needs_resolved,
            "needs_unanswered": self.needs_unanswered,
            "teams_serving": self.teams_serving,
            "engagements_open": self.engagements_open,
            "engagements_completed": self.engagements_completed,
            "coverage": None if self.coverage is None else round(self.coverage, 4),
            "served": self.served,
            "served_label": self.served_label,
            "children": [child.as_dict() for child in self.children],
        }


@dataclass
class IndustryMap:
    region: Region | None
    total: MapNode
    sections: list[MapNode]

    def as_dict(self) -> dict:
        region = self.region
        return {
            "region": {"code": region.code, "name": region.name, "level": region.level} if region else None,
            "total": {k: v for k, v in self.total.as_dict().items() if k != "children"},
            "sections": [node.as_dict() for node in self.sections],
        }


def _ancestor_code(path: str, target: int | None):
    """The code of the ``target``-level ancestor of the industry at ``path`` (itself when it is at that
    level), NULL when the industry is coarser than ``target``; a constant key for the totals."""
    if target is None:
        return Value(TOTAL_KEY, output_field=CharField())
    whens = [
        When(**{f"{path}__level": level}, then=F(f"{path}{'__parent' * (level - target)}__code"))
        for level in range(target, Industry.Level.CLASS + 1)
    ]
    return Case(*whens, default=Value(None), output_field=CharField())


def _in_region(path: str, region: Region | None) -> dict:
    return {} if region is None else {f"{path}__code__startswith": region.code}


def _counts(region: Region | None, level: int | None, period: MapPeriod) -> dict[str, dict[str, int]]:
    """Every measure for every node of one level (or the totals), keyed by the node's code."""
    out: dict[str, dict[str, int]] = {}

    def merge(rows):
        for row in rows:
            key = row.pop("key")
            if key is not None:
                out.setdefault(key, {}).update(row)

    enterprises = (
        Enterprise.objects.filter(status=Enterprise.Status.APPROVED, **_in_region("region", region))
        .annotate(key=_ancestor_code("industry", level))
        .order_by()
        .values("key")
        .annotate(enterprises=Count("id"))
    )
    merge(enterprises)

    agreed = Engagement.objects.filter(need=OuterRef("pk"), status__in=AGREED_STATUSES)
    needs = (
        Need.objects.filter(
            published_at__isnull=False,
            enterprise__status=Enterprise.Status.APPROVED,
            **_in_region("enterprise__region", region),
            **published_between(period.date_from, period.date_to),
        )
        .annotate(key=_ancestor_code("enterprise__industry", level), has_agreed=Exists(agreed))
        .order_by()
        .values("key")
        .annotate(
            needs_posted=Count("id"),
            needs_engaged=Count("id", filter=Q(has_agreed=True)),
            needs_resolved=Count("id", filter=Q(status=Need.Status.RESOLVED)),
        )
    )
    merge(needs)

    engagements = (
        Engagement.objects.filter(
            status__in=AGREED_STATUSES,
            need__published_at__isnull=False,
            need__enterprise__status=Enterprise.Status.APPROVED,
            **_in_region("need__enterprise__region", region),
            **published_between(period.date_from, period.date_to, via="need__"),
        )
        .annotate(key=_ancestor_code("need__enterprise__industry", level))
        .order_by()
        .values("key")
        .annotate(
            teams_serving=Count("team_id", distinct=True),
            engagements_open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            engagements_completed=Count("id", filter=Q(status=E.COMPLETED)),
        )
    )
    merge(engagements)
    return out


def industry_map(*, region: Region | None, period: MapPeriod = ALL_TIME) -> IndustryMap:
    """The tree 门类 → 大类 → 中类 of the region's (and its subregions') enterprises with their numbers.

    Only nodes with at least one enterprise are in the tree; children are ordered by code. Call
    ``map_region_resolve`` first: this function does not check who asks.
    """
    per_level = {level: _counts(region, level, period) for level in MAP_LEVELS}
    total_counts = _counts(region, None, period).get(TOTAL_KEY, {})
    total = MapNode(code="", name=region.name if region else "全国", level=-1, **total_counts)

    codes = [code for counts in per_level.values() for code in counts]
    industries = {
        row["code"]: row
        for row in Industry.objects.filter(code__in=codes).values("code", "name", "level", "parent__code")
    }
    nodes: dict[str, MapNode] = {}
    for level in MAP_LEVELS:
        for code, numbers in per_level[level].items():
            if not numbers.get("enterprises"):
                continue  # needs are counted through enterprises, so such a node cannot exist; be safe
            nodes[code] = MapNode(code=code, name=industries[code]["name"], level=level, **numbers)

    sections = []
    for code in sorted(nodes):
        node = nodes[code]
        if node.level == Industry.Level.SECTION:
            sections.append(node)
        else:
            parent = nodes.get(industries[code]["parent__code"])
            if parent is not None:
                parent.children.append(node)
    for node in nodes.values():
        node.children.sort(key=lambda child: child.code)
    sections.sort(key=lambda node: node.code)
    return IndustryMap(region=region, total=total, sections=sections)


# -------------------------------------------------------------------------------------- the shown table

TABLE_HEADERS = [
    "层级",
    "行业代码",
    "行业名称",
    "企业数",
    "发布需求",
    "获得对接",
    "已解决",
    "未获对接",
    "服务小分队",
    "进行中对接",
    "已完成对接",
    "对接覆盖率（%）",
    "服务情况",
]


@dataclass
class MapRow:
    node: MapNode
    parent_code: str
    cells: list


def _cells(node: MapNode, level_label: str) -> list:
    return [
        level_label,
        node.code,
        node.name,
        node.enterprises,
        node.needs_posted,
        node.needs_engaged,
        node.needs_resolved,
        node.needs_unanswered,
        node.teams_serving,
        node.engagements_open,
        node.engagements_completed,
        "" if node.coverage_percent is None else node.coverage_percent,
        node.served_label,
    ]


def industry_map_rows(the_map: IndustryMap) -> list[MapRow]:
    """The table the page shows and the export writes, row for row: the total first, then the tree
    depth first (门类, its 大类, each with its 中类)."""
    level_labels = dict(Industry.Level.choices)
    rows = [MapRow(the_map.total, "", _cells(the_map.total, "合计"))]

    def walk(node: MapNode, parent_code: str):
        rows.append(MapRow(node, parent_code, _cells(node, str(level_labels[node.level]))))
        for child in node.children:
            walk(child, node.code)

    for section in the_map.sections:
        walk(section, "")
    return rows
