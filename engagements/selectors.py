"""Reads for engagements: who may see which, what each may do now, the contacts an agreed engagement
opens, and the recommendations with each team's open engagement on the need."""

from django.db.models import QuerySet

from accounts.scope import is_platform_admin
from demand.models import Need
from demand.selectors import HIDDEN_NAME
from engagements.models import Engagement
from engagements.services import ENTERPRISE_CONFIRMS, OPEN, enterprise_side, team_side
from matching import selectors as recommendations
from matching.selectors import CONTACT_ROLES, RecommendedTeam, enterprise_display
from teams.models import Team
from teams.permissions import team_member_of


def need_recommendations(need: Need, *, limit: int = 20) -> list[RecommendedTeam]:
    """The need's ranked teams (matching's), each with its open engagement on the need, if any."""
    items = recommendations.need_recommendations(need, limit=limit)
    open_engagements = {
        e.team_id: e for e in Engagement.objects.filter(need=need, status__in=OPEN).order_by("created_at")
    }
    for item in items:
        item.engagement = open_engagements.get(item.team.pk)
    return items


E = Engagement.Status


def team_open_engagements(team: Team) -> dict[int, Engagement]:
    """need id → the team's open (or completed) engagement on it, for the feed's "已揭榜" notes."""
    rows = team.engagements.filter(status__in=OPEN | {E.COMPLETED}).order_by("created_at")
    return {e.need_id: e for e in rows}


def engagements_visible_to(user, *, status: str = "") -> QuerySet[Engagement]:
    """An enterprise sees its needs' engagements; a team member their teams'; a college or the S&T office
    those of its teams; platform administrators all. Everyone else: none."""
    qs = Engagement.objects.select_related("need", "need__enterprise", "team", "team__college").annotate(
        enterprise_display=enterprise_display()
    )
    return engagements_filtered(qs, status=status).visible_to(user)


def engagements_filtered(
    qs: QuerySet[Engagement], *, status: str = "", need: int | None = None, team: int | None = None
) -> QuerySet[Engagement]:
    """Engagements in a state, on one need, with one team (within what the caller already restricted)."""
    if status in E.values:
        qs = qs.filter(status=status)
    if need:
        qs = qs.filter(need_id=need)
    if team:
        qs = qs.filter(team_id=team)
    return qs


def engagement_actions(user, engagement: Engagement) -> set[str]:
    """The actions the page offers this user now. engagements.services checks each one again; this only
    decides which forms to show (the side that did not propose accepts or declines)."""
    enterprise, team = enterprise_side(user, engagement), team_side(user, engagement)
    accepting = enterprise if engagement.origin in ENTERPRISE_CONFIRMS else team
    actions = set()
    if engagement.status == E.PROPOSED and accepting:
        actions |= {"accept", "decline"}
    if engagement.status == E.AGREED and (enterprise or team):
        actions.add("start")
    if engagement.status in {E.AGREED, E.IN_SERVICE} and enterprise:
        actions.add("complete")
    if engagement.status in OPEN and (enterprise or team):
        actions.add("cancel")
    return actions


def engagement_is_party(user, engagement: Engagement) -> bool:
    """The enterprise's users and the team's members: the people who work together."""
    return enterprise_side(user, engagement) or team_member_of(user, engagement.team)


def engagement_contacts(user, engagement: Engagement) -> dict | None:
    """Both sides' contact details, once agreed, for the two parties and platform administrators."""
    if not engagement.contacts_visible:
        return None
    if not (engagement_is_party(user, engagement) or is_platform_admin(user)):
        return None
    enterprise = list(
        engagement.need.enterprise.users.filter(is_active=True)
        .order_by("id")
        .values("real_name", "username", "phone", "email")
    )
    team = [
        {
            "role": m.get_role_display(),
            "real_name": m.user.real_name or m.name,
            "phone": m.user.phone,
            "email": m.user.email,
        }
        for m in engagement.team.members.filter(role__in=CONTACT_ROLES, user__isnull=False)
        .select_related("user")
        .order_by("role", "id")
        if m.user.is_active
    ]
    return {"enterprise": enterprise, "team": team}


def engagement_enterprise_name(user, engagement: Engagement) -> str:
    """The real name for the enterprise itself, administrators, and a party once contacts are visible."""
    need = engagement.need
    if (
        need.show_enterprise
        or enterprise_side(user, engagement)
        or is_platform_admin(user)
        or (engagement.contacts_visible and engagement_is_party(user, engagement))
    ):
        return need.enterprise.name
    return HIDDEN_NAME


def engagement_can_record(user, engagement: Engagement) -> bool:
    """Team members write service records once the engagement is agreed (and after it is completed)."""
    return engagement.status in {E.AGREED, E.IN_SERVICE, E.COMPLETED} and team_member_of(
        user, engagement.team
    )
