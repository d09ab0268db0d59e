"""Engagements: who may do each step, contact visibility, one open engagement per team and need."""

import pytest
from django.core import mail

from accounts.models import Notification
from engagements.services import (
    engagement_accept,
    engagement_cancel,
    engagement_complete,
    engagement_decline,
    engagement_express_interest,
    engagement_invite,
    engagement_record_defaults,
    engagement_start,
)
from matching.errors import MatchingError
from tests.factories import EnterpriseUserFactory, TeamMemberUserFactory, build_valid_team, published_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return EnterpriseUserFactory(email="owner@example.com")


@pytest.fixture
def need(owner):
    return published_need(enterprise_user=owner)


@pytest.fixture
def team():
    return build_valid_team(status="active")


@pytest.fixture
def captain(team):
    captain = team.members.get(role="captain").user
    captain.email = "captain@example.com"
    captain.save()
    return captain


def test_invitation_accept_start_complete_resolves_the_need(
    need, team, owner, captain, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        engagement = engagement_invite(need=need, team=team, by=owner, message="请贵队评估减振方案")
    assert Notification.objects.filter(user=captain, kind="invitation").exists()
    assert [m.to for m in mail.outbox] == [["captain@example.com"]]
    assert not engagement.contacts_visible

    engagement = engagement_accept(engagement=engagement, by=captain, scope="三个月内完成主轴动力学分析")
    assert engagement.contacts_visible
    need.refresh_from_db()
    assert need.status == "engaged" and need.engaged_at

    engagement = engagement_start(engagement=engagement, by=captain)
    engagement = engagement_complete(engagement=engagement, by=owner, rating=5, comment="效果明显")
    need.refresh_from_db()
    assert (engagement.status, engagement.rating, need.status) == ("completed", 5, "resolved")
    assert list(engagement.events.values_list("action", flat=True)) == [
        "invitation",
        "accept",
        "start",
        "complete",
    ]


def test_interest_is_accepted_by_the_enterprise_not_the_team(need, team, owner, captain):
    engagement = engagement_express_interest(
        need=need, team=team, by=captain, proposal="拟采用模态分析+动平衡"
    )
    with pytest.raises(MatchingError) as exc:
        engagement_accept(engagement=engagement, by=captain, scope="x")
    assert exc.value.code == "forbidden"
    assert engagement_accept(engagement=engagement, by=owner, scope="先做诊断").status == "agreed"


def test_a_team_cannot_have_two_open_engagements_on_one_need(need, team, owner, captain):
    engagement_invite(need=need, team=team, by=owner)
    with pytest.raises(MatchingError) as exc:
        engagement_express_interest(need=need, team=team, by=captain, proposal="再次揭榜")
    assert exc.value.code == "duplicate"


def test_after_a_decline_the_team_may_be_invited_again(need, team, owner, captain):
    first = engagement_invite(need=need, team=team, by=owner)
    engagement_decline(engagement=first, by=captain, reason="当前任务已满")
    second = engagement_invite(need=need, team=team, by=owner)
    assert second.pk != first.pk


def test_a_need_may_have_several_engagements(need, owner):
    a, b = (
        build_valid_team(status="active", name_suffix="甲"),
        build_valid_team(status="active", name_suffix="乙"),
    )
    engagement_invite(need=need, team=a, by=owner)
    engagement_invite(need=need, team=b, by=owner)
    assert need.engagements.count() == 2


@pytest.mark.parametrize("who", ["other_enterprise", "team_member_not_manager", "other_team_captain"])
def test_strangers_can_do_nothing(need, team, owner, who):
    engagement = engagement_invite(need=need, team=team, by=owner)
    strangers = {
        "other_enterprise": EnterpriseUserFactory,
        "team_member_not_manager": lambda: _plain_member(team),
        "other_team_captain": lambda: (
            build_valid_team(status="active", name_suffix="丙").members.get(role="captain").user
        ),
    }
    user = strangers[who]()
    for action in (
        lambda: engagement_accept(engagement=engagement, by=user, scope="x"),
        lambda: engagement_cancel(engagement=engagement, by=user, reason="x"),
        lambda: engagement_complete(engagement=engagement, by=user, rating=5),
    ):
        with pytest.raises(MatchingError):
            action()
    engagement.refresh_from_db()
    assert engagement.status == "proposed"


def _plain_member(team):
    user = TeamMemberUserFactory(college=team.college)
    team.members.filter(role="core").update(user=user)
    return user


def test_only_published_needs_and_serving_teams(owner, team):
    from demand.services import need_create

    draft = need_create(
        by=owner,
        title="草稿需求标题",
        description="尚未提交审核的需求描述文字。",
        service_types=["rd"],
        industry="3553",
    )
    with pytest.raises(MatchingError):
        engagement_invite(need=draft, team=team, by=owner)
    idle = build_valid_team(status="draft", name_suffix="丁")
    need = published_need(enterprise_user=owner, title="另一个需求标题")
    with pytest.raises(MatchingError):
        engagement_invite(need=need, team=idle, by=owner)


@pytest.mark.parametrize("rating", [0, 6, "5", True, None])
def test_a_rating_outside_1_to_5_is_refused(need, team, owner, captain, rating):
    engagement = engagement_accept(
        engagement=engagement_invite(need=need, team=team, by=owner), by=captain, scope="x"
    )
    with pytest.raises(MatchingError):
        engagement_complete(engagement=engagement, by=owner, rating=rating)


def test_a_record_written_against_an_engagement_is_prefilled(need, team, owner, captain):
    engagement = engagement_accept(
        engagement=engagement_invite(need=need, team=team, by=owner), by=captain, scope="主轴减振"
    )
    defaults = engagement_record_defaults(engagement)
    assert defaults["served_enterprise"] == need.enterprise
    assert need.title in defaults["title"] and defaults["description"] == "主轴减振"
