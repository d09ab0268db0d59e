"""Assignment (指派) figures for the dashboard: per team, how many were assigned, accepted, declined,
escalated, and the median time to answer. Reads only; the dashboard may link the page or call
`assignment_stats_for` directly."""

from dataclasses import dataclass
from statistics import median

from accounts.scope import is_college_admin, is_platform_admin, is_sto_admin
from engagements.assignment_selectors import AssignmentStats, assignment_stats_by_team
from engagements.models import Assignment
from teams.models import Team
from teams.selectors import teams_visible_to


@dataclass
class TeamRow:
    team: Team
    stats: AssignmentStats


@dataclass
class AssignmentFigures:
    rows: list[TeamRow]
    total: AssignmentStats


def may_see_assignment_stats(user) -> bool:
    """Those who oversee several teams: platform administrators, the S&T office, colleges."""
    return is_platform_admin(user) or is_sto_admin(user) or is_college_admin(user)


def assignment_stats_for(user) -> AssignmentFigures:
    """The teams the user may see that were ever assigned a need, busiest first, and the totals (the
    median over all answered assignments, not a median of medians)."""
    if not may_see_assignment_stats(user):
        return AssignmentFigures(rows=[], total=AssignmentStats())
    assignments = Assignment.objects.filter(team__in=teams_visible_to(user))
    by_team = assignment_stats_by_team(assignments)
    teams = Team.objects.filter(pk__in=by_team).select_related("college")
    rows = sorted(
        (TeamRow(team=t, stats=by_team[t.pk]) for t in teams), key=lambda r: (-r.stats.total, r.team.name)
    )
    total = AssignmentStats()
    for row in rows:
        for name in ("total", "pending", "accepted", "declined", "escalated", "withdrawn"):
            setattr(total, name, getattr(total, name) + getattr(row.stats, name))
    hours = [
        (responded - created).total_seconds() / 3600
        for created, responded in assignments.filter(responded_at__isnull=False).values_list(
            "created_at", "responded_at"
        )
    ]
    total.median_response_hours = round(median(hours), 2) if hours else None
    return AssignmentFigures(rows=rows, total=total)
