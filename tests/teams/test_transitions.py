"""Each transition of Appendix E's flow: allowed and refused, by whom, with its audit entry."""

from datetime import timedelta

import pytest
from django.utils import timezone

from teams.errors import TeamsError
from teams.models import Call, Member, Team
from teams.services import rectification_close, rectification_open, team_draft_create, team_transition
from tests.factories import (
    CollegeAdminFactory,
    CollegeFactory,
    EnterpriseUserFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    build_valid_team,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def college():
    return CollegeFactory(name="智能制造学院")


@pytest.fixture
def team(college):
    return build_valid_team(college=college)


@pytest.fixture
def captain(team):
    return team.members.get(role="captain").user


@pytest.fixture
def college_admin(college):
    return CollegeAdminFactory(college=college)


@pytest.fixture
def office(college):
    return StoAdminFactory(university=college.university)


def test_the_whole_flow_with_audit(team, captain, college_admin, office):
    team_transition(team=team, action="submit", by=captain)
    team_transition(team=team, action="college_approve", by=college_admin, comment="同意")
    team = team_transition(team=team, action="office_approve", by=office)
    assert team.status == Team.Status.ACTIVE
    trail = list(team.transitions.values_list("action", "from_status", "to_status", "actor"))
    assert trail == [
        ("submit", "draft", "submitted", captain.pk),
        ("college_approve", "submitted", "college_approved", college_admin.pk),
        ("office_approve", "college_approved", "active", office.pk),
    ]


def test_submission_is_refused_while_a_rule_is_broken(team, captain):
    Member.objects.filter(team=team, role="core").first().delete()
    with pytest.raises(TeamsError) as exc:
        team_transition(team=team, action="submit", by=captain)
    assert "核心成员应为 3 名以上" in exc.value.message
    team.refresh_from_db()
    assert team.status == "draft" and not team.transitions.exists()


@pytest.mark.parametrize("who", ["core_member_user", "enterprise", "college_admin_elsewhere", "office"])
def test_only_the_captain_or_a_deputy_submits(team, who, office):
    users = {
        "core_member_user": lambda: _core_user(team),
        "enterprise": EnterpriseUserFactory,
        "college_admin_elsewhere": CollegeAdminFactory,
        "office": lambda: office,
    }
    with pytest.raises(TeamsError) as exc:
        team_transition(team=team, action="submit", by=users[who]())
    assert exc.value.code == "forbidden"


def _core_user(team):
    user = TeamMemberUserFactory(college=team.college)
    Member.objects.filter(team=team, role="core").update(user=user)
    return user


def test_a_college_admin_of_another_college_cannot_review(team, captain):
    team_transition(team=team, action="submit", by=captain)
    with pytest.raises(TeamsError) as exc:
        team_transition(team=team, action="college_approve", by=CollegeAdminFactory())
    assert exc.value.code == "forbidden"


def test_out_of_order_is_refused_with_the_state(team, captain, office):
    with pytest.raises(TeamsError) as exc:
        team_transition(team=team, action="office_approve", by=office)
    assert exc.value.code == "wrong_state"
    assert "草稿" in exc.value.message


def test_returning_needs_a_comment_and_allows_resubmission(team, captain, college_admin):
    team_transition(team=team, action="submit", by=captain)
    with pytest.raises(TeamsError) as exc:
        team_transition(team=team, action="college_return", by=college_admin)
    assert exc.value.code == "comment_required"
    team_transition(team=team, action="college_return", by=college_admin, comment="服务基础写得不够具体")
    team = team_transition(team=team, action="submit", by=captain)
    assert team.status == "submitted"


def test_a_late_submission_is_refused(team, captain):
    team.call = Call.objects.create(
        university=team.college.university,
        year=2026,
        title="2026年度科技小分队申报",
        requirements="…",
        deadline=timezone.now() - timedelta(days=1),
    )
    team.save()
    with pytest.raises(TeamsError) as exc:
        team_transition(team=team, action="submit", by=captain)
    assert exc.value.code == "late" and "已于" in exc.value.message


def test_a_duplicate_name_with_another_separator_is_refused(team):
    from teams.services import team_violations

    # a row written before names were normalised (e.g. by an old import) still collides
    twin = Team.objects.create(
        name="赵小明•迈得医疗科技小分队", college=team.college, work_mode="project", theme="other"
    )
    assert any("已有同名小分队" in p for p in team_violations(twin))


def test_rectification_and_dissolution(team, captain, college_admin, office):
    for action, user in [("submit", captain), ("college_approve", college_admin), ("office_approve", office)]:
        team_transition(team=team, action=action, by=user)
    deadline = timezone.localdate() + timedelta(days=30)
    rect = rectification_open(
        team=team,
        by=office,
        reason="年度服务次数不足",
        measure="每月赴企服务一次",
        responsible="赵小明",
        deadline=deadline,
    )
    team.refresh_from_db()
    assert team.status == "rectifying"
    rectification_close(rectification=rect, by=office, outcome="已按月开展服务")
    team.refresh_from_db()
    assert team.status == "active"
    with pytest.raises(TeamsError):
        team_transition(team=team, action="dissolve", by=captain, comment="x")
    team = team_transition(team=team, action="dissolve", by=office, comment="团队负责人调离")
    assert team.status == "dissolved"


def test_a_teacher_creates_a_draft_as_captain(college):
    teacher = TeamMemberUserFactory(college=college, real_name="王建国", title="副教授")
    team = team_draft_create(
        by=teacher, name="王建国•智能缝制装备科技小分队", work_mode="project", theme="smart_manufacturing"
    )
    assert team.name == "王建国·智能缝制装备科技小分队"  # one canonical separator
    assert team.category == college.category
    assert team.members.get(role="captain").user == teacher


def test_an_enterprise_user_cannot_create_a_team():
    with pytest.raises(TeamsError):
        team_draft_create(
            by=EnterpriseUserFactory(), name="张三·某某科技小分队", work_mode="project", theme="other"
        )
