"""Reads for recommendations (both ways), engagements and saved searches, filtered by who asks.

Recommendation rows are written by matching.services (the ranker); these functions only read them and
turn each row's `explanation` JSON into something a template can show without trusting its shape.
"""

from dataclasses import dataclass, field

from django.db.models import Case, CharField, F, QuerySet, Value, When

from demand.models import Need
from demand.selectors import HIDDEN_NAME, industry_q, region_prefix
from matching.models import Recommendation, SavedSearch
from teams.models import MemberRole, Team
from teams.selectors import teams_serving

FEED_STATUSES = (Need.Status.PUBLISHED, Need.Status.ENGAGED)
CONTACT_ROLES = (MemberRole.CAPTAIN, MemberRole.DEPUTY)
# The ranker's factor keys, in the order the page shows them; keys not listed here follow, by name.
FACTOR_LABELS = {
    "dense": "语义相似",
    "lexical": "关键词",
    "industry": "行业",
    "region": "地区",
    "discipline": "学科方向",
    "service_type": "服务类型",
    "load": "当前负荷",
    "track_record": "服务成效",
    "major": "专业对口",  # 人岗匹配 (matching.engine.talent)
    "availability": "时间投入",
}
MAX_KEYWORDS, MAX_REASONS = 20, 10


# ------------------------------------------------------------------------------------------ explanations


@dataclass
class Factor:
    key: str
    label: str
    value: float
    width: int  # 0-100: the bar's length against the largest contribution of this recommendation
    negative: bool


@dataclass
class Explained:
    total: float | None = None
    factors: list[Factor] = field(default_factory=list)
    matched_keywords: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if value == value and abs(value) != float("inf") else None  # NaN and ±inf are dropped


def _strings(values, limit: int) -> list[str]:
    if not isinstance(values, list):
        return []
    return [str(v).strip() for v in values if isinstance(v, str | int | float) and str(v).strip()][:limit]


def explanation_view(explanation) -> Explained:
    """Whatever keys are present, robustly: a missing, malformed or unexpected part is left out."""
    if not isinstance(explanation, dict):
        return Explained()
    contributions = explanation.get("contributions")
    pairs = []
    if isinstance(contributions, dict):
        for key, raw in contributions.items():
            value = _number(raw)
            if value is not None:
                pairs.append((str(key), value))
    order = list(FACTOR_LABELS)
    pairs.sort(key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0]))
    largest = max((abs(v) for _, v in pairs), default=0.0)
    factors = [
        Factor(
            key=key,
            label=FACTOR_LABELS.get(key, key),
            value=value,
            width=round(abs(value) / largest * 100) if largest else 0,
            negative=value < 0,
        )
        for key, value in pairs
    ]
    return Explained(
        total=_number(explanation.get("total")),
        factors=factors,
        matched_keywords=_strings(explanation.get("matched_keywords"), MAX_KEYWORDS),
        reasons=_strings(explanation.get("reasons"), MAX_REASONS),
    )


# ------------------------------------------------------------------------------ the enterprise's side


@dataclass
class RecommendedTeam:
    """One ranked team with its reasons and the public portrait bits the card shows."""

    rank: int
    score: float
    team: Team
    explained: Explained
    industries: list[str]
    regions: list[str]
    keywords: list[str]
    summary: str
    # The open engagement between this team and the need, if any: engagements.selectors fills it in
    # (matching knows no engagement).
    engagement: object | None = None


def need_recommendations(need: Need, *, limit: int = 20) -> list[RecommendedTeam]:
    """The need's ranked teams, best first; teams that stopped serving are left out."""
    rows = (
        need.recommendations.filter(team__in=teams_serving())
        .select_related("team", "team__college")
        .prefetch_related("team__industries", "team__regions")
        .order_by("rank", "-score", "team_id")[:limit]
    )
    items = []
    for rec in rows:
        team = rec.team
        keywords = [str(k) for k in (team.keywords or []) if isinstance(k, str)]
        items.append(
            RecommendedTeam(
                rank=rec.rank,
                score=rec.score,
                team=team,
                explained=explanation_view(rec.explanation),
                industries=[i.name for i in team.industries.all()][:4],
                regions=[r.name for r in team.regions.all()][:4],
                keywords=keywords[:8],
                summary=team.service_content or team.description,
            )
        )
    return items


# ------------------------------------------------------------------------------------ the team's side


def teams_of_member(user) -> QuerySet[Team]:
    """The teams a user belongs to, in any role."""
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(members__user=user).distinct().select_related("college").order_by("name")


def teams_managed_by(user) -> QuerySet[Team]:
    """Serving teams where the user is captain or deputy: those they may 揭榜 for."""
    if not user.is_authenticated:
        return Team.objects.none()
    return (
        teams_serving()
        .filter(members__user=user, members__role__in=CONTACT_ROLES)
        .distinct()
        .order_by("name")
    )


def enterprise_display(prefix: str = "need__") -> Case:
    return Case(
        When(**{f"{prefix}show_enterprise": True}, then=F(f"{prefix}enterprise__name")),
        default=Value(HIDDEN_NAME),
        output_field=CharField(),
    )


# The feed page opens on the needs a team is among the first FEED_RANK recommended teams for.
FEED_RANK = 5


def team_feed(
    team: Team,
    *,
    industry: str = "",
    region: str = "",
    service_type: str = "",
    min_score=None,
    max_rank: int | None = None,
) -> QuerySet[Recommendation]:
    """The open needs recommended to a team, best score first, with `enterprise_display`."""
    qs = Recommendation.objects.filter(team=team, need__status__in=FEED_STATUSES)
    return feed_filtered(
        qs.select_related("need", "need__industry", "need__region", "need__region__parent")
        .annotate(enterprise_display=enterprise_display())
        .order_by("-score", "rank", "need_id"),
        industry=industry,
        region=region,
        service_type=service_type,
        min_score=min_score,
        max_rank=max_rank,
    )


def feed_filtered(
    qs: QuerySet[Recommendation],
    *,
    industry: str = "",
    region: str = "",
    service_type: str = "",
    min_score=None,
    max_rank=None,
) -> QuerySet[Recommendation]:
    """The feed's filters (the page's and the API's): the need's industry and region, each with the
    ones under it, a service type, a lowest score, the team's lowest place among a need's teams."""
    if industry:
        qs = qs.filter(industry_q(industry, field="need__industry"))
    if region:
        qs = qs.filter(need__region__code__startswith=region_prefix(region))
    if service_type:
        qs = qs.filter(need__service_types__icontains=f'"{service_type}"')
    if min_score:
        qs = qs.filter(score__gte=min_score)
    if max_rank:
        qs = qs.filter(rank__lte=int(max_rank))
    return qs


# ------------------------------------------------------------------------------------------ engagements


# ------------------------------------------------------------------------------------- saved searches


def saved_searches_for(user) -> QuerySet[SavedSearch]:
    """Subscriptions of the teams the user belongs to (any member manages them)."""
    return SavedSearch.objects.filter(team__in=teams_of_member(user)).select_related("team", "owner")


def saved_searches_filtered(queryset, *, team=None, active=None) -> QuerySet[SavedSearch]:
    """Narrow subscriptions (already restricted to the asker's) to one team's, active or paused ones."""
    if team is not None:
        queryset = queryset.filter(team_id=team)
    if active is not None:
        queryset = queryset.filter(active=active)
    return queryset


def saved_searches_of_team(user, team: Team) -> QuerySet[SavedSearch]:
    return saved_searches_filtered(saved_searches_for(user), team=team.pk).order_by("-active", "-created_at")
