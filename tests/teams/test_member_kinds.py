"""5.1's members: who each is (教师 / 学生 / 企业人员) and a core member's 专业背景, checked in the rules,
at submission, on every membership change, on the pages and in the API."""

import pytest
from django.urls import reverse

from teams.errors import TeamsError
from teams.models import Member, MemberKind, MemberRole, Team
from teams.rules import MemberFacts, composition_violations, member_violations
from teams.services import member_add, member_remove, member_update, team_transition
from tests.api.conftest import assert_error
from tests.factories import TeamMemberUserFactory, build_valid_team

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("facts", "text"),
    [
        (
            MemberFacts(name="李一", role="core", kind="student", background="机械工程"),
            "核心成员“李一”应为教师",
        ),
        (MemberFacts(name="李一", role="core", kind="teacher"), "请填写其专业背景"),
        (MemberFacts(name="李一", role="core", kind="teacher", background=" 。"), "请填写其专业背景"),
        (MemberFacts(name="郑同学", role="dynamic", kind="teacher"), "动态成员“郑同学”应为学生"),
        (MemberFacts(name="王工", role="enterprise", kind="student"), "企业成员“王工”应为企业人员"),
        (MemberFacts(name="赵小明", role="captain", kind="enterprise"), "队长“赵小明”应为教师"),
        (MemberFacts(name="钱红", role="deputy", kind="student"), "副队长“钱红”应为教师"),
    ],
)
def test_it_rejects_a_member_of_the_wrong_kind_or_a_core_member_without_background(facts, text):
    problems = member_violations(facts)
    assert any(text in p for p in problems), problems
    assert any(text in p for p in composition_violations([facts]))


def test_a_member_without_a_stated_kind_counts_as_its_roles():
    assert member_violations(MemberFacts(name="郑同学", role="dynamic")) == []
    assert member_violations(MemberFacts(name="李一", role="core", background="机械工程")) == []


def test_submission_is_refused_while_a_core_member_has_no_background():
    team = build_valid_team()
    captain = team.members.get(role=MemberRole.CAPTAIN).user
    Member.objects.filter(team=team, name="李一").update(background="")
    with pytest.raises(TeamsError) as exc:
        team_transition(team=team, action="submit", by=captain)
    assert "核心成员“李一”应为具有相关专业背景的教师" in exc.value.message
    assert Team.objects.get(pk=team.pk).status == "draft"


# ------------------------------------------------------------------------------ membership changes


def _team(status="draft"):
    team = build_valid_team(status=status)
    return team, team.members.get(role=MemberRole.CAPTAIN).user


def test_a_new_member_gets_its_roles_kind_unless_stated():
    team, captain = _team()
    student = member_add(team=team, by=captain, name="冯同学", role="dynamic", student_level="undergraduate")
    assert student.kind == MemberKind.STUDENT
    core = member_add(team=team, by=captain, name="周五", role="core", title="讲师", background="控制工程")
    assert (core.kind, core.background) == (MemberKind.TEACHER, "控制工程")


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"role": "core", "title": "讲师"}, "请填写其专业背景"),
        ({"role": "core", "title": "讲师", "background": "机械工程", "kind": "student"}, "应为教师"),
        ({"role": "dynamic", "student_level": "graduate", "kind": "teacher"}, "应为学生"),
        ({"role": "core", "kind": "robot", "background": "机械工程"}, "人员类别"),
    ],
)
def test_adding_a_member_that_breaks_5_1_writes_nothing(fields, text):
    team, captain = _team()
    before = team.members.count()
    with pytest.raises(TeamsError) as exc:
        member_add(team=team, by=captain, name="周五", **fields)
    assert text in exc.value.message
    assert team.members.count() == before


def test_editing_a_core_members_background_away_is_refused():
    team, captain = _team()
    core = team.members.get(name="李一")
    with pytest.raises(TeamsError) as exc:
        member_update(member=core, by=captain, background="")
    assert "请填写其专业背景" in exc.value.message
    core.refresh_from_db()
    assert core.background == "机械工程"
    member_update(member=core, by=captain, background="车辆工程")
    core.refresh_from_db()
    assert core.background == "车辆工程"


def test_a_serving_team_keeps_its_composition_on_removal():
    team, captain = _team(status="active")
    student = team.members.get(role=MemberRole.DYNAMIC)
    with pytest.raises(TeamsError) as exc:
        member_remove(member=student, by=captain)
    assert "应有在学的研究生或本科生作为动态成员" in exc.value.message
    assert Member.objects.filter(pk=student.pk).exists()
    # With another student in place, the first may leave.
    member_add(team=team, by=captain, name="冯同学", role="dynamic", student_level="graduate")
    member_remove(member=student, by=captain)
    assert not Member.objects.filter(pk=student.pk).exists()


def test_a_serving_team_may_not_be_left_with_two_deputies_of_one_duty():
    team, captain = _team(status="active")
    member_add(team=team, by=captain, name="孙立", role="deputy", title="讲师", deputy_focus="industry")
    deputy = team.members.get(name="孙立")
    with pytest.raises(TeamsError) as exc:
        member_update(member=deputy, by=captain, deputy_focus="research")
    assert "两名副队长应分别负责科研和产业对接" in exc.value.message
    deputy.refresh_from_db()
    assert deputy.deputy_focus == "industry"


def test_a_draft_may_be_incomplete_until_it_is_submitted():
    team, captain = _team()
    member_remove(member=team.members.get(role=MemberRole.DYNAMIC), by=captain)
    assert not team.members.filter(role=MemberRole.DYNAMIC).exists()


# -------------------------------------------------------------------------------- pages and the API


def test_the_team_page_and_the_member_form_show_kind_and_background(client):
    team, captain = _team()
    client.force_login(captain)
    html = client.get(reverse("teams:detail", args=[team.pk])).content.decode()
    assert "人员类别" in html and "专业背景" in html and "企业人员" in html and "机械工程" in html
    form = client.get(reverse("teams:member_add", args=[team.pk])).content.decode()
    assert 'name="kind"' in form and 'name="background"' in form
    response = client.post(
        reverse("teams:member_add", args=[team.pk]), {"name": "周五", "role": "core", "title": "讲师"}
    )
    assert response.status_code == 200
    assert "请填写其专业背景" in response.content.decode()
    assert not team.members.filter(name="周五").exists()
    response = client.post(
        reverse("teams:member_add", args=[team.pk]),
        {"name": "周五", "role": "core", "title": "讲师", "background": "控制工程"},
    )
    assert response.status_code == 302
    assert team.members.get(name="周五").kind == MemberKind.TEACHER


def test_the_api_reads_and_writes_kind_and_background(api):
    team, captain = _team()
    listing = api(captain).get(f"/api/v1/teams/{team.pk}/members/").json()
    core = next(m for m in listing if m["name"] == "李一")
    assert (core["kind"], core["kind_label"], core["background"]) == ("teacher", "教师", "机械工程")
    bad = api(captain).post(
        "/api/v1/members/", {"team": team.pk, "name": "周五", "role": "core", "title": "讲师"}, format="json"
    )
    assert "专业背景" in assert_error(bad, 400, "rules")["message"]
    assert not team.members.filter(name="周五").exists()
    good = api(captain).post(
        "/api/v1/members/",
        {"team": team.pk, "name": "周五", "role": "core", "title": "讲师", "background": "控制工程"},
        format="json",
    )
    assert good.status_code == 201, good.content
    assert (good.json()["kind"], good.json()["background"]) == ("teacher", "控制工程")
    changed = api(captain).patch(f"/api/v1/members/{good.json()['id']}/", {"kind": "student"}, format="json")
    assert "应为教师" in assert_error(changed, 400, "rules")["message"]
    assert team.members.get(name="周五").kind == MemberKind.TEACHER


def test_a_student_account_may_be_linked_as_a_dynamic_member():
    team, captain = _team()
    student = TeamMemberUserFactory(college=team.college, real_name="冯同学")
    member = member_add(
        team=team, by=captain, name="冯同学", role="dynamic", student_level="graduate", user=student
    )
    assert member.kind == MemberKind.STUDENT and member.user == student
