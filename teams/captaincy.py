"""变更队长: a reviewed change of captain, kept as the team's history.

The captain proposes a successor among the team's members (a teacher with an account who meets 5.1's
captain qualifications: 副高级 or higher, a provincial or national project or a horizontal one over
1,000,000 yuan) and says whether they stay as a core member or leave. The college's administrator
approves or rejects it with a reason. On approval the roles change, the team's name follows its new
captain when it began with the old one's (运行机制: 队长姓名·行业（企业）名称科技小分队), and the people
affected hear of it. Every request stays, with its decision, on the team's page.
"""

from dataclasses import replace

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notifications import notify
from teams import feedback, permissions, rules
from teams.errors import TeamsError
from teams.models import CaptainChange, Member, MemberRole, Team, TeamTransition
from teams.services import EDITABLE_STATES, SERVING, _announce_portrait, member_facts

C = CaptainChange.Status
# A successor is one of the team's teachers.
SUCCESSOR_ROLES = {MemberRole.DEPUTY, MemberRole.CORE}


def captain_member(team: Team) -> Member | None:
    return team.members.filter(role=MemberRole.CAPTAIN).select_related("user").first()


def captain_of(user, team: Team) -> bool:
    return user.is_authenticated and team.members.filter(user=user, role=MemberRole.CAPTAIN).exists()


def renamed(name: str, old_captain: str, new_captain: str) -> str:
    """The team's name with the new captain's, when it began with the old captain's; else unchanged."""
    match = rules.NAME_PATTERN.match(rules.normalise_name(name))
    if match and match.group("captain") == old_captain.strip():
        return f"{new_captain.strip()}·{match.group('served')}科技小分队"
    return name


def _after(team: Team, old: Member, new: Member, outgoing: str) -> tuple[list, list]:
    """The team's members as facts before the change and after it."""
    members = list(team.members.all())
    before = [member_facts(m) for m in members]
    after = []
    for m in members:
        facts = member_facts(m)
        if m.pk == new.pk:
            facts = replace(facts, role=MemberRole.CAPTAIN, deputy_focus="")
        elif m.pk == old.pk:
            if outgoing == CaptainChange.Outgoing.LEAVE:
                continue
            facts = replace(facts, role=MemberRole.CORE)
        after.append(facts)
    return before, after


def successor_problems(member: Member) -> list[str]:
    """Everything that keeps this member from becoming captain, all at once (the form marks who
    qualifies with it): the captain's rules of 5.1 and a platform account to act with."""
    facts = replace(member_facts(member), role=MemberRole.CAPTAIN)
    problems = [
        str(p).rstrip("。") + "。" for p in rules.member_violations(facts) + rules.captain_violations(facts)
    ]
    if member.user_id is None or not member.user.is_active:
        problems.append(_("尚未关联平台账号（请先发出认领邀请或由学院关联账号）。"))
    return problems


def _check(team: Team, old: Member | None, new: Member | None, outgoing: str) -> None:
    """Everything the change needs, asked at the request and again at the approval."""
    if old is None:
        raise TeamsError(_("小分队当前没有队长。"), code="invalid")
    if new is None or new.team_id != team.pk:
        raise TeamsError(_("拟任队长必须是本小分队成员。"), field="new_captain")
    if new.pk == old.pk:
        raise TeamsError(_("拟任队长不能是现任队长本人。"), field="new_captain")
    if new.role not in SUCCESSOR_ROLES:
        raise TeamsError(_("拟任队长应为本小分队的副队长或核心成员（教师）。"), field="new_captain")
    if outgoing not in CaptainChange.Outgoing.values:
        raise TeamsError(_("请选择原队长的去向：转为核心成员或退出小分队。"), field="outgoing")
    problems = successor_problems(new)
    if problems:
        raise TeamsError(
            _("“%(name)s”不符合队长条件：%(p)s") % {"name": new.name, "p": "".join(problems)},
            field="new_captain",
        )
    before, after = _after(team, old, new, outgoing)
    fresh = [
        p for p in rules.composition_violations(after) if p not in set(rules.composition_violations(before))
    ]
    if fresh:
        raise TeamsError(_("变更后小分队将不符合组建要求：%(p)s") % {"p": "；".join(fresh)}, code="rules")


def _notify(change: CaptainChange, title: str, users) -> None:
    notify(
        users=[u for u in users if u is not None],
        kind="team",
        title=str(title),
        body=change.reason if change.status == C.PENDING else change.decision_comment,
        link=reverse("teams:detail", args=[change.team_id]),
    )


@transaction.atomic
def captain_change_request(
    *, team: Team, by, new_captain: Member | None, outgoing: str, reason: str
) -> CaptainChange:
    """The current captain asks the college to hand the team to another of its teachers."""
    team = Team.objects.select_for_update().select_related("college").get(pk=team.pk)
    if not captain_of(by, team):
        raise TeamsError(_("只有现任队长可以提出队长变更申请。"), code="forbidden")
    if team.status not in EDITABLE_STATES | SERVING:
        raise TeamsError(
            _("小分队当前为“%(status)s”，不能变更队长。") % {"status": team.get_status_display()},
            code="wrong_state",
        )
    if team.captain_changes.filter(status=C.PENDING).exists():
        raise TeamsError(_("已有待学院审核的队长变更申请，请等待审核或先撤回。"), code="duplicate")
    reason = (reason or "").strip()
    if not reason:
        raise TeamsError(_("请填写变更理由。"), field="reason")
    if len(reason) > 2000:
        raise TeamsError(_("变更理由不能超过 2000 字。"), field="reason")
    old = captain_member(team)
    _check(team, old, new_captain, outgoing)
    change = CaptainChange.objects.create(
        team=team,
        old_captain=old,
        new_captain=new_captain,
        old_captain_name=old.name,
        new_captain_name=new_captain.name,
        outgoing=outgoing,
        reason=reason,
        requested_by=by,
        old_team_name=team.name,
        new_team_name=renamed(team.name, old.name, new_captain.name),
    )
    _notify(
        change,
        _("“%(team)s”申请变更队长：%(old)s → %(new)s，待学院审核")
        % {"team": team.name, "old": old.name, "new": new_captain.name},
        [*feedback.college_admins(team), new_captain.user],
    )
    return change


def _locked(change: CaptainChange) -> CaptainChange:
    change = CaptainChange.objects.select_for_update().get(pk=change.pk)
    change.team = Team.objects.select_for_update().select_related("college").get(pk=change.team_id)
    return change


@transaction.atomic
def captain_change_decide(*, change: CaptainChange, by, approve: bool, comment: str = "") -> CaptainChange:
    """The college approves (the roles change, the name follows) or rejects with a reason."""
    change = _locked(change)
    team = change.team
    if not permissions.college_reviewer_of(by, team):
        raise TeamsError(_("只有本学院管理员可以审核队长变更。"), code="forbidden")
    if change.status != C.PENDING:
        raise TeamsError(
            _("该申请当前为“%(s)s”，不能再审核。") % {"s": change.get_status_display()}, code="wrong_state"
        )
    comment = (comment or "").strip()
    if not approve and not comment:
        raise TeamsError(_("不批准时请填写理由。"), code="comment_required", field="comment")
    old_user = change.old_captain.user if change.old_captain else None
    if approve:
        _apply(change, team, by, comment)
    change.status = C.APPROVED if approve else C.REJECTED
    change.decided_by, change.decided_at, change.decision_comment = by, timezone.now(), comment
    change.save()
    new_user = change.new_captain.user if change.new_captain else None
    _notify(
        change,
        _("“%(team)s”的队长变更（%(old)s → %(new)s）%(result)s")
        % {
            "team": team.name,
            "old": change.old_captain_name,
            "new": change.new_captain_name,
            "result": _("已批准") if approve else _("未获批准"),
        },
        [old_user, new_user, *feedback.team_managers(team)],
    )
    return change


def _apply(change: CaptainChange, team: Team, by, comment: str) -> None:
    old = Member.objects.select_for_update().filter(pk=change.old_captain_id, role=MemberRole.CAPTAIN).first()
    new = (
        Member.objects.select_for_update(of=("self",))
        .filter(pk=change.new_captain_id)
        .select_related("user")
        .first()
    )
    if old is None:
        raise TeamsError(_("原队长已不在本小分队，该申请已失效，请撤回后重新申请。"), code="wrong_state")
    if new is None:
        raise TeamsError(_("拟任队长已不在本小分队，该申请已失效。"), code="wrong_state")
    _check(team, old, new, change.outgoing)
    name = renamed(team.name, old.name, new.name)
    if name != team.name and Team.objects.exclude(pk=team.pk).filter(name=name).exists():
        raise TeamsError(_("变更后的名称“%(name)s”已被其他小分队使用，请先修改小分队名称。") % {"name": name})
    # The old captain steps down first: one captain at every moment.
    if change.outgoing == CaptainChange.Outgoing.LEAVE:
        old.delete()
        change.old_captain = None  # the name stays in the history
    else:
        old.role = MemberRole.CORE
        old.save(update_fields=["role"])
    new.role, new.deputy_focus = MemberRole.CAPTAIN, ""
    new.save(update_fields=["role", "deputy_focus"])
    change.new_team_name = name
    if name != team.name:
        team.name = name
    team.save(update_fields=["name", "updated_at"])
    TeamTransition.objects.create(
        team=team,
        action="captain_change",
        from_status=team.status,
        to_status=team.status,
        actor=by,
        comment=_("队长由%(old)s变更为%(new)s%(note)s")
        % {
            "old": change.old_captain_name,
            "new": change.new_captain_name,
            "note": f"：{comment}" if comment else "",
        },
    )
    if team.status in SERVING:
        _announce_portrait(team)


@transaction.atomic
def captain_change_withdraw(*, change: CaptainChange, by) -> CaptainChange:
    change = _locked(change)
    if change.requested_by_id != getattr(by, "pk", None) and not captain_of(by, change.team):
        raise TeamsError(_("只有提出申请的队长可以撤回。"), code="forbidden")
    if change.status != C.PENDING:
        raise TeamsError(
            _("该申请当前为“%(s)s”，不能撤回。") % {"s": change.get_status_display()}, code="wrong_state"
        )
    change.status, change.decided_at = C.WITHDRAWN, timezone.now()
    change.save(update_fields=["status", "decided_at"])
    return change


def captain_changes_of(team: Team):
    """The team's captain history, newest first."""
    return team.captain_changes.select_related("requested_by", "decided_by")
