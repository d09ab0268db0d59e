"""Engagements (对接) between a need and a team: proposed → agreed → in service → completed, or
cancelled / declined. Invitations come from the enterprise, interest (揭榜) from the team; the other side
accepts. Contact details are shown to both only once agreed.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from accounts.scope import acts_for_enterprise
from demand.models import Need
from demand.services import need_mark_engaged, need_resolve
from engagements.models import Engagement, EngagementEvent, EngagementRecord
from matching.errors import MatchingError
from matching.models import Recommendation
from teams import permissions as team_permissions
from teams.feedback import team_managers
from teams.models import ServiceRecord, Team
from teams.records import record_create
from teams.selectors import teams_serving

E = Engagement.Status
OPEN = {E.PROPOSED, E.AGREED, E.IN_SERVICE}
NEED_OPEN = {Need.Status.PUBLISHED, Need.Status.ENGAGED}


def enterprise_side(user, engagement_or_need) -> bool:
    need = engagement_or_need.need if isinstance(engagement_or_need, Engagement) else engagement_or_need
    return acts_for_enterprise(user, need.enterprise_id)


def team_side(user, engagement_or_team) -> bool:
    team = engagement_or_team.team if isinstance(engagement_or_team, Engagement) else engagement_or_team
    return team_permissions.team_manager_of(user, team)


def _enterprise_users(need: Need):
    return list(need.enterprise.users.filter(is_active=True))


def _team_users(team: Team):
    return list(team_managers(team))


def _event(engagement: Engagement, action: str, source: str, by, comment: str = "") -> None:
    EngagementEvent.objects.create(
        engagement=engagement,
        action=action,
        from_status=source,
        to_status=engagement.status,
        actor=by,
        comment=comment,
    )


def _signals_now(need: Need, team: Team) -> dict:
    explanation = (
        Recommendation.objects.filter(need=need, team=team).values_list("explanation", flat=True).first()
    )
    return dict((explanation or {}).get("signals", {}))


def _open(*, need: Need, team: Team, by, origin: str, proposal: str) -> Engagement:
    if need.status not in NEED_OPEN:
        raise MatchingError(
            _("需求当前为“%(s)s”，不能发起对接。") % {"s": need.get_status_display()}, code="wrong_state"
        )
    if not teams_serving().filter(pk=team.pk).exists():
        raise MatchingError(_("该小分队当前不在运行状态，不能对接。"), code="wrong_state")
    proposal = (proposal or "").strip()
    if len(proposal) > 2000:
        raise MatchingError(_("说明不能超过 2000 字。"))
    if Engagement.objects.filter(need=need, team=team, status__in=OPEN).exists():
        raise MatchingError(_("该小分队与此需求已有进行中的对接。"), code="duplicate")
    try:
        with transaction.atomic():
            engagement = Engagement.objects.create(
                need=need,
                team=team,
                origin=origin,
                proposal=proposal,
                created_by=by,
                match_signals=_signals_now(need, team),
            )
    except IntegrityError as exc:  # a concurrent duplicate: the database constraint decides
        raise MatchingError(_("该小分队与此需求已有进行中的对接。"), code="duplicate") from exc
    _event(engagement, origin, E.PROPOSED, by, proposal)
    return engagement


@transaction.atomic
def engagement_invite(*, need: Need, team: Team, by, message: str = "") -> Engagement:
    """The enterprise invites a recommended team."""
    if not enterprise_side(by, need):
        raise MatchingError(_("只有发布需求的企业可以邀请团队。"), code="forbidden")
    engagement = _open(need=need, team=team, by=by, origin=Engagement.Origin.INVITATION, proposal=message)
    notify(
        users=_team_users(team),
        kind="invitation",
        title=_("企业邀请对接：%(t)s") % {"t": need.title},
        body=message,
        link=f"/matching/engagements/{engagement.pk}/",
    )
    return engagement


@transaction.atomic
def engagement_express_interest(*, need: Need, team: Team, by, proposal: str) -> Engagement:
    """揭榜: a team declares interest with a short proposal."""
    if not team_side(by, team):
        raise MatchingError(_("只有队长或副队长可以代表小分队揭榜。"), code="forbidden")
    if not (proposal or "").strip():
        raise MatchingError(_("揭榜需要填写简要方案。"))
    engagement = _open(need=need, team=team, by=by, origin=Engagement.Origin.INTEREST, proposal=proposal)
    notify(
        users=_enterprise_users(need),
        kind="interest",
        title=_("%(team)s 揭榜了您的需求") % {"team": team.name},
        body=proposal,
        link=f"/matching/engagements/{engagement.pk}/",
    )
    return engagement


def engagement_from_assignment(*, need: Need, team: Team, assigned_by, by, scope: str) -> Engagement:
    """An accepted assignment (指派): the operator proposed and the team accepted with the scope it
    offers; the enterprise has agreed to nothing yet, so the engagement opens proposed, for the
    enterprise to confirm (or decline) like a 揭榜, and no contact or anonymous name is shown before.
    Called inside engagements.assignments' transaction, which checked who may accept."""
    scope = (scope or "").strip()
    if not scope:
        raise MatchingError(_("请填写对接内容与范围。"))
    engagement = _open(
        need=need, team=team, by=assigned_by, origin=Engagement.Origin.ASSIGNMENT, proposal=scope
    )
    engagement.scope = scope[:2000]
    engagement.save(update_fields=["scope"])
    notify(
        users=_enterprise_users(need),
        kind="assignment",
        title=_("平台指派的%(team)s愿意承接您的需求，请确认对接：%(t)s")
        % {"team": team.name, "t": need.title},
        body=scope,
        link=f"/matching/engagements/{engagement.pk}/",
    )
    return engagement


def _locked(engagement: Engagement) -> Engagement:
    return (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("need", "team")
        .get(pk=engagement.pk)
    )


def _require_state(engagement: Engagement, allowed: set) -> None:
    if engagement.status not in allowed:
        raise MatchingError(
            _("对接当前为“%(s)s”，不能执行该操作。") % {"s": engagement.get_status_display()},
            code="wrong_state",
        )


# Whose answer an engagement waits for: the enterprise confirms a 揭榜 and an accepted assignment (a
# platform's 指派 binds the team, never the enterprise); the team answers an invitation.
ENTERPRISE_CONFIRMS = {Engagement.Origin.INTEREST, Engagement.Origin.ASSIGNMENT}


def _accepting_side(user, engagement: Engagement) -> bool:
    if engagement.origin in ENTERPRISE_CONFIRMS:
        return enterprise_side(user, engagement)
    return team_side(user, engagement)


@transaction.atomic
def engagement_accept(*, engagement: Engagement, by, scope: str) -> Engagement:
    engagement = _locked(engagement)
    if not _accepting_side(by, engagement):
        raise MatchingError(_("您无权确认该对接。"), code="forbidden")
    _require_state(engagement, {E.PROPOSED})
    scope = (scope or "").strip()
    if not scope:
        raise MatchingError(_("请填写对接内容与范围。"))
    engagement.status, engagement.scope, engagement.agreed_at = E.AGREED, scope[:2000], timezone.now()
    engagement.save()
    _event(engagement, "accept", E.PROPOSED, by, scope)
    need_mark_engaged(need_id=engagement.need_id, by=by)
    # An assignment of the same need to the same team waits for nothing now: it is answered.
    assignments_answered_by_engagement(engagement)
    _notify_both(engagement, _("对接已达成：%(t)s") % {"t": engagement.need.title})
    return engagement


@transaction.atomic
def engagement_decline(*, engagement: Engagement, by, reason: str) -> Engagement:
    engagement = _locked(engagement)
    if not _accepting_side(by, engagement):
        raise MatchingError(_("您无权谢绝该对接。"), code="forbidden")
    _require_state(engagement, {E.PROPOSED})
    return _end(engagement, by, E.DECLINED, "decline", reason)


@transaction.atomic
def engagement_start(*, engagement: Engagement, by) -> Engagement:
    engagement = _locked(engagement)
    if not (team_side(by, engagement) or enterprise_side(by, engagement)):
        raise MatchingError(_("您无权操作该对接。"), code="forbidden")
    _require_state(engagement, {E.AGREED})
    engagement.status, engagement.started_at = E.IN_SERVICE, timezone.now()
    engagement.save()
    _event(engagement, "start", E.AGREED, by)
    _notify_both(engagement, _("对接开始服务：%(t)s") % {"t": engagement.need.title})
    return engagement


@transaction.atomic
def engagement_complete(
    *, engagement: Engagement, by, rating: int, comment: str = "", resolves_need: bool = True
):
    """The enterprise confirms completion and rates the service 1-5."""
    engagement = _locked(engagement)
    if not enterprise_side(by, engagement):
        raise MatchingError(_("只有需求企业可以确认完成并评价。"), code="forbidden")
    _require_state(engagement, {E.IN_SERVICE, E.AGREED})
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise MatchingError(_("评分应为 1 到 5 的整数。"))
    source = engagement.status
    engagement.status, engagement.completed_at = E.COMPLETED, timezone.now()
    engagement.rating, engagement.rating_comment = rating, (comment or "").strip()[:1000]
    engagement.save()
    _event(engagement, "complete", source, by, engagement.rating_comment)
    # "This solved it": the need is resolved unless another team is still at work on it (agreed or in
    # service); invitations and 揭榜 still only proposed are closed as the need leaves the hall.
    ongoing = engagement.need.engagements.filter(status__in={E.AGREED, E.IN_SERVICE})
    if resolves_need and not ongoing.exists():
        need_resolve(need=engagement.need, by=by)
    _notify_both(engagement, _("对接已完成：%(t)s（评分 %(r)d）") % {"t": engagement.need.title, "r": rating})
    return engagement


@transaction.atomic
def engagement_cancel(*, engagement: Engagement, by, reason: str) -> Engagement:
    engagement = _locked(engagement)
    if not (team_side(by, engagement) or enterprise_side(by, engagement)):
        raise MatchingError(_("您无权取消该对接。"), code="forbidden")
    _require_state(engagement, OPEN)
    return _end(engagement, by, E.CANCELLED, "cancel", reason)


def _end(engagement: Engagement, by, status: str, action: str, reason: str) -> Engagement:
    reason = (reason or "").strip()
    if not reason:
        raise MatchingError(_("请填写原因。"))
    source = engagement.status
    engagement.status, engagement.end_reason, engagement.ended_at = status, reason[:200], timezone.now()
    engagement.save()
    _event(engagement, action, source, by, reason)
    _notify_both(
        engagement, _("对接%(a)s：%(t)s") % {"a": engagement.get_status_display(), "t": engagement.need.title}
    )
    return engagement


def _notify_both(engagement: Engagement, title: str) -> None:
    notify(
        users=_enterprise_users(engagement.need) + _team_users(engagement.team),
        kind="engagement",
        title=title,
        link=f"/matching/engagements/{engagement.pk}/",
    )


@transaction.atomic
def engagement_record_link(*, engagement: Engagement, record: ServiceRecord, by) -> EngagementRecord:
    """A service record written against an engagement (pre-filled from it by the page)."""
    if record.team_id != engagement.team_id or not team_permissions.team_member_of(by, engagement.team):
        raise MatchingError(_("只能关联本小分队的服务记录。"), code="forbidden")
    if engagement.status not in {E.AGREED, E.IN_SERVICE, E.COMPLETED}:
        raise MatchingError(_("对接达成后才能填写服务记录。"), code="wrong_state")
    link, _created = EngagementRecord.objects.get_or_create(
        record=record, defaults={"engagement": engagement}
    )
    if link.engagement_id != engagement.pk:
        raise MatchingError(_("该服务记录已关联其他对接。"))
    return link


@transaction.atomic
def engagement_record_create(*, engagement: Engagement, by, **fields) -> ServiceRecord:
    """Write a service record for this engagement and link it here: both or neither. The served
    enterprise is the need's (as engagement_record_defaults pre-fills it); the rest is the record form's
    fields. teams.records writes the record (teams never imports engagements); the link lives here."""
    record = record_create(
        team=engagement.team,
        by=by,
        served_enterprise=engagement_record_defaults(engagement)["served_enterprise"],
        **fields,
    )
    engagement_record_link(engagement=engagement, record=record, by=by)
    return record


def engagement_record_defaults(engagement: Engagement) -> dict:
    """What a record written against this engagement starts with."""
    need = engagement.need
    return {
        "title": (_("赴%(e)s开展服务：%(t)s") % {"e": need.enterprise.name, "t": need.title})[:200],
        "served_organisation": need.enterprise.name,
        "served_enterprise": need.enterprise,
        "description": engagement.scope,
        "record_type": "service_visit",
    }


@transaction.atomic
def engagements_close_for_team(*, team_id: int, by_id: int | None, reason: str) -> int:
    """A team that stopped serving (dissolved, archived) leaves no engagement open: each is cancelled
    with the reason, and both sides are told. Safe to run twice."""
    by = User.objects.filter(pk=by_id).first() if by_id else None
    closed = 0
    for engagement in Engagement.objects.select_for_update().filter(team_id=team_id, status__in=OPEN):
        _end(engagement, by, E.CANCELLED, "team_stopped", reason)
        closed += 1
    return closed


# Why proposals close when their need leaves the hall, by the need's new status.
NEED_GONE = {
    Need.Status.RESOLVED: _("需求已解决"),
    Need.Status.CLOSED: _("需求已关闭"),
    Need.Status.EXPIRED: _("需求已过期"),
}


@transaction.atomic
def engagements_close_for_need(*, need_id: int) -> int:
    """A need that left the hall (solved, closed, expired) takes no more answers: each engagement still
    only proposed is cancelled with the reason, and both sides are told. Agreed ones and those in service
    go on to their end. Safe to run twice."""
    need = Need.objects.filter(pk=need_id).first()
    if need is None or need.status not in NEED_GONE:
        return 0
    closed = 0
    for engagement in Engagement.objects.select_for_update().filter(need_id=need_id, status=E.PROPOSED):
        _end(engagement, None, E.CANCELLED, "need_withdrawn", str(NEED_GONE[need.status]))
        closed += 1
    return closed


def assignments_answered_by_engagement(engagement: Engagement) -> int:
    """A team that agreed on a need it was also assigned (through an invitation or its 揭榜) has answered
    the assignment: it is marked accepted, so it no longer shows 待响应 or runs to its deadline."""
    from engagements.models import Assignment

    return Assignment.objects.filter(
        need_id=engagement.need_id, team_id=engagement.team_id, status=Assignment.Status.PENDING
    ).update(status=Assignment.Status.ACCEPTED, responded_at=timezone.now(), engagement=engagement)
