"""人岗匹配 through the pages: the profile form, posting an opening, the rankings with reasons on both
sides, applying, and the team's decisions (with who may make them)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from talent.models import Application, Opening, StudentProfile
from tests.factories import EnterpriseUserFactory, TeamMemberUserFactory, build_valid_team
from tests.talent.talent_world import *  # noqa: F403 - the fixtures team, captain, enterprise, students
from tests.talent.talent_world import THIS_YEAR, make_opening, student

pytestmark = pytest.mark.django_db


def profile_post(**overrides):
    data = {
        "level": "undergraduate",
        "major": "机械设计制造及其自动化",
        "year": str(THIS_YEAR - 2),
        "skills": "SolidWorks、有限元分析",
        "interests": "机械结构设计与仿真",
        "hours_per_week": "8",
        "available_note": "周二、周四下午",
        "open_to_offers": "on",
    }
    return {**data, **overrides}


def opening_post(team, **overrides):
    data = {
        "team": team.pk,
        "kind": "project_role",
        "title": "项目岗位",
        "description": "参与减振项目。",
        "slots": "1",
        "hours_per_week": "10",
        "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
    }
    return {**data, **overrides}


def test_student_keeps_a_profile_and_bad_input_saves_nothing(client):
    user = TeamMemberUserFactory()
    client.force_login(user)
    url = reverse("talent:talent_profile")
    response = client.post(url, profile_post(hours_per_week="0"))
    assert response.status_code == 400 and "确保该值大于或等于1" in response.content.decode()
    response = client.post(url, profile_post(year=str(THIS_YEAR - 30)))
    assert response.status_code == 400 and "入学年份应在" in response.content.decode()
    assert not StudentProfile.objects.exists()
    assert client.post(url, profile_post()).status_code == 302
    assert StudentProfile.objects.get(user=user).skills == ["SolidWorks", "有限元分析"]
    client.force_login(EnterpriseUserFactory())
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("major", "😀😀😀", "专业需要文字内容，不能只有表情或符号。"),
        ("interests", "🔥🔥🔥🔥🔥", "兴趣与方向需要文字内容，不能只有表情或符号。"),
        ("skills", "🎉🎉、Python", "技能需要文字内容，不能只有表情或符号：🎉🎉"),
        ("available_note", "……！！", "可参与时间说明需要文字内容，不能只有表情或符号。"),
    ],
)
def test_a_profile_of_only_emoji_or_symbols_is_refused(client, field, value, message):
    client.force_login(TeamMemberUserFactory())
    response = client.post(reverse("talent:talent_profile"), profile_post(**{field: value}))
    assert response.status_code == 400 and message in response.content.decode()
    assert not StudentProfile.objects.exists()


def test_an_opening_titled_in_emoji_is_refused(client, team, captain):
    client.force_login(captain)
    response = client.post(
        reverse("talent:opening_create"), opening_post(team, title="😀😀", description="🔥🔥")
    )
    assert response.status_code == 400 and "岗位名称需要文字内容" in response.content.decode()
    assert not Opening.objects.exists()


def test_applying_twice_says_why_on_the_opening_page(client, team, captain, students):
    opening = make_opening(team, captain)
    client.force_login(students["mech"].user)
    url = reverse("talent:opening_apply", args=[opening.pk])
    assert client.post(url, {"statement": "做过电机噪声分析"}).status_code == 302
    again = client.post(url, {"statement": "再申请一次"}, follow=True)
    assert again.redirect_chain[-1][0] == reverse("talent:opening", args=[opening.pk])
    assert "您已申请过该岗位。" in again.content.decode()
    assert Application.objects.count() == 1


def test_captain_posts_an_opening_and_sees_students_ranked_with_reasons(client, team, captain, students):
    client.force_login(captain)
    response = client.post(
        reverse("talent:opening_create"),
        {
            "team": team.pk,
            "kind": "research_assistant",
            "title": "振动测试科研助理",
            "description": "协助开展高速平缝机机头振动信号采集、模态分析与减振方案验证。",
            "skills": "MATLAB、振动测试",
            "slots": "1",
            "hours_per_week": "10",
            "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
        },
    )
    opening = Opening.objects.get()
    assert response.status_code == 302 and response.url == reverse("talent:opening", args=[opening.pk])
    html = client.get(response.url).content.decode()
    assert html.count('data-testid="ranked-student"') == 3
    assert html.index("王振") < html.index("张文")
    assert "专业对口：机械工程" in html and "共同关键词" in html


def test_opening_form_refuses_a_past_deadline_in_chinese(client, team, captain):
    client.force_login(captain)
    response = client.post(
        reverse("talent:opening_create"),
        opening_post(team, deadline=(timezone.localdate() - timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 400 and "报名截止日期不能早于今天" in response.content.decode()
    assert not Opening.objects.exists()


def test_a_student_sees_openings_ranked_applies_and_the_captain_accepts_an_internship(
    client, team, captain, students, enterprise
):
    opening = make_opening(
        team, captain, kind="internship", enterprise=enterprise, title="缝纫机减振测试实习"
    )
    mech = students["mech"]
    client.force_login(mech.user)
    home = client.get(reverse("talent:talent")).content.decode()
    assert 'data-testid="ranked-opening"' in home and "缝纫机减振测试实习" in home and "专业对口" in home
    response = client.post(
        reverse("talent:opening_apply", args=[opening.pk]), {"statement": "做过电机噪声分析"}
    )
    assert response.status_code == 302
    application = Application.objects.get()
    # Another team's captain cannot see, let alone decide, this application.
    client.force_login(build_valid_team(status="active", name_suffix="丙").members.get(role="captain").user)
    url = reverse("talent:application_action", args=[application.pk, "accept"])
    assert client.post(url).status_code == 404
    client.force_login(captain)
    decline = reverse("talent:application_action", args=[application.pk, "decline"])
    assert client.post(decline, {f"d{application.pk}-reason": ""}).status_code == 400
    refused = client.post(url, follow=True).content.decode()
    assert "企业实习录用请填写实习协议编号" in refused
    assert Application.objects.get().status == "submitted"
    response = client.post(url, {"agreement_number": "TZXY-SX-2026-07"}, follow=True)
    text = response.content.decode()
    assert "已计入实习协议“TZXY-SX-2026-07”的服务记录（草稿）" in text
    application.refresh_from_db()
    assert application.status == "accepted" and application.record.record_type == "agreement_internship"


def test_withdraw_from_my_applications(client, team, captain):
    opening = make_opening(team, captain)
    profile = student("赵学", major="机械工程", skills=["CAD"], interests="结构设计")
    client.force_login(profile.user)
    client.post(reverse("talent:opening_apply", args=[opening.pk]), {"statement": ""})
    application = Application.objects.get()
    page = client.get(reverse("talent:talent_applications")).content.decode()
    assert opening.title in page and "撤回" in page
    client.post(reverse("talent:application_action", args=[application.pk, "withdraw"]))
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_a_teacher_is_not_asked_for_a_student_profile(client):
    """人岗匹配: a 副教授 signs in with the same role as students; the 职称 says teacher."""
    from tests.factories import TeamMemberUserFactory

    teacher = TeamMemberUserFactory(title="副教授")
    client.force_login(teacher)
    page = client.get("/matching/talent/").content.decode()
    assert "填写学生档案" not in page
    assert client.get("/matching/talent/profile/").status_code == 403
    student = TeamMemberUserFactory(title="")
    client.force_login(student)
    assert "填写学生档案" in client.get("/matching/talent/").content.decode()
