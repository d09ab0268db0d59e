"""Appendix D (科技小分队申报表) as a college submits it: one row per team it puts forward in a call
(序号, 小分队名称, 小分队成员, 对接企业/行业, 服务内容, 现有服务基础和已开展服务项目), the college's name with
a place for its stamp, and the 填报日期. Filled from the teams as entered or imported; printed as xlsx or
PDF through core.documents, ready to stamp."""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import College
from accounts.scope import ScopePaths, is_platform_admin, restrict
from core.documents import Document, Table
from teams.models import Call, MemberRole, Team
from teams.permissions import application_importer

ROLE_ORDER = [
    MemberRole.CAPTAIN,
    MemberRole.DEPUTY,
    MemberRole.CORE,
    MemberRole.DYNAMIC,
    MemberRole.ENTERPRISE,
]
# The teams a college puts forward: everything but a draft it has not submitted and a returned one.
SUBMITTED = [
    Team.Status.SUBMITTED,
    Team.Status.COLLEGE_APPROVED,
    Team.Status.ACTIVE,
    Team.Status.RECTIFYING,
    Team.Status.ARCHIVED,
]


def members_text(team: Team) -> str:
    """队长：王某（教授）；副队长：…, in the order of 5.1."""
    members = sorted(team.members.all(), key=lambda m: (ROLE_ORDER.index(m.role), m.pk))
    parts = []
    for role in ROLE_ORDER:
        people = [m for m in members if m.role == role]
        if people:
            names = "、".join(f"{m.name}（{m.title}）" if m.title else m.name for m in people)
            parts.append(f"{MemberRole(role).label}：{names}")
    return "；".join(parts)


def served_text(team: Team) -> str:
    enterprises = [e.name for e in team.served_enterprises.all()]
    industries = [i.name for i in team.industries.all()]
    return "、".join(enterprises + industries)


def batch_teams(college, call):
    return (
        Team.objects.filter(college=college, call=call, status__in=SUBMITTED)
        .prefetch_related("members", "served_enterprises", "industries")
        .order_by("name")
    )


def appendix_d(college, call, teams=None) -> Document:
    teams = list(batch_teams(college, call) if teams is None else teams)
    filled = [t.filled_on for t in teams if t.filled_on]
    day = max(filled) if filled else timezone.localdate()
    return Document(
        title=_("%(u)s科技小分队成立申报表") % {"u": college.university.name},
        lines=[
            _("二级学院（部门）：%(c)s（盖章）") % {"c": college.name},
            _("申报批次：%(t)s（%(y)d 年度）") % {"t": call.title, "y": call.year},
        ],
        blocks=[
            Table(
                header=[
                    "序号",
                    "小分队名称",
                    "小分队成员",
                    "对接企业/行业",
                    "服务内容",
                    "现有服务基础和已开展服务项目",
                ],
                rows=[
                    [n, t.name, members_text(t), served_text(t), t.service_content, t.service_foundation]
                    for n, t in enumerate(teams, start=1)
                ],
                widths=[6, 18, 26, 16, 17, 17],
            )
        ],  # fmt: skip
        signature=[_("填报日期：%(y)d 年 %(m)d 月 %(d)d 日") % {"y": day.year, "m": day.month, "d": day.day}],
        sheet=_("附录D申报表"),
    )


# Whose Appendix D a user may print: a college's administrator its own college's, the S&T office its
# university's colleges', platform administrators any (accounts.scope, the one scope rule).
APPENDIX_D_COLLEGES = ScopePaths(everything=None, university="university", college="pk")


def colleges_for(user):
    if not application_importer(user) and not is_platform_admin(user):
        return College.objects.none()
    return restrict(College.objects.select_related("university"), user, APPENDIX_D_COLLEGES).order_by("name")


def batches_for(user) -> list[dict]:
    """Each call the user sees, with each college they may print for and how many teams it put forward."""
    colleges = list(colleges_for(user))
    out = []
    for call in Call.objects.visible_to(user).select_related("university"):
        rows = [
            {"college": c, "count": batch_teams(c, call).count()}
            for c in colleges
            if c.university_id == call.university_id
        ]
        if rows:
            out.append({"call": call, "colleges": rows})
    return out
