"""A need solved from its page (问题已解决) leaves nothing waiting: invitations and 揭榜 still only
proposed are cancelled with the reason, waiting assignments withdrawn, and the teams told; an engagement
already at work goes on. Completing one engagement "resolves" the need even while another team's
invitation is still unanswered."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from engagements.models import Engagement
from engagements.services import (
    engagement_accept,
    engagement_complete,
    engagement_invite,
    engagement_start,
)
from tests.factories import EnterpriseUserFactory, build_valid_team, published_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_invited(django_capture_on_commit_callbacks):
    owner = EnterpriseUserFactory()
    need = published_need(enterprise_user=owner)
    first = build_valid_team(status="active", name_suffix="甲")
    second = build_valid_team(status="active", name_suffix="乙")
    with django_capture_on_commit_callbacks(execute=True):
        working = engagement_invite(need=need, team=first, by=owner, message="请评估")
        waiting = engagement_invite(need=need, team=second, by=owner, message="请评估")
    return owner, need, first, second, working, waiting


def test_the_enterprise_marks_the_need_solved_on_its_page(
    client, two_invited, django_capture_on_commit_callbacks
):
    owner, need, first, second, working, waiting = two_invited
    captain = first.members.get(role="captain").user
    engagement_accept(engagement=working, by=captain, scope="先做诊断")
    client.force_login(owner)
    page = client.get(reverse("demand:detail", args=[need.pk])).content.decode()
    assert "问题已解决" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("demand:resolve", args=[need.pk]), follow=True)
    assert "需求已标记为已解决" in response.content.decode()
    need.refresh_from_db()
    waiting.refresh_from_db()
    working.refresh_from_db()
    assert need.status == "resolved"
    assert (waiting.status, waiting.end_reason) == ("cancelled", "需求已解决")
    assert working.status == "agreed"  # already at work: goes on
    assert waiting.events.last().action == "need_withdrawn"
    second_captain = second.members.get(role="captain").user
    assert Notification.objects.filter(user=second_captain, title__contains="已取消").exists()
    # Once solved there is no button, and another user cannot do it.
    assert "问题已解决</button>" not in client.get(reverse("demand:detail", args=[need.pk])).content.decode()


def test_completing_one_engagement_resolves_despite_an_unanswered_invitation(
    two_invited, django_capture_on_commit_callbacks
):
    owner, need, first, second, working, waiting = two_invited
    captain = first.members.get(role="captain").user
    engagement_accept(engagement=working, by=captain, scope="先做诊断")
    engagement_start(engagement=working, by=captain)
    with django_capture_on_commit_callbacks(execute=True):
        engagement_complete(engagement=working, by=owner, rating=5, comment="解决了")
    need.refresh_from_db()
    assert need.status == "resolved"
    assert Engagement.objects.get(pk=waiting.pk).status == "cancelled"


def test_a_stranger_cannot_mark_a_need_solved(client, two_invited):
    _owner, need, *_ = two_invited
    client.force_login(EnterpriseUserFactory())
    assert client.post(reverse("demand:resolve", args=[need.pk])).status_code in {403, 404}
    need.refresh_from_db()
    assert need.status == "published"


def test_a_waiting_assignment_is_withdrawn_when_the_need_is_closed(django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from demand.services import need_close
    from engagements.assignments import assignment_create
    from tests.factories import StoAdminFactory

    owner = EnterpriseUserFactory()
    need = published_need(enterprise_user=owner)
    team = build_valid_team(status="active", name_suffix="丙")
    office = StoAdminFactory(university=team.college.university)
    assignment = assignment_create(
        need=need, team=team, by=office, deadline=timezone.now() + timedelta(days=3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        need_close(need=need, by=owner, reason="企业已自行解决")
    assignment.refresh_from_db()
    assert (assignment.status, assignment.reason) == ("withdrawn", "需求已关闭")
    captain = team.members.get(role="captain").user
    assert Notification.objects.filter(user=captain, title__startswith="指派已撤回（需求已关闭）").exists()


def test_an_assignment_is_answered_when_the_team_agrees_on_the_need_another_way():
    from datetime import timedelta

    from django.utils import timezone

    from engagements.assignments import assignment_create
    from engagements.models import Assignment
    from tests.factories import StoAdminFactory

    owner = EnterpriseUserFactory()
    need = published_need(enterprise_user=owner)
    team = build_valid_team(status="active", name_suffix="丁")
    office = StoAdminFactory(university=team.college.university)
    assignment = assignment_create(
        need=need, team=team, by=office, deadline=timezone.now() + timedelta(days=3)
    )
    engagement = engagement_invite(need=need, team=team, by=owner, message="请评估")
    assert engagement.events.get().transition_label == "待确认"  # not "待确认 → 待确认"
    engagement_accept(engagement=engagement, by=team.members.get(role="captain").user, scope="诊断")
    assignment.refresh_from_db()
    assert (assignment.status, assignment.engagement_id) == (Assignment.Status.ACCEPTED, engagement.pk)
