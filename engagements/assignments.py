"""指派 (assignment from the demand hall): an S&T office or a platform operator assigns a published need to
a team with a deadline; the team's named assignment handler (or its captain) accepts, which opens an
agreed engagement, or declines with a reason; unanswered by the deadline, it escalates back to the
operator (the periodic task `matching.escalate_assignments`).

Who may do what:
- assign / withdraw: platform administrators (any serving team) and the S&T office of the team's
  university;
- accept / decline: the team's assignment handler (Team.assignment_handler) and its captain.
"""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from accounts.scope import Kind, is_platform_admin, is_sto_admin, users_of_kind
from demand.models import Need
from engagements.models import Assignment, Engagement
from engagements.services import NEED_OPEN, OPEN, engagement_from_assignment
from matching.errors import MatchingError
from matching.models import Recommendation
from teams.feedback import team_managers
from teams.models import MemberRole, Team
from teams.selectors import teams_serving

A = Assignment.Status
MIN_WINDOW = timedelta(hours=1)  # a team needs some time to answer


# ---------------------------------------------------------------------------------------------- who


def may_assign(user, team: Team) -> bool:
    """Platform administrators, or the S&T office of the team's university."""
    if is_platform_admin(user):
        return True
    return (
        is_sto_admin(user)
        and user.university_id is not None
        and user.university_id == team.college.university_id
    )


def may_respond(user, team: Team) -> bool:
    """The member the team named to handle assignments, and its captain."""
    if not user.is_authenticated:
        return False
    handler = team.assignment_handler
    if handler is not None and handler.user_id == user.pk and handler.team_id == team.pk:
        return True
    return team.members.filter(user=user, role=MemberRole.CAPTAIN).exists()


def responders(team: Team) -> list[User]:
    """Who is told of a new assignment: the handler, else the captain (both when they differ)."""
    users = [m.user for m in team.members.filter(role=MemberRole.CAPTAIN).select_related("user") if m.user]
    handler = team.assignment_handler
    if handler is not None and handler.user is not None and handler.team_id == team.pk:
        users.insert(0, handler.user)
    return users


def _operators_for(assignment: Assignment) -> list[User]:
    """The operator who assigned; when that account is gone or inactive, the platform administrators."""
    by = assignment.assigned_by
    if by is not None and by.is_active:
        return [by]
    return list(users_of_kind(Kind.EVERYTHING).filter(is_active=True))


# ------------------------------------------------------------------------------------------- writes


def _locked(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("need", "team", "team__college", "team__assignment_handler", "assigned_by")
        .get(pk=assignment.pk)
    )


def _require_pending(assignment: Assignment) -> None:
    if assignment.status != A.PENDING:
        raise MatchingError(
            _("该指派当前为“%(s)s”，不能执行该操作。") % {"s": assignment.get_status_display()},
            code="wrong_state",
        )


def _require_in_time(assignment: Assignment) -> None:
    if timezone.now() > assignment.deadline:
        raise MatchingError(_("已超过响应期限，该指派将退回平台，不能再接受或谢绝。"), code="wrong_state")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise MatchingError(_("请填写原因。"))
    if len(reason) > 200:
        raise MatchingError(_("原因不能超过 200 字。"))
    return reason


@transaction.atomic
def assignment_create(*, need: Need, team: Team, by, deadline, message: str = "") -> Assignment:
    """Assign an open need to a serving team; the handler (or captain) is notified."""
    team = Team.objects.select_related("college", "assignment_handler__user").get(pk=team.pk)
    if not may_assign(by, team):
        raise MatchingError(_("只有平台管理员或该小分队所在高校的科技处可以指派。"), code="forbidden")
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.status not in NEED_OPEN:
        raise MatchingError(
            _("需求当前为“%(s)s”，不能指派。") % {"s": need.get_status_display()}, code="wrong_state"
        )
    if not teams_serving().filter(pk=team.pk).exists():
        raise MatchingError(_("该小分队当前不在运行状态，不能指派。"), code="wrong_state")
    now = timezone.now()
    if deadline is None or deadline < now + MIN_WINDOW:
        raise MatchingError(_("响应期限至少应在 1 小时之后。"))
    # The longest a need may wait on one team: a platform setting (ASSIGNMENT_MAX_DAYS), not a value
    # the guideline fixes.
    longest = settings.ASSIGNMENT_MAX_DAYS
    if deadline > now + timedelta(days=longest):
        raise MatchingError(_("响应期限不能超过 %(n)d 天（平台设置）。") % {"n": longest})
    message = (message or "").strip()
    if len(message) > 2000:
        raise MatchingError(_("说明不能超过 2000 字。"))
    if Engagement.objects.filter(need=need, team=team, status__in=OPEN).exists():
        raise MatchingError(_("该小分队与此需求已有进行中的对接，无需指派。"), code="duplicate")
    rec = Recommendation.objects.filter(need=need, team=team).values("rank", "score").first() or {}
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                need=need,
                team=team,
                assigned_by=by,
                deadline=deadline,
                message=message,
                match_rank=rec.get("rank"),
                match_score=rec.get("score"),
            )
    except IntegrityError as exc:  # a waiting one exists (or was created concurrently)
        raise MatchingError(_("该小分队对此需求已有待响应的指派。"), code="duplicate") from exc
    notify(
        users=responders(team),
        kind="assignment",
        title=_("平台指派需求：%(t)s（请于 %(d)s 前响应）")
        % {"t": need.title, "d": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")},
        body=message,
        link=f"/matching/assignments/{assignment.pk}/",
    )
    return assignment


def _answerable(assignment: Assignment, by) -> Assignment:
    """The assignment locked, once it is certain `by` may answer it now (accept and decline alike)."""
    assignment = _locked(assignment)
    if not may_respond(by, assignment.team):
        raise MatchingError(_("只有小分队指定的指派对接人或队长可以响应指派。"), code="forbidden")
    _require_pending(assignment)
    _require_in_time(assignment)
    return assignment


@transaction.atomic
def assignment_accept(*, assignment: Assignment, by, scope: str) -> Assignment:
    """The team accepts: an agreed engagement (origin 平台指派) starts."""
    assignment = _answerable(assignment, by)
    engagement = engagement_from_assignment(
        need=assignment.need, team=assignment.team, assigned_by=assignment.assigned_by, by=by, scope=scope
    )
    assignment.status, assignment.engagement = A.ACCEPTED, engagement
    assignment.responded_at, assignment.responded_by = timezone.now(), by
    assignment.save()
    notify(
        users=_operators_for(assignment),
        kind="assignment",
        title=_("%(team)s 已接受指派：%(t)s") % {"team": assignment.team.name, "t": assignment.need.title},
        link=f"/matching/assignments/{assignment.pk}/",
    )
    return assignment


@transaction.atomic
def assignment_decline(*, assignment: Assignment, by, reason: str) -> Assignment:
    assignment = _answerable(assignment, by)
    assignment.reason = _reason(reason)
    assignment.status = A.DECLINED
    assignment.responded_at, assignment.responded_by = timezone.now(), by
    assignment.save()
    notify(
        users=_operators_for(assignment),
        kind="assignment",
        title=_("%(team)s 谢绝了指派：%(t)s") % {"team": assignment.team.name, "t": assignment.need.title},
        body=assignment.reason,
        link=f"/matching/assignments/{assignment.pk}/",
    )
    return assignment


@transaction.atomic
def assignment_withdraw(*, assignment: Assignment, by, reason: str) -> Assignment:
    """The operator takes back a waiting assignment (the need was resolved elsewhere, wrong team …)."""
    assignment = _locked(assignment)
    if not may_assign(by, assignment.team):
        raise MatchingError(_("只有平台管理员或该小分队所在高校的科技处可以撤回指派。"), code="forbidden")
    _require_pending(assignment)
    assignment.reason = _reason(reason)
    assignment.status = A.WITHDRAWN
    assignment.save()
    notify(
        users=responders(assignment.team),
        kind="assignment",
        title=_("指派已撤回：%(t)s") % {"t": assignment.need.title},
        body=assignment.reason,
        link=f"/matching/assignments/{assignment.pk}/",
    )
    return assignment


@transaction.atomic
def assignments_close_for_team(*, team_id: int, reason: str) -> int:
    """A team that stopped serving answers no assignment: each waiting one is withdrawn with the reason,
    and the operator who made it is told (to assign the need elsewhere). Safe to run twice."""
    closed = 0
    for assignment in Assignment.objects.select_for_update().filter(team_id=team_id, status=A.PENDING):
        assignment.status, assignment.reason = A.WITHDRAWN, reason[:200]
        assignment.save(update_fields=["status", "reason"])
        notify(
            users=_operators_for(assignment),
            kind="assignment",
            title=_("指派已撤回（小分队已停止服务）：%(t)s") % {"t": assignment.need.title},
            body=assignment.reason,
            link=f"/matching/assignments/{assignment.pk}/",
        )
        closed += 1
    return closed


@transaction.atomic
def assignments_close_for_need(*, need_id: int) -> int:
    """A need that left the hall is assigned to nobody: each waiting assignment is withdrawn with the
    reason, and the team that had it is told. Safe to run twice."""
    from engagements.services import NEED_GONE

    need = Need.objects.filter(pk=need_id).first()
    if need is None or need.status not in NEED_GONE:
        return 0
    closed = 0
    for assignment in Assignment.objects.select_for_update().filter(need_id=need_id, status=A.PENDING):
        assignment.status, assignment.reason = A.WITHDRAWN, str(NEED_GONE[need.status])
        assignment.save(update_fields=["status", "reason"])
        notify(
            users=list(team_managers(assignment.team)),
            kind="assignment",
            title=_("指派已撤回（%(why)s）：%(t)s") % {"why": assignment.reason, "t": need.title},
            link=f"/matching/assignments/{assignment.pk}/",
        )
        closed += 1
    return closed


def assignments_escalate_overdue(*, now=None) -> int:
    """Every waiting assignment past its deadline goes back to the operator, who is notified. Safe to
    run twice or on two workers at once: rows are locked and skipped when another run holds them."""
    now = now or timezone.now()
    escalated = 0
    with transaction.atomic():
        rows = list(
            Assignment.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(status=A.PENDING, deadline__lt=now)
            .select_related("need", "team", "assigned_by")
            .order_by("deadline", "id")
        )
        for assignment in rows:
            assignment.status, assignment.escalated_at = A.ESCALATED, now
            assignment.save(update_fields=["status", "escalated_at"])
            notify(
                users=_operators_for(assignment),
                kind="assignment_escalated",
                title=_("指派超期未响应，已退回：%(t)s → %(team)s")
                % {"t": assignment.need.title, "team": assignment.team.name},
                body=_("响应期限 %(d)s 已过，请重新指派或联系该小分队。")
                % {"d": timezone.localtime(assignment.deadline).strftime("%Y-%m-%d %H:%M")},
                link=f"/matching/assignments/{assignment.pk}/",
            )
            escalated += 1
    return escalated
