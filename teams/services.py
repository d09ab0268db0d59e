"""Writes for teams: drafting, the application and review flow (Appendix E), rectification.

Every transition is a row in TRANSITIONS: the states it may start from, who may do it and whether a
comment is required. `team_transition` checks all three, applies it and writes an audit entry.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import is_sto_admin, is_team_member
from reference.choices import ServiceType
from teams import feedback, permissions, rules
from teams.errors import TeamsError
from teams.models import (
    ROLE_KINDS,
    Call,
    CaptainChange,
    Member,
    MemberKind,
    MemberRole,
    Rectification,
    Team,
    TeamTransition,
)
from teams.signals import portrait_changed, team_stopped_serving

S = Team.Status


@dataclass(frozen=True)
class Transition:
    label: str
    sources: frozenset
    target: str
    allowed: callable  # (user, team) -> bool
    comment_required: bool = False


TRANSITIONS = {
    "submit": Transition(
        _("提交申报"), frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, permissions.team_manager_of
    ),
    "college_approve": Transition(
        _("学院审核通过"), frozenset({S.SUBMITTED}), S.COLLEGE_APPROVED, permissions.college_reviewer_of
    ),
    "college_return": Transition(
        _("学院退回修改"), frozenset({S.SUBMITTED}), S.RETURNED, permissions.college_reviewer_of, True
    ),
    "office_approve": Transition(
        _("科技处审核通过"), frozenset({S.COLLEGE_APPROVED}), S.ACTIVE, permissions.office_reviewer_of
    ),
    "office_return": Transition(
        _("科技处退回修改"), frozenset({S.COLLEGE_APPROVED}), S.RETURNED, permissions.office_reviewer_of, True
    ),
    "rectify": Transition(
        _("责令整改"), frozenset({S.ACTIVE}), S.RECTIFYING, permissions.office_reviewer_of, True
    ),
    "rectification_close": Transition(
        _("整改完成"), frozenset({S.RECTIFYING}), S.ACTIVE, permissions.office_reviewer_of, True
    ),
    "dissolve": Transition(
        _("撤销小分队"),
        frozenset({S.ACTIVE, S.RECTIFYING}),
        S.DISSOLVED,
        permissions.office_reviewer_of,
        True,
    ),
    "archive": Transition(_("归档"), frozenset({S.ACTIVE}), S.ARCHIVED, permissions.office_reviewer_of),
}
WITH_ROW = {"rectify", "rectification_close"}
# States in which a team serves and is matched against needs.
SERVING = {S.ACTIVE, S.RECTIFYING}


QUALIFYING_FIELDS = {"qualifying_project", "qualifying_level", "qualifying_amount_yuan"}


def _full_clean(instance) -> None:
    """Model validation as a domain error, so pages and the API show one kind of message."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise TeamsError("；".join(exc.messages)) from exc


def member_facts(m: Member) -> rules.MemberFacts:
    return rules.MemberFacts(
        name=m.name,
        role=m.role,
        title=m.title,
        deputy_focus=m.deputy_focus,
        qualifying_project=m.qualifying_project,
        qualifying_level=m.qualifying_level,
        qualifying_amount_yuan=m.qualifying_amount_yuan,
        account=str(m.user_id or ""),
        kind=m.kind,
        background=m.background,
    )


def team_member_facts(team: Team) -> list[rules.MemberFacts]:
    return [member_facts(m) for m in team.members.all()]


def team_violations(team: Team) -> list[str]:
    """What the draft breaks, shown on the draft; submission is refused until this is empty."""
    problems = rules.team_violations(team.name, team_member_facts(team))
    # Names are stored with one canonical separator, so 王强•泵业 and 王强·泵业 collide here.
    duplicate = Team.objects.exclude(pk=team.pk).filter(name=rules.normalise_name(team.name)).exists()
    if duplicate:
        problems.append(_("已有同名小分队“%(name)s”，请更换名称。") % {"name": team.name})
    if not team.industries.exists() and not team.served_enterprises.exists():
        problems.append(_("请填写对接企业或行业。"))
    if not team.service_content.strip():
        problems.append(_("请填写服务内容。"))
    return problems


def _check_call_open(team: Team) -> None:
    if team.call_id is None:
        return
    if timezone.now() > team.call.deadline:
        raise TeamsError(
            _("申报批次“%(call)s”已于 %(deadline)s 截止，不能再提交。")
            % {
                "call": team.call.title,
                "deadline": timezone.localtime(team.call.deadline).strftime("%Y-%m-%d %H:%M"),
            },
            code="late",
        )


@transaction.atomic
def team_transition(*, team: Team, action: str, by, comment: str = "", _internal: bool = False) -> Team:
    """Move a team one step along its flow, or refuse with the reason."""
    step = TRANSITIONS.get(action)
    if action in WITH_ROW and not _internal:
        # These go with a Rectification row: rectification_open / rectification_close do both.
        raise TeamsError(_("请通过整改表单发起或完成整改。"), code="unknown_action")
    if step is None:
        raise TeamsError(_("未知的操作：%(action)s。") % {"action": action}, code="unknown_action")
    team = Team.objects.select_for_update(of=("self",)).select_related("college", "call").get(pk=team.pk)
    if not step.allowed(by, team):
        raise TeamsError(_("您无权对该小分队执行“%(label)s”。") % {"label": step.label}, code="forbidden")
    if team.status not in step.sources:
        raise TeamsError(
            _("小分队当前为“%(status)s”，不能执行“%(label)s”。")
            % {"status": team.get_status_display(), "label": step.label},
            code="wrong_state",
        )
    comment = (comment or "").strip()
    if step.comment_required and not comment:
        raise TeamsError(_("“%(label)s”需要填写意见。") % {"label": step.label}, code="comment_required")
    if action == "submit":
        _check_call_open(team)
        problems = team_violations(team)
        if problems:
            raise TeamsError("；".join(problems), code="rules")
    source = team.status
    team.status = step.target
    team.save(update_fields=["status", "updated_at"])
    TeamTransition.objects.create(
        team=team, action=action, from_status=source, to_status=step.target, actor=by, comment=comment
    )
    if (source in SERVING) != (step.target in SERVING):
        _announce_portrait(team)
    feedback.team_decided(team, step.label, comment, by)
    if step.target in {S.DISSOLVED, S.ARCHIVED}:
        team_id, by_id, reason = (
            team.pk,
            getattr(by, "pk", None),
            f"{step.label}：{comment}" if comment else step.label,
        )
        transaction.on_commit(
            lambda: team_stopped_serving.send(
                sender=Team, team_id=team_id, action=action, by_id=by_id, reason=str(reason)
            )
        )
    return team


def _announce_portrait(team: Team) -> None:
    team_id = team.pk
    transaction.on_commit(lambda: portrait_changed.send(sender=Team, team_id=team_id))


@transaction.atomic
def team_draft_create(
    *, by, name: str, work_mode: str, theme: str, call: Call | None = None, captain_fields=None, **fields
) -> Team:
    """A teacher forms a team: the draft belongs to their college and they are its captain
    (`captain_fields`: title and the qualifying project the guideline asks of a captain)."""
    captain_fields = dict(captain_fields or {})
    if not is_team_member(by) or by.college_id is None:
        raise TeamsError(_("只有学院教师可以组建科技小分队。"), code="forbidden")
    if call is not None and timezone.now() > call.deadline:
        raise TeamsError(_("申报批次“%(call)s”已截止。") % {"call": call.title}, code="late")
    team = Team(
        name=rules.normalise_name(name),
        college=by.college,
        category=by.college.category,
        work_mode=work_mode,
        theme=theme,
        call=call,
        **{
            k: v
            for k, v in fields.items()
            if k in {"service_content", "service_foundation", "description", "keywords"}
        },
    )
    _full_clean(team)
    team.save()
    captain = Member(
        team=team,
        user=by,
        name=by.real_name or by.username,
        role=MemberRole.CAPTAIN,
        kind=ROLE_KINDS[MemberRole.CAPTAIN],
        title=captain_fields.get("title") or by.title,
        **{k: v for k, v in captain_fields.items() if k in QUALIFYING_FIELDS | {"background"}},
    )
    _full_clean(captain)
    captain.save()
    TeamTransition.objects.create(
        team=team, action="create", from_status=S.DRAFT, to_status=S.DRAFT, actor=by
    )
    return team


@transaction.atomic
def rectification_open(
    *, team: Team, by, reason: str, measure: str, responsible: str, deadline: date
) -> Rectification:
    """整改 with a measure, a responsible person and a deadline; the team is marked as rectifying."""
    if not measure.strip() or not responsible.strip():
        raise TeamsError(_("整改需要填写整改措施和责任人。"), code="invalid")
    if deadline < timezone.localdate():
        raise TeamsError(_("整改完成时限不能早于今天。"), code="invalid")
    team_transition(team=team, action="rectify", by=by, comment=reason, _internal=True)
    return Rectification.objects.create(
        team=team, reason=reason, measure=measure, responsible=responsible, deadline=deadline, created_by=by
    )


@transaction.atomic
def rectification_close(*, rectification: Rectification, by, outcome: str) -> Rectification:
    if rectification.status != Rectification.Status.OPEN:
        raise TeamsError(_("该整改已完成。"), code="wrong_state")
    team_transition(
        team=rectification.team, action="rectification_close", by=by, comment=outcome, _internal=True
    )
    rectification.status = Rectification.Status.CLOSED
    rectification.outcome = outcome
    rectification.closed_at = timezone.now()
    rectification.save(update_fields=["status", "outcome", "closed_at"])
    return rectification


# Fields a team's managers may edit; the name and structure only while the application is open.
PORTRAIT_FIELDS = {
    "work_mode", "theme", "service_content", "service_foundation", "description", "keywords", "service_types",
}  # fmt: skip
APPLICATION_FIELDS = PORTRAIT_FIELDS | {"name"}
EDITABLE_STATES = {S.DRAFT, S.RETURNED}


@transaction.atomic
def team_update(
    *, team: Team, by, industries=None, regions=None, disciplines=None, served_enterprises=None, **fields
):
    """Edit the application (while draft or returned) or the portrait (while serving)."""
    if not permissions.team_manager_of(by, team):
        raise TeamsError(_("只有队长或副队长可以修改小分队信息。"), code="forbidden")
    allowed = APPLICATION_FIELDS if team.status in EDITABLE_STATES else PORTRAIT_FIELDS
    if team.status not in EDITABLE_STATES | SERVING:
        raise TeamsError(
            _("小分队当前为“%(status)s”，不能修改。") % {"status": team.get_status_display()},
            code="wrong_state",
        )
    refused = set(fields) - allowed
    if refused:
        raise TeamsError(
            _("当前状态下不能修改：%(fields)s。") % {"fields": "、".join(sorted(refused))}, code="wrong_state"
        )
    if "name" in fields:
        fields["name"] = rules.normalise_name(fields["name"])
    if "keywords" in fields:
        fields["keywords"] = _clean_keywords(fields["keywords"])
    if "service_types" in fields:
        bad = [v for v in fields["service_types"] or [] if v not in ServiceType.values]
        if bad:
            raise TeamsError(_("未知的服务类型：%(v)s。") % {"v": "、".join(map(str, bad))})
        fields["service_types"] = list(dict.fromkeys(fields["service_types"] or []))
    for name, value in fields.items():
        setattr(team, name, value)
    _full_clean(team)
    team.save()
    for relation, values in [
        ("industries", industries),
        ("regions", regions),
        ("disciplines", disciplines),
        ("served_enterprises", served_enterprises),
    ]:
        if values is not None:
            getattr(team, relation).set(values)
    if team.status in SERVING:
        _announce_portrait(team)
    return team


def _clean_keywords(values) -> list[str]:
    if isinstance(values, str):
        values = values.replace("，", ",").replace("、", ",").replace(";", ",").split(",")
    seen = []
    for value in values:
        word = str(value).strip()[:30]
        if word and word not in seen:
            seen.append(word)
    return seen[:30]


MEMBER_FIELDS = {
    "name", "role", "kind", "background", "title", "deputy_focus", "student_level", "enterprise",
    "research_direction", "qualifying_project", "qualifying_level", "qualifying_amount_yuan", "user",
}  # fmt: skip


def _refuse_unknown_kind(member: Member) -> None:
    if member.kind not in MemberKind.values:
        raise TeamsError(_("人员类别应为教师、学生或企业人员。"), field="kind")


def _refuse_composition_breach(member: Member, *, removing: bool = False) -> None:
    """5.1 on every membership change (add, edit, remove). The changed member's own entry must hold
    (its kind, a core member's background); and a serving team may not be left breaking a composition
    rule it kept before the change (a draft is checked as a whole at submission)."""
    team = member.team
    if not removing:
        problems = rules.member_violations(member_facts(member))
        if problems:
            raise TeamsError("；".join(problems), code="rules")
    if team.status not in SERVING:
        return
    others = [m for m in team.members.all() if m.pk != member.pk]
    before = set(rules.composition_violations([member_facts(m) for m in team.members.all()]))
    after = rules.composition_violations(
        [member_facts(m) for m in others] + ([] if removing else [member_facts(member)])
    )
    new = [p for p in after if p not in before]
    if new:
        raise TeamsError(_("该变更将使小分队不再符合组建要求：%(p)s") % {"p": "；".join(new)}, code="rules")


@transaction.atomic
def member_add(*, team: Team, by, **fields) -> Member:
    if not permissions.team_manager_of(by, team):
        raise TeamsError(_("只有队长或副队长可以维护成员。"), code="forbidden")
    if team.status not in EDITABLE_STATES | SERVING:
        raise TeamsError(_("小分队当前状态下不能维护成员。"), code="wrong_state")
    unknown = set(fields) - MEMBER_FIELDS
    if unknown:
        raise TeamsError(_("未知的成员字段：%(f)s。") % {"f": "、".join(sorted(unknown))})
    member = Member(team=team, **fields)
    if not member.kind and member.role in ROLE_KINDS:
        member.kind = ROLE_KINDS[member.role]
    if member.role == MemberRole.CAPTAIN and team.members.filter(role=MemberRole.CAPTAIN).exists():
        raise TeamsError(_("小分队已有队长。"), code="invalid")
    if member.role == MemberRole.ENTERPRISE and member.enterprise_id is None:
        raise TeamsError(_("企业成员需要填写所在企业。"), code="invalid")
    if member.role == MemberRole.DYNAMIC and not member.student_level:
        raise TeamsError(_("动态成员需要注明研究生或本科生。"), code="invalid")
    _refuse_unknown_kind(member)
    _refuse_repeated_person(member)
    _full_clean(member)
    _refuse_composition_breach(member)
    member.save()
    if team.status in SERVING:
        _announce_portrait(team)
    return member


def _refuse_repeated_person(member: Member) -> None:
    """One person, one membership per team (5.1), checked on every change, linked or not."""
    others = [
        rules.MemberFacts(name=m.name, role=m.role, account=str(m.user_id or ""))
        for m in member.team.members.exclude(pk=member.pk)
    ]
    mine = rules.MemberFacts(name=member.name, role=member.role, account=str(member.user_id or ""))
    if rules.repeated_people([*others, mine]):
        raise TeamsError(
            _("“%(name)s”已是本小分队成员，一人只能登记一次。") % {"name": member.name.strip()},
            code="duplicate",
            field="name",
        )


@transaction.atomic
def member_update(*, member: Member, by, **fields) -> Member:
    """Correct a member's details (e.g. the captain's title and qualifying project); not their role."""
    team = member.team
    if not permissions.team_manager_of(by, team):
        raise TeamsError(_("只有队长或副队长可以维护成员。"), code="forbidden")
    if team.status not in EDITABLE_STATES | SERVING:
        raise TeamsError(_("小分队当前状态下不能维护成员。"), code="wrong_state")
    unknown = set(fields) - (MEMBER_FIELDS - {"role", "user"})
    if unknown:
        raise TeamsError(_("不能修改的成员字段：%(f)s。") % {"f": "、".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(member, name, value)
    if not member.kind:  # a row written without one counts as its role's kind (rules.MemberFacts)
        member.kind = ROLE_KINDS.get(member.role, "")
    _refuse_unknown_kind(member)
    _refuse_repeated_person(member)
    _full_clean(member)
    _refuse_composition_breach(member)
    member.save()
    if team.status in SERVING:
        _announce_portrait(team)
    return member


@transaction.atomic
def member_remove(*, member: Member, by) -> None:
    team = member.team
    if not permissions.team_manager_of(by, team):
        raise TeamsError(_("只有队长或副队长可以维护成员。"), code="forbidden")
    if team.status not in EDITABLE_STATES | SERVING:
        raise TeamsError(_("小分队当前状态下不能维护成员。"), code="wrong_state")
    if member.role == MemberRole.CAPTAIN:
        raise TeamsError(_("不能移除队长；如需更换队长，请由队长提出队长变更申请。"), code="invalid")
    if CaptainChange.objects.filter(new_captain=member, status=CaptainChange.Status.PENDING).exists():
        raise TeamsError(_("该成员是待审核的队长变更中的拟任队长，不能移除。"), code="invalid")
    _refuse_composition_breach(member, removing=True)
    member.delete()
    if team.status in SERVING:
        _announce_portrait(team)


@transaction.atomic
def call_create(*, by, year: int, title: str, requirements: str, deadline) -> Call:
    """The S&T office publishes a call (科技处发布申报要求和条件)."""
    if not is_sto_admin(by) or by.university_id is None:
        raise TeamsError(_("只有科技处管理员可以发布申报批次。"), code="forbidden")
    if deadline <= timezone.now():
        raise TeamsError(_("截止时间应晚于当前时间。"), code="invalid")
    call = Call(
        university_id=by.university_id,
        year=year,
        title=title.strip(),
        requirements=requirements.strip(),
        deadline=deadline,
    )
    _full_clean(call)
    call.save()
    return call


def team_touch(*, team_id: int) -> None:
    """Mark a team changed (its updated_at), so every process sees its portrait index is stale: matching
    calls this when a portrait changed, and the index's fingerprint reads updated_at."""
    Team.objects.filter(pk=team_id).update(updated_at=timezone.now())


def team_extracted_keywords_set(*, team_id: int, keywords: list[str]) -> None:
    """Matching writes the keywords it extracted from the portrait's texts (it owns the extractor)."""
    Team.objects.filter(pk=team_id).update(extracted_keywords=list(keywords)[:20])


# Who may handle assignments (指派): the teachers of the team, with a platform account to answer from.
HANDLER_ROLES = {MemberRole.CAPTAIN, MemberRole.DEPUTY, MemberRole.CORE}


@transaction.atomic
def team_assignment_handler_set(*, team: Team, member: Member | None, by) -> Team:
    """The captain or a deputy names the member who answers the platform's assignments (None: the
    captain answers)."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    if not permissions.team_manager_of(by, team):
        raise TeamsError(_("只有队长或副队长可以指定指派对接人。"), code="forbidden")
    if member is not None:
        if member.team_id != team.pk:
            raise TeamsError(_("指派对接人必须是本小分队成员。"))
        if member.role not in HANDLER_ROLES:
            raise TeamsError(_("指派对接人应为队长、副队长或核心成员。"))
        if member.user_id is None or not member.user.is_active:
            raise TeamsError(_("该成员尚未关联平台账号，无法接收和响应指派。"))
    team.assignment_handler = member
    team.save(update_fields=["assignment_handler", "updated_at"])
    return team
