"""Reads for assignments (指派): who sees which, the candidates an operator picks from (the matcher's
ranking beside each team's current load), and per-team counts and response times."""

from dataclasses import dataclass
from statistics import median

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.scope import ScopePaths, restrict
from demand.models import Need
from engagements.assignments import may_assign, may_respond
from engagements.models import Assignment, Engagement
from engagements.services import OPEN
from matching.selectors import Explained, explanation_view
from teams.models import Team
from teams.selectors import teams_serving

A = Assignment.Status


# The serving teams an operator may assign to: platform administrators any, the S&T office its own.
ASSIGNABLE_TEAMS = ScopePaths(university="college__university")


def assignments_visible_to(user, *, status: str = "", overdue: bool = False) -> QuerySet[Assignment]:
    """Platform administrators see all; the S&T office its university's teams'; a college its teams';
    a team member their teams'. Others: none. `overdue`: waiting past the deadline, or escalated."""
    qs = Assignment.objects.select_related(
        "need", "need__enterprise", "team", "team__college", "assigned_by", "responded_by"
    )
    return assignments_filtered(qs, status=status, overdue=overdue).visible_to(user)


def assignments_filtered(
    qs: QuerySet[Assignment],
    *,
    status: str = "",
    overdue: bool = False,
    need: int | None = None,
    team: int | None = None,
) -> QuerySet[Assignment]:
    """Assignments in a state; `overdue`: waiting past the deadline, or escalated; on one need, to one
    team (within what the caller already restricted)."""
    if status in A.values:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(Q(status=A.ESCALATED) | Q(status=A.PENDING, deadline__lt=timezone.now()))
    if need:
        qs = qs.filter(need_id=need)
    if team:
        qs = qs.filter(team_id=team)
    return qs


def assignment_actions(user, assignment: Assignment) -> set[str]:
    """The forms the page offers; engagements.assignments checks each again."""
    if assignment.status != A.PENDING:
        return set()
    actions = set()
    if may_respond(user, assignment.team) and assignment.deadline >= timezone.now():
        actions |= {"accept", "decline"}
    if may_assign(user, assignment.team):
        actions.add("withdraw")
    return actions


def assignable_teams(user) -> QuerySet[Team]:
    """Serving teams this operator may assign to."""
    return restrict(teams_serving().select_related("college", "college__university"), user, ASSIGNABLE_TEAMS)


def team_loads(team_ids) -> dict[int, tuple[int, int]]:
    """team id → (open engagements, assignments waiting for an answer): the team's current load."""
    ids = list(team_ids)
    engagements = dict(
        Engagement.objects.filter(team_id__in=ids, status__in=OPEN)
        .values("team_id")
        .annotate(n=Count("id"))
        .values_list("team_id", "n")
    )
    waiting = dict(
        Assignment.objects.filter(team_id__in=ids, status=A.PENDING)
        .values("team_id")
        .annotate(n=Count("id"))
        .values_list("team_id", "n")
    )
    return {i: (engagements.get(i, 0), waiting.get(i, 0)) for i in ids}


@dataclass
class Candidate:
    team: Team
    rank: int | None
    score: float | None
    explained: Explained
    open_engagements: int
    pending_assignments: int
    busy_on_need: str  # why this team cannot be assigned this need now ("" when it can)


def assignment_candidates(user, need: Need) -> list[Candidate]:
    """The matcher's ranking (recommended teams, best first, with reasons) followed by the other teams
    the operator may assign to, each with its current load."""
    teams = {t.pk: t for t in assignable_teams(user)}
    recs = list(need.recommendations.filter(team_id__in=teams).order_by("rank", "-score", "team_id"))
    loads = team_loads(teams)
    engaged = set(need.engagements.filter(status__in=OPEN).values_list("team_id", flat=True))
    waiting = set(need.assignments.filter(status=A.PENDING).values_list("team_id", flat=True))

    def candidate(team, rec=None) -> Candidate:
        busy = "已有进行中的对接" if team.pk in engaged else "已有待响应的指派" if team.pk in waiting else ""
        return Candidate(
            team=team,
            rank=rec.rank if rec else None,
            score=rec.score if rec else None,
            explained=explanation_view(rec.explanation) if rec else Explained(),
            open_engagements=loads[team.pk][0],
            pending_assignments=loads[team.pk][1],
            busy_on_need=busy,
        )

    ranked = [candidate(teams[r.team_id], r) for r in recs]
    seen = {r.team_id for r in recs}
    rest = [candidate(t) for pk, t in sorted(teams.items(), key=lambda kv: kv[1].name) if pk not in seen]
    return ranked + rest


# ------------------------------------------------------------------------------------------- figures


@dataclass
class AssignmentStats:
    total: int = 0
    pending: int = 0
    accepted: int = 0
    declined: int = 0
    escalated: int = 0
    withdrawn: int = 0
    median_response_hours: float | None = None

    @property
    def accept_rate(self) -> float | None:
        answered = self.accepted + self.declined + self.escalated
        return self.accepted / answered if answered else None


def assignment_stats_by_team(assignments: QuerySet[Assignment]) -> dict[int, AssignmentStats]:
    """team id → counts by status and the median time from assignment to the team's answer (hours)."""
    out: dict[int, AssignmentStats] = {}
    durations: dict[int, list[float]] = {}
    for team_id, status, created, responded in assignments.values_list(
        "team_id", "status", "created_at", "responded_at"
    ):
        stats = out.setdefault(team_id, AssignmentStats())
        stats.total += 1
        setattr(stats, status, getattr(stats, status) + 1)
        if responded is not None:
            durations.setdefault(team_id, []).append((responded - created).total_seconds() / 3600)
    for team_id, values in durations.items():
        out[team_id].median_response_hours = round(median(values), 2)
    return out


def team_assignment_stats(team: Team) -> AssignmentStats:
    return assignment_stats_by_team(Assignment.objects.filter(team=team)).get(team.pk, AssignmentStats())
