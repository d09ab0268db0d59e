"""Shared set-up for the 人岗匹配 tests: a serving team of 机械工程 with a served enterprise, three students
(mechanical, electrical, literature) and a helper to post an opening. Fixtures are star-imported by the
test modules that use them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reference.models import Discipline
from talent.services import opening_create, profile_save
from tests.factories import EnterpriseFactory, TeamMemberUserFactory, build_valid_team

THIS_YEAR = timezone.localdate().year
__all__ = ["captain", "enterprise", "students", "team"]


def discipline(name: str) -> Discipline:
    return Discipline.objects.get_or_create(scheme="csl", code=name, defaults={"name": name})[0]


@pytest.fixture
def team():
    team = build_valid_team(status="active", name_suffix="缝制装备振动")
    team.disciplines.add(discipline("机械工程"))
    return team


@pytest.fixture
def captain(team):
    return team.members.get(role="captain").user


@pytest.fixture
def enterprise(team):
    enterprise = EnterpriseFactory(name="台州市杰克缝纫机有限公司")
    team.served_enterprises.add(enterprise)
    return enterprise


def student(name, *, major, skills, interests, hours=10, disc=None, college=None):
    user = (
        TeamMemberUserFactory(real_name=name, college=college)
        if college
        else TeamMemberUserFactory(real_name=name)
    )
    return profile_save(
        user=user,
        level="graduate",
        major=major,
        year=THIS_YEAR - 1,
        hours_per_week=hours,
        skills=skills,
        interests=interests,
        discipline=discipline(disc) if disc else None,
    )


@pytest.fixture
def students():
    return {
        "mech": student(
            "王振",
            major="机械工程",
            skills=["MATLAB", "振动测试", "信号处理"],
            interests="机械振动与故障诊断，做过电机噪声分析",
            hours=12,
            disc="机械工程",
        ),
        "power": student(
            "李电",
            major="电气工程",
            skills=["PLC", "电机控制"],
            interests="伺服电机驱动与运动控制",
            hours=6,
            disc="电气工程",
        ),
        "lit": student(
            "张文",
            major="汉语言文学",
            skills=["写作", "新媒体运营"],
            interests="古典文学与文化传播",
            hours=10,
            disc="中国语言文学",
        ),
    }


def make_opening(team, by, **overrides):
    fields = {
        "kind": "research_assistant",
        "title": "振动测试科研助理",
        "description": "协助开展高速平缝机机头振动信号采集、模态分析与减振方案验证。",
        "skills": ["MATLAB", "振动测试"],
        "slots": 1,
        "hours_per_week": 10,
        "deadline": timezone.localdate() + timedelta(days=14),
    }
    return opening_create(team=team, by=by, **{**fields, **overrides})
