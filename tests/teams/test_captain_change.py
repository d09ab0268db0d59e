"""变更队长: the captain proposes a qualified teacher of the team, the college approves (roles change, the
name follows the new captain) or rejects with a reason; every request stays as history."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from teams.captaincy import captain_change_decide, captain_change_request, captain_change_withdraw, renamed
from teams.errors import TeamsError
from teams.models import CaptainChange, Member, MemberRole, Team, TeamTransition
from tests.api.conftest import assert_error
from tests.factories import CollegeAdminFactory, TeamMemberUserFactory, build_valid_team

pytestmark = pytest.mark.django_db

QUALIFIED = {
    "title": "教授",
    "qualifying_project": "国家自然科学基金面上项目",
    "qualifying_level": "national",
}


@pytest.fixture
def world():
    team = build_valid_team(status="active")
    captain = team.members.get(role=MemberRole.CAPTAIN).user
    successor_user = TeamMemberUserFactory(college=team.college, real_name="李一")
    successor = team.members.get(name="李一")
    Member.objects.filter(pk=successor.pk).update(user=successor_user, **QUALIFIED)
    successor.refresh_from_db()
    admin = CollegeAdminFactory(college=team.college)
    return team, captain, successor, admin


def _request(team, captain, successor, outgoing="core"):
    return captain_change_request(
        team=team, by=captain, new_captain=successor, outgoing=outgoing, reason="赵小明调任学院管理岗位"
    )


def test_an_approved_change_swaps_the_roles_renames_the_team_and_is_kept(world):
    team, captain, successor, admin = world
    change = _request(team, captain, successor)
    assert change.status == "pending" and change.new_team_name == "李一·迈得医疗科技小分队"
    assert Notification.objects.filter(user=admin, title__contains="申请变更队长").exists()
    assert Notification.objects.filter(user=successor.user, title__contains="申请变更队长").exists()
    captain_change_decide(change=change, by=admin, approve=True, comment="同意")
    team.refresh_from_db()
    assert team.name == "李一·迈得医疗科技小分队"
    roles = dict(team.members.values_list("name", "role"))
    assert (roles["李一"], roles["赵小明"]) == (MemberRole.CAPTAIN, MemberRole.CORE)
    change.refresh_from_db()
    assert (change.status, change.decided_by, change.decision_comment) == ("approved", admin, "同意")
    assert TeamTransition.objects.filter(team=team, action="captain_change").exists()
    assert Notification.objects.filter(user=captain, title__contains="已批准").exists()
    assert Notification.objects.filter(user=successor.user, title__contains="已批准").exists()


def test_the_old_captain_may_leave(world):
    team, captain, successor, admin = world
    # Leaving takes a teacher out of the core: a fourth keeps it at three.
    with pytest.raises(TeamsError) as exc:
        _request(team, captain, successor, outgoing="leave")
    assert "核心成员应为 3 名以上教师（当前 2 名）" in exc.value.message
    Member.objects.create(
        team=team, name="冯六", role="core", kind="teacher", background="力学", title="讲师"
    )
    change = _request(team, captain, successor, outgoing="leave")
    captain_change_decide(change=change, by=admin, approve=True)
    assert not team.members.filter(user=captain).exists()
    change.refresh_from_db()
    assert change.old_captain is None and change.old_captain_name == "赵小明"


def test_a_rejection_needs_a_reason_and_changes_nothing(world):
    team, captain, successor, admin = world
    change = _request(team, captain, successor)
    with pytest.raises(TeamsError) as exc:
        captain_change_decide(change=change, by=admin, approve=False)
    assert "请填写理由" in exc.value.message
    captain_change_decide(change=change, by=admin, approve=False, comment="拟任队长尚需一年考察")
    team.refresh_from_db()
    assert team.name == "赵小明·迈得医疗科技小分队"
    assert team.members.get(role=MemberRole.CAPTAIN).user == captain
    assert CaptainChange.objects.get().status == "rejected"
    with pytest.raises(TeamsError) as exc:
        captain_change_decide(change=change, by=admin, approve=True)
    assert exc.value.code == "wrong_state"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": "讲师"}, "副高级及以上职称"),
        ({"qualifying_project": "", "qualifying_level": ""}, "省部级及以上科研项目"),
        ({"kind": "student"}, "应为教师"),
        ({"user": None}, "尚未关联平台账号"),
    ],
)
def test_an_unqualified_successor_is_refused_and_nothing_is_written(world, change, message):
    team, captain, successor, _admin = world
    Member.objects.filter(pk=successor.pk).update(**change)
    successor.refresh_from_db()
    with pytest.raises(TeamsError) as exc:
        _request(team, captain, successor)
    assert message in exc.value.message
    assert not CaptainChange.objects.exists()


def test_only_the_captain_asks_only_the_college_decides_one_at_a_time(world):
    team, captain, successor, admin = world
    with pytest.raises(TeamsError) as exc:
        _request(team, successor.user, successor)
    assert exc.value.code == "forbidden"
    with pytest.raises(TeamsError) as exc:
        _request(team, captain, team.members.get(role=MemberRole.DYNAMIC))
    assert "副队长或核心成员" in exc.value.message
    change = _request(team, captain, successor)
    with pytest.raises(TeamsError) as exc:
        _request(team, captain, successor)
    assert exc.value.code == "duplicate"
    other_admin = CollegeAdminFactory()
    for who in (captain, other_admin):
        with pytest.raises(TeamsError) as exc:
            captain_change_decide(change=change, by=who, approve=True)
        assert exc.value.code == "forbidden"
    captain_change_withdraw(change=change, by=captain)
    assert CaptainChange.objects.get().status == "withdrawn"


def test_a_change_that_would_leave_no_deputy_is_refused(world):
    team, captain, _successor, _admin = world
    deputy = team.members.get(role=MemberRole.DEPUTY)
    Member.objects.filter(pk=deputy.pk).update(user=TeamMemberUserFactory(college=team.college), **QUALIFIED)
    deputy.refresh_from_db()
    with pytest.raises(TeamsError) as exc:
        _request(team, captain, deputy)
    assert "副队长应为 1～2 名（当前 0 名）" in exc.value.message


def test_a_name_not_beginning_with_the_captains_stays(world):
    assert renamed("王强·泵业科技小分队", "赵小明", "李一") == "王强·泵业科技小分队"
    assert renamed("赵小明•泵业科技小分队", "赵小明", "李一") == "李一·泵业科技小分队"


def test_the_new_name_taken_by_another_team_blocks_the_approval(world):
    team, captain, successor, admin = world
    build_valid_team(college=team.college, captain_user=TeamMemberUserFactory(real_name="李一"))
    change = _request(team, captain, successor)
    with pytest.raises(TeamsError) as exc:
        captain_change_decide(change=change, by=admin, approve=True)
    assert "已被其他小分队使用" in exc.value.message
    assert Team.objects.get(pk=team.pk).name == "赵小明·迈得医疗科技小分队"
    assert CaptainChange.objects.get().status == "pending"


# -------------------------------------------------------------------------------- pages and the API


def test_the_pages_request_decide_and_show_the_history(client, world):
    team, captain, successor, admin = world
    client.force_login(captain)
    assert "申请变更队长" in client.get(reverse("teams:detail", args=[team.pk])).content.decode()
    url = reverse("teams:captain_change", args=[team.pk])
    empty = client.post(url, {"new_captain": successor.pk, "outgoing": "core", "reason": ""})
    assert empty.status_code == 200 and not CaptainChange.objects.exists()
    response = client.post(url, {"new_captain": successor.pk, "outgoing": "core", "reason": "工作调动"})
    assert response.status_code == 302
    change = CaptainChange.objects.get()
    client.force_login(successor.user)
    assert client.get(reverse("teams:captain_change_decide", args=[change.pk])).status_code == 403
    client.force_login(admin)
    assert "待审核的队长变更" in client.get(reverse("teams:review_college")).content.decode()
    decide = reverse("teams:captain_change_decide", args=[change.pk])
    refused = client.post(decide, {"approve": "0", "comment": ""})
    assert refused.status_code == 200 and "不批准时请填写理由" in refused.content.decode()
    assert client.post(decide, {"approve": "1", "comment": "同意"}).status_code == 302
    client.force_login(successor.user)
    page = client.get(reverse("teams:detail", args=[Team.objects.get().pk])).content.decode()
    assert "赵小明 → 李一" in page and "已批准" in page and "工作调动" in page


def test_the_api_requests_lists_and_decides(api, world):
    team, captain, successor, admin = world
    url = f"/api/v1/teams/{team.pk}/captain-changes/"
    bad = api(captain).post(url, {"new_captain": 999999, "outgoing": "core", "reason": "调动"}, format="json")
    assert_error(bad, 400, "validation_error", fields=["new_captain"])
    created = api(captain).post(
        url, {"new_captain": successor.pk, "outgoing": "core", "reason": "调动"}, format="json"
    )
    assert created.status_code == 201, created.content
    change_id = created.json()["id"]
    assert [c["id"] for c in api(successor.user).get(url).json()] == [change_id]
    no_reason = api(admin).post(
        f"/api/v1/captain-changes/{change_id}/decide/", {"approve": False}, format="json"
    )
    assert_error(no_reason, 400, "comment_required")
    approved = api(admin).post(
        f"/api/v1/captain-changes/{change_id}/decide/", {"approve": True}, format="json"
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["new_team_name"] == "李一·迈得医疗科技小分队"
    again = api(captain).post(f"/api/v1/captain-changes/{change_id}/withdraw/")
    assert_error(again, 409, "wrong_state")
