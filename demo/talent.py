"""The demo world's assignments (指派) and 人岗匹配: a few students with profiles, openings posted by three
teams (one an internship at an enterprise the team serves), applications in each state, and assignments
from the S&T office that are waiting, accepted, declined and escalated.

Written through the real services (so the rules, notifications, engagements and the internship record
all happen as in use), and found again by natural keys: a second run changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Role, User
from accounts.scope import Kind, users_of_kind
from demand.models import Need
from demo.services import DEMO_PASSWORD
from engagements.assignments import (
    assignment_accept,
    assignment_create,
    assignment_decline,
    assignments_escalate_overdue,
)
from engagements.models import Assignment
from reference.models import Discipline
from talent.models import Opening, StudentProfile
from talent.services import application_accept, application_submit, opening_create, profile_save
from teams.models import MemberRole, Team

STUDENTS = [
    # username, name, level, major, discipline, skills, interests, hours
    ("xs_wang", "王振宇", "graduate", "机械工程", "机械工程", ["MATLAB", "振动测试", "信号处理"],
     "机械振动与噪声控制，做过缝纫机主轴动平衡实验", 12),
    ("xs_li", "李佳怡", "undergraduate", "电气工程及其自动化", "电气工程", ["PLC", "伺服电机", "电机控制"],
     "伺服驱动与运动控制，参加过智能车比赛", 8),
    ("xs_chen", "陈思远", "graduate", "化学工程与技术", "化学/化学工程与技术", ["HPLC", "有机合成", "杂质分析"],
     "原料药工艺优化与杂质谱研究", 10),
    ("xs_zhou", "周雨桐", "undergraduate", "汉语言文学", "中国语言文学", ["写作", "新媒体运营"],
     "企业文化传播与科普写作", 6),
]  # fmt: skip

OPENINGS = [
    # team name prefix (captain's name), kind, title, description, skills, hours, slots
    ("王建国", "internship", "缝纫机振动噪声测试实习",
     "在对接企业参与高速平缝机整机振动噪声测试、模态分析与减振方案验证，每周到厂两天。",
     ["振动测试", "MATLAB"], 10, 2),
    ("王建国", "research_assistant", "缝制机构动力学科研助理",
     "协助开展挑线、送布机构的动力学建模与仿真，整理实验数据并撰写报告。", ["MATLAB", "有限元分析"], 8, 1),
]  # fmt: skip


def _student(username, name, level, major, discipline, skills, interests, hours, college) -> StudentProfile:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, real_name=name, role=Role.TEAM_MEMBER, college=college)
        user.set_password(DEMO_PASSWORD)
        user.save()
    found = Discipline.objects.filter(name=discipline).order_by("scheme", "code").first()
    return profile_save(
        user=user,
        level=level,
        major=major,
        year=timezone.localdate().year - (2 if level == "graduate" else 3),
        hours_per_week=hours,
        skills=skills,
        interests=interests,
        discipline=found,
    )


def _captain(team: Team):
    member = team.members.filter(role=MemberRole.CAPTAIN, user__isnull=False).select_related("user").first()
    return member.user if member else None


@transaction.atomic
def demo_talent_build() -> dict:
    """Students, openings, applications and assignments for the demo; returns what was created."""
    created = {"students": 0, "openings": 0, "applications": 0, "assignments": 0}
    teams = list(Team.objects.filter(status=Team.Status.ACTIVE).select_related("college").order_by("id"))
    office = users_of_kind(Kind.UNIVERSITY).filter(is_active=True).order_by("id").first()
    if not teams or office is None:
        return created
    college = teams[0].college
    before = StudentProfile.objects.count()
    profiles = {row[0]: _student(*row, college=college) for row in STUDENTS}
    created["students"] = StudentProfile.objects.count() - before

    for prefix, kind, title, description, skills, hours, slots in OPENINGS:
        team = next((t for t in teams if t.name.startswith(prefix)), None)
        captain = _captain(team) if team else None
        if captain is None or Opening.objects.filter(team=team, title=title).exists():
            continue
        enterprise = team.served_enterprises.order_by("name").first() if kind == "internship" else None
        if kind == "internship" and enterprise is None:
            continue
        opening = opening_create(
            team=team,
            by=captain,
            kind=kind,
            title=title,
            description=description,
            skills=skills,
            enterprise=enterprise,
            slots=slots,
            hours_per_week=hours,
            deadline=timezone.localdate() + timedelta(days=30),
        )
        created["openings"] += 1
        if kind == "internship":
            # One accepted (its 实习相关协议 record waits for the signed agreement), one waiting.
            first = application_submit(
                opening=opening, by=profiles["xs_wang"].user, statement="做过主轴动平衡实验"
            )
            application_accept(
                application=first,
                by=captain,
                agreement_number=f"TZXY-SX-{timezone.localdate().year}-{opening.pk:03d}",
            )
            application_submit(opening=opening, by=profiles["xs_li"].user, statement="熟悉传感器与数据采集")
            created["applications"] += 2

    if not Assignment.objects.exists():
        created["assignments"] = _assignments(teams, office)
    return created


def _assignments(teams: list[Team], office) -> int:
    """Four assignments of open needs to this university's teams: waiting, accepted, declined, and one
    left past its deadline and escalated back to the office."""
    ours = [t for t in teams if t.college.university_id == office.university_id and _captain(t)]
    needs = list(
        Need.objects.filter(status=Need.Status.PUBLISHED)
        .exclude(engagements__status__in=["proposed", "agreed", "in_service"])
        .order_by("id")[:4]
    )
    if len(ours) < 2 or len(needs) < 4:
        return 0
    deadline = timezone.now() + timedelta(days=3)
    made = [
        assignment_create(
            need=need, team=ours[i % len(ours)], by=office, deadline=deadline, message="请评估并响应"
        )
        for i, need in enumerate(needs)
    ]
    assignment_accept(assignment=made[1], by=_captain(made[1].team), scope="两周内赴企业调研并提交初步方案")
    assignment_decline(
        assignment=made[2], by=_captain(made[2].team), reason="本学期任务已满，建议指派相近团队"
    )
    # The answers came some hours after the assignments, as they would (the demo makes both at once).
    for assignment, hours in ((made[1], 6), (made[2], 27)):
        Assignment.objects.filter(pk=assignment.pk).update(
            created_at=F("responded_at") - timedelta(hours=hours)
        )
    # As if made five days ago with a three-day deadline: the periodic task sends it back to the office.
    Assignment.objects.filter(pk=made[3].pk).update(
        created_at=timezone.now() - timedelta(days=5), deadline=timezone.now() - timedelta(days=2)
    )
    assignments_escalate_overdue()
    return len(made)
