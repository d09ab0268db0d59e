"""人岗匹配, the teams' side: students keep a short profile, teams post openings, students apply and the
team accepts or declines. Ranking students for an opening (and openings for a student) is matching's
job (talent.ranking); these are the writes and the rules.

An accepted internship at an enterprise is placed under an internship agreement (实习相关协议, Appendix
C item 14: 2 points per agreement). The agreement is one signed document between the team (university)
and the enterprise and may place several students: its number (协议编号, entered by the team when it
accepts the student) is the record's identity. The first student under a number makes a draft service
record of that type; the next ones under the same number join it (named as participants and in its
text), so one agreement scores once however many students it places, and two agreements with the same
enterprise score twice. The team completes the record with the signed agreement as evidence and submits
it through the usual review; a number another team already claimed is refused (不得重复计分).
"""

import re
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Enterprise
from accounts.notifications import notify
from accounts.scope import is_team_member
from reference.models import Discipline
from talent.models import Application, Opening, StudentProfile
from teams import permissions
from teams.achievements import normalise_achievement_key
from teams.errors import TeamsError
from teams.models import Member, MemberKind, MemberRole, RecordType, ServiceRecord, Team
from teams.records import EDITABLE, record_create, record_update
from teams.services import SERVING, member_add

MAX_SKILLS, MAX_SKILL_CHARS = 20, 20
MAX_HOURS = 40  # a student's week: more than this is not a side activity any more
LIVE = (Application.Status.SUBMITTED, Application.Status.ACCEPTED)  # one of these per student and opening
# A text that says something has at least one Han character, letter or digit (not only emoji or symbols).
_WORDS = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]")
_SPLIT = re.compile(r"[,，、;；\s]+")


def clean_skills(values) -> list[str]:
    """A list (or a comma/、-separated string) of short skills, deduplicated, in the order given."""
    if isinstance(values, str):
        values = _SPLIT.split(values)
    if not isinstance(values, list | tuple):
        raise TeamsError(_("技能应为列表或以逗号分隔的文字。"))
    out = []
    for value in values:
        if not isinstance(value, str):
            raise TeamsError(_("技能应为文字。"))
        value = value.strip()
        if not value:
            continue
        if not _WORDS.search(value):
            raise TeamsError(_("技能需要文字内容，不能只有表情或符号：%(v)s") % {"v": value[:30]})
        if len(value) > MAX_SKILL_CHARS:
            raise TeamsError(_("每项技能不超过 %(n)d 个字：%(v)s") % {"n": MAX_SKILL_CHARS, "v": value[:30]})
        if value.lower() not in {v.lower() for v in out}:
            out.append(value)
    if len(out) > MAX_SKILLS:
        raise TeamsError(_("技能最多填写 %(n)d 项。") % {"n": MAX_SKILLS})
    return out


def _hours(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_HOURS:
        raise TeamsError(_("每周投入时间应为 1 到 %(n)d 小时的整数。") % {"n": MAX_HOURS})
    return value


def _text(value, label: str, limit: int, *, required: bool) -> str:
    value = (value or "").strip() if isinstance(value, str | type(None)) else None
    if value is None:
        raise TeamsError(_("%(label)s应为文字。") % {"label": label})
    if required and not value:
        raise TeamsError(_("请填写%(label)s。") % {"label": label})
    if value and not _WORDS.search(value):
        raise TeamsError(_("%(label)s需要文字内容，不能只有表情或符号。") % {"label": label})
    if len(value) > limit:
        raise TeamsError(_("%(label)s不能超过 %(n)d 字。") % {"label": label, "n": limit})
    return value


# ------------------------------------------------------------------------------------------- profiles


def may_keep_profile(user) -> bool:
    """Students keep a profile. They sign in as team members of their college, the role teachers have
    too: an account with a 职称, or with a place in a team as a teacher (教师), is a teacher's."""
    if not (is_team_member(user) and user.college_id is not None):
        return False
    if (user.title or "").strip():
        return False
    return not Member.objects.filter(user=user, kind=MemberKind.TEACHER).exists()


@transaction.atomic
def profile_save(
    *,
    user,
    level: str,
    major: str,
    year: int,
    hours_per_week: int,
    skills=(),
    interests: str = "",
    discipline: Discipline | None = None,
    available_note: str = "",
    open_to_offers: bool = True,
) -> StudentProfile:
    """Create or update the student's own profile."""
    if not may_keep_profile(user):
        raise TeamsError(
            _("学生档案只由本校学生填写（教师账号请在岗位页面发布或管理岗位）。"), code="forbidden"
        )
    if level not in Member.StudentLevel.values:
        raise TeamsError(_("请选择学生层次（研究生或本科生）。"))
    this_year = timezone.localdate().year
    if isinstance(year, bool) or not isinstance(year, int) or not this_year - 10 <= year <= this_year:
        raise TeamsError(_("入学年份应在 %(a)d 到 %(b)d 之间。") % {"a": this_year - 10, "b": this_year})
    fields = {
        "level": level,
        "major": _text(major, _("专业"), 50, required=True),
        "year": year,
        "hours_per_week": _hours(hours_per_week),
        "skills": clean_skills(list(skills) if not isinstance(skills, str) else skills),
        "interests": _text(interests, _("兴趣与方向"), 1000, required=False),
        "discipline": discipline,
        "available_note": _text(available_note, _("可参与时间说明"), 200, required=False),
        "open_to_offers": bool(open_to_offers),
    }
    profile, _created = StudentProfile.objects.update_or_create(user=user, defaults=fields)
    return profile


# ------------------------------------------------------------------------------------------- openings


@transaction.atomic
def opening_create(
    *,
    team: Team,
    by,
    kind: str,
    title: str,
    description: str,
    slots: int,
    hours_per_week: int,
    deadline: date,
    skills=(),
    enterprise: Enterprise | None = None,
) -> Opening:
    """A captain or deputy of a serving team posts an opening; an internship is at an enterprise the
    team serves."""
    if not permissions.team_manager_of(by, team):
        raise TeamsError(_("只有队长或副队长可以发布招募岗位。"), code="forbidden")
    if team.status not in SERVING:
        raise TeamsError(_("小分队运行后才能发布招募岗位。"), code="wrong_state")
    if kind not in Opening.Kind.values:
        raise TeamsError(_("请选择岗位类型。"))
    if kind == Opening.Kind.INTERNSHIP:
        if enterprise is None:
            raise TeamsError(_("企业实习岗位需要选择实习企业。"))
        if not team.served_enterprises.filter(pk=enterprise.pk).exists():
            raise TeamsError(_("实习企业应为本小分队的对接企业。"))
    if isinstance(slots, bool) or not isinstance(slots, int) or not 1 <= slots <= 50:
        raise TeamsError(_("名额应为 1 到 50 的整数。"))
    if not isinstance(deadline, date) or deadline < timezone.localdate():
        raise TeamsError(_("报名截止日期不能早于今天。"))
    return Opening.objects.create(
        team=team,
        kind=kind,
        title=_text(title, _("岗位名称"), 100, required=True),
        description=_text(description, _("岗位说明"), 2000, required=True),
        skills=clean_skills(list(skills) if not isinstance(skills, str) else skills),
        enterprise=enterprise if kind == Opening.Kind.INTERNSHIP else None,
        slots=slots,
        hours_per_week=_hours(hours_per_week),
        deadline=deadline,
        created_by=by,
    )


@transaction.atomic
def opening_close(*, opening: Opening, by) -> Opening:
    opening = Opening.objects.select_for_update().select_related("team").get(pk=opening.pk)
    if not permissions.team_manager_of(by, opening.team):
        raise TeamsError(_("只有队长或副队长可以关闭招募岗位。"), code="forbidden")
    if opening.status == Opening.Status.CLOSED:
        raise TeamsError(_("该岗位已关闭。"), code="wrong_state")
    opening.status = Opening.Status.CLOSED
    opening.save(update_fields=["status", "updated_at"])
    return opening


def opening_accepting(opening: Opening) -> bool:
    return opening.status == Opening.Status.OPEN and opening.deadline >= timezone.localdate()


# --------------------------------------------------------------------------------------- applications


def _managers(team: Team):
    return [
        m.user
        for m in team.members.filter(role__in=[MemberRole.CAPTAIN, MemberRole.DEPUTY]).select_related("user")
        if m.user
    ]


@transaction.atomic
def application_submit(*, opening: Opening, by, statement: str = "") -> Application:
    profile = StudentProfile.objects.filter(user=by).first() if by.is_authenticated else None
    if profile is None:
        raise TeamsError(_("请先填写学生档案再申请岗位。"), code="invalid")
    opening = Opening.objects.select_for_update().select_related("team").get(pk=opening.pk)
    if not opening_accepting(opening):
        raise TeamsError(_("该岗位已停止招募。"), code="wrong_state")
    statement = _text(statement, _("申请说明"), 1000, required=False)
    if Application.objects.filter(opening=opening, student=profile, status__in=LIVE).exists():
        raise TeamsError(_("您已申请过该岗位。"), code="duplicate")
    application = Application.objects.create(opening=opening, student=profile, statement=statement)
    notify(
        users=_managers(opening.team),
        kind="application",
        title=_("新的岗位申请：%(who)s 申请“%(t)s”") % {"who": by, "t": opening.title},
        body=statement,
        link=f"/matching/talent/openings/{opening.pk}/",
    )
    return application


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("opening", "opening__team", "opening__enterprise", "student", "student__user")
        .get(pk=application.pk)
    )


def _require_submitted(application: Application) -> None:
    if application.status != Application.Status.SUBMITTED:
        raise TeamsError(
            _("该申请当前为“%(s)s”，不能执行该操作。") % {"s": application.get_status_display()},
            code="wrong_state",
        )


def internship_agreement_key(agreement_number: str) -> str:
    """The identity of a signed internship agreement: its number, normalised as every achievement key is
    (width, case, spaces and punctuation folded), so "TZXY-SX-2026-01" and "tzxy sx 2026 01" are one."""
    return normalise_achievement_key(agreement_number)


def _agreement_text(enterprise, number: str, members: list[Member]) -> tuple[str, str]:
    names = "、".join(m.name for m in members)
    title = _("实习协议 %(no)s：%(n)d 名学生赴%(e)s实习") % {
        "no": number,
        "n": len(members),
        "e": enterprise.name,
    }
    body = _("实习相关协议 %(no)s（与%(e)s签署），安排实习学生：%(s)s。") % {
        "no": number,
        "e": enterprise.name,
        "s": names,
    }
    return title[:200], body


def _internship_record(application: Application, by, agreement_number: str, member: Member) -> ServiceRecord:
    """The 实习相关协议 record of the agreement this placement is under: created for the agreement's first
    student, joined by the next ones. Refused (nothing written) when the number is another team's or the
    agreement's record has gone to review."""
    opening = application.opening
    number = " ".join((agreement_number or "").split())[:200]
    key = internship_agreement_key(number)
    if not key:
        raise TeamsError(
            _("请填写实习协议编号（协议编号相同的学生计为同一份协议）。"), field="agreement_number"
        )
    existing = (
        ServiceRecord.objects.select_for_update()
        .filter(record_type=RecordType.AGREEMENT_INTERNSHIP, normalised_key=key)
        .select_related("team")
        .first()
    )
    if existing is None:
        title, body = _agreement_text(opening.enterprise, number, [member])
        return record_create(
            team=opening.team,
            by=by,
            record_type=RecordType.AGREEMENT_INTERNSHIP,
            date=timezone.localdate(),
            title=title,
            served_organisation=opening.enterprise.name,
            served_enterprise=opening.enterprise,
            description=body,
            achievement_key=number,
            participants=[member],
        )
    if existing.team_id != opening.team_id:
        raise TeamsError(
            _("实习协议“%(no)s”已由“%(team)s”登记，同一协议不得重复计分；请核对协议编号。")
            % {"no": number, "team": existing.team.name},
            code="double_claim",
            field="agreement_number",
        )
    if existing.served_enterprise_id != opening.enterprise_id:
        raise TeamsError(
            _("实习协议“%(no)s”是与“%(e)s”签署的，一份协议只对应一家企业；请核对协议编号。")
            % {"no": number, "e": existing.served_organisation},
            field="agreement_number",
        )
    if existing.status not in EDITABLE:
        raise TeamsError(
            _("实习协议“%(no)s”的服务记录当前为“%(s)s”，不能再加入学生；请待学院退回后再录用。")
            % {"no": number, "s": existing.get_status_display()},
            code="wrong_state",
            field="agreement_number",
        )
    members = list(existing.participants.order_by("pk"))
    if member not in members:
        members.append(member)
    title, body = _agreement_text(opening.enterprise, existing.achievement_key, members)
    return record_update(record=existing, by=by, participants=members, title=title, description=body)


@transaction.atomic
def application_accept(*, application: Application, by, agreement_number: str = "") -> Application:
    """The team takes the student: they join as a dynamic member. An internship is placed under a signed
    agreement (`agreement_number`, required): its 实习相关协议 record is made or joined, for the team to
    complete with the signed agreement and submit."""
    application = _locked(application)
    opening = Opening.objects.select_for_update().get(pk=application.opening_id)
    team = opening.team
    if not permissions.team_manager_of(by, team):
        raise TeamsError(_("只有队长或副队长可以处理岗位申请。"), code="forbidden")
    _require_submitted(application)
    if opening.status == Opening.Status.CLOSED:
        raise TeamsError(_("该岗位已关闭，不能录用。"), code="wrong_state")
    taken = opening.applications.filter(status=Application.Status.ACCEPTED).count()
    if taken >= opening.slots:
        raise TeamsError(_("该岗位名额已满。"), code="wrong_state")
    student = application.student
    if opening.kind == Opening.Kind.INTERNSHIP and not internship_agreement_key(agreement_number):
        raise TeamsError(
            _("企业实习录用请填写实习协议编号（同一份协议安排的学生填写相同编号）。"),
            field="agreement_number",
        )
    if not team.members.filter(user=student.user).exists():
        # Through teams' own service: the team's rows, its checks, its portrait announcement.
        member_add(
            team=team,
            by=by,
            user=student.user,
            name=student.user.real_name or student.user.username,
            role=MemberRole.DYNAMIC,
            student_level=student.level,
            research_direction=student.major,
        )
    application.status, application.decided_by, application.decided_at = (
        Application.Status.ACCEPTED,
        by,
        timezone.now(),
    )
    if opening.kind == Opening.Kind.INTERNSHIP:
        application.opening = opening
        member = team.members.get(user=student.user)
        application.record = _internship_record(application, by, agreement_number, member)
    application.save()
    if taken + 1 >= opening.slots:
        opening.status = Opening.Status.FILLED
        opening.save(update_fields=["status", "updated_at"])
    notify(
        users=[student.user],
        kind="application",
        title=_("您已被“%(team)s”录用：%(t)s") % {"team": team.name, "t": opening.title},
        link="/matching/talent/applications/",
    )
    return application


@transaction.atomic
def application_decline(*, application: Application, by, reason: str) -> Application:
    application = _locked(application)
    if not permissions.team_manager_of(by, application.opening.team):
        raise TeamsError(_("只有队长或副队长可以处理岗位申请。"), code="forbidden")
    _require_submitted(application)
    application.reason = _text(reason, _("原因"), 200, required=True)
    application.status, application.decided_by, application.decided_at = (
        Application.Status.DECLINED,
        by,
        timezone.now(),
    )
    application.save()
    notify(
        users=[application.student.user],
        kind="application",
        title=_("“%(t)s”的申请未被录用") % {"t": application.opening.title},
        body=application.reason,
        link="/matching/talent/applications/",
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by) -> Application:
    application = _locked(application)
    if application.student.user_id != getattr(by, "pk", None):
        raise TeamsError(_("只能撤回自己的申请。"), code="forbidden")
    _require_submitted(application)
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status"])
    return application


# -------------------------------------------------------------------------------------------- reads


def teams_managed_by(user):
    """Serving teams where the user is captain or deputy: those that post openings and decide."""
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(
        status__in=SERVING,
        members__user=user,
        members__role__in=[MemberRole.CAPTAIN, MemberRole.DEPUTY],
    ).distinct()


def openings_visible_to(user):
    """Recruiting openings for every signed-in user; any opening to its team's members and to the
    students who applied to it. Anything else is a 404."""
    if not user.is_authenticated:
        return Opening.objects.none()
    return (
        Opening.objects.filter(
            Q(status=Opening.Status.OPEN, deadline__gte=timezone.localdate())
            | Q(team__in=Team.objects.filter(members__user=user))
            | Q(applications__student__user=user)
        )
        .select_related("team", "team__college", "enterprise")
        .distinct()
    )


def openings_filtered(qs, *, team: int | None = None, kind: str = "", status: str = ""):
    """One team's openings, of a kind, in a state (within what the caller already restricted)."""
    if team:
        qs = qs.filter(team_id=team)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs


def applications_filtered(qs, *, opening: int | None = None, status: str = ""):
    """The applications to one opening, in a state (within what the caller already restricted)."""
    if opening:
        qs = qs.filter(opening_id=opening)
    if status:
        qs = qs.filter(status=status)
    return qs


def applications_visible_to(user):
    """The student's own applications, and those to openings of teams the user manages."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(
        Q(student__user=user) | Q(opening__team__in=teams_managed_by(user))
    ).select_related("opening", "opening__team", "student", "student__user", "student__discipline", "record")
