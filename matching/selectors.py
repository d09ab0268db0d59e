"""Reads for recommendations, feeds and engagements, filtered by who asks."""

from django.db.models import Q, QuerySet

from accounts.models import Role
from accounts.permissions import is_platform_admin
from demand.models import Need
from matching.models import Engagement, Recommendation, SavedSearch
from teams.models import Team

FEED_STATUSES = (Need.Status.PUBLISHED, Need.Status.ENGAGED)


def need_recommendations(need: Need) -> QuerySet[Recommendation]:
    return need.recommendations.select_related("team", "team__college").order_by("rank")


def team_feed(team: Team, *, industry: str = "", region: str = "", service_type: str = "", min_score=None):
    qs = (
        Recommendation.objects.filter(team=team, need__status__in=FEED_STATUSES)
        .select_related("need", "need__enterprise", "need__industry", "need__region")
        .order_by("-score", "need_id")
    )
    if industry:
        qs = qs.filter(need__industry__code__startswith=industry)
    if region:
        qs = qs.filter(need__region__code__startswith=region)
    if service_type:
        qs = qs.filter(need__service_types__icontains=f'"{service_type}"')
    if min_score:
        qs = qs.filter(score__gte=min_score)
    return qs


def teams_of_member(user) -> QuerySet[Team]:
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(members__user=user).distinct().order_by("name")


def engagements_visible_to(user) -> QuerySet[Engagement]:
    qs = Engagement.objects.select_related("need", "need__enterprise", "team")
    if not user.is_authenticated:
        return qs.none()
    if is_platform_admin(user):
        return qs
    if user.role == Role.ENTERPRISE:
        return qs.filter(need__enterprise_id=user.enterprise_id)
    if user.role == Role.STO_ADMIN:
        return qs.filter(team__college__university_id=user.university_id)
    if user.role == Role.COLLEGE_ADMIN:
        return qs.filter(team__college_id=user.college_id)
    return qs.filter(Q(team__members__user=user)).distinct()


def saved_searches_for(user) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(team__in=teams_of_member(user)).select_related("team")
