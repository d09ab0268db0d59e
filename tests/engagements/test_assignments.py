"""指派: an operator assigns a published need to a team; the team's handler or captain accepts (an
engagement opens for the enterprise to confirm: a 指派 binds the team, never the enterprise) or declines
with a reason; unanswered past the deadline it escalates back to the
operator. Who may do each step, and who may not."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, Role
from engagements.assignment_selectors import assignment_candidates, team_assignment_stats
from engagements.assignments import (
    assignment_accept,
    assignment_create,
    assignment_decline,
    assignment_withdraw,
    assignments_escalate_overdue,
)
from engagements.models import Assignment, Engagement
from engagements.tasks import escalate_assignments_task
from matching.errors import MatchingError
from matching.models import Recommendation
from teams.errors import TeamsError
from teams.models import Member, MemberRole
from teams.services import team_assignment_handler_set
from tests.factories import (
    CollegeAdminFactory,
    EnterpriseUserFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    UserFactory,
    build_valid_team,
    published_need,
)

pytestmark = pytest.mark.django_db


def in_days(days: float):
    return timezone.now() + timedelta(days=days)


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
    return team.members.get(role="captain").user


@pytest.fixture
def office(team):
    """The S&T office of the team's university."""
    return StoAdminFactory(university=team.college.university, email="office@example.com")


@pytest.fixture
def handler(team, captain):
    """A core member with an account, named by the captain to handle assignments."""
    user = TeamMemberUserFactory(college=team.college, real_name="孙对接")
    member = Member.objects.create(
        team=team, user=user, name=user.real_name, role=MemberRole.CORE, title="讲师"
    )
    team_assignment_handler_set(team=team, member=member, by=captain)
    return user


def _deputy_user(team):
    deputy = team.members.get(role="deputy")
    deputy.user = TeamMemberUserFactory(college=team.college)
    deputy.save()
    return deputy.user


# --------------------------------------------------------------------------------------------- assign


def test_office_assigns_and_the_handler_is_told(need, team, office, handler, captain):
    assignment = assignment_create(need=need, team=team, by=office, deadline=in_days(3), message="企业急需")
    assert (assignment.status, assignment.assigned_by) == ("pending", office)
    note = Notification.objects.get(user=handler, kind="assignment")
    assert need.title in note.title and note.link == f"/matching/assignments/{assignment.pk}/"
    assert Notification.objects.filter(user=captain, kind="assignment").exists()


def test_platform_admin_may_assign_any_serving_team(need, team):
    admin = UserFactory(role=Role.PLATFORM_ADMIN)
    assert assignment_create(need=need, team=team, by=admin, deadline=in_days(1)).pk


@pytest.mark.parametrize("who", ["other_office", "college_admin", "enterprise", "captain"])
def test_others_may_not_assign(need, team, captain, owner, who):
    user = {
        "other_office": lambda: StoAdminFactory(),
        "college_admin": lambda: CollegeAdminFactory(college=team.college),
        "enterprise": lambda: owner,
        "captain": lambda: captain,
    }[who]()
    with pytest.raises(MatchingError) as exc:
        assignment_create(need=need, team=team, by=user, deadline=in_days(3))
    assert exc.value.code == "forbidden"
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("deadline", "message"),
    [(-1, "至少应在 1 小时之后"), (0.01, "至少应在 1 小时之后"), (31, "不能超过 30 天"), (None, "至少应在")],
)
def test_deadline_must_be_sensible(need, team, office, deadline, message):
    with pytest.raises(MatchingError) as exc:
        assignment_create(
            need=need, team=team, by=office, deadline=None if deadline is None else in_days(deadline)
        )
    assert message in exc.value.message
    assert not Assignment.objects.exists()


def test_one_waiting_assignment_per_team_and_need(need, team, office, captain):
    first = assignment_create(need=need, team=team, by=office, deadline=in_days(3))
    with pytest.raises(MatchingError) as exc:
        assignment_create(need=need, team=team, by=office, deadline=in_days(3))
    assert exc.value.code == "duplicate"
    assignment_decline(assignment=first, by=captain, reason="本月任务已满")
    assert assignment_create(need=need, team=team, by=office, deadline=in_days(3)).pk != first.pk


def test_a_closed_need_or_a_team_not_serving_cannot_be_assigned(need, team, office, owner):
    draft_team = build_valid_team(college=team.college, status="draft", name_suffix="草稿")
    with pytest.raises(MatchingError) as exc:
        assignment_create(need=need, team=draft_team, by=office, deadline=in_days(3))
    assert exc.value.code == "wrong_state"
    from demand.services import need_close

    need_close(need=need, by=owner, reason="已自行解决")
    with pytest.raises(MatchingError) as exc:
        assignment_create(need=need, team=team, by=office, deadline=in_days(3))
    assert exc.value.code == "wrong_state"


# -------------------------------------------------------------------------------------------- respond


def test_handler_accepts_and_the_enterprise_confirms_the_engagement(need, team, office, handler, owner):
    from engagements.services import engagement_accept

    assignment = assignment_create(need=need, team=team, by=office, deadline=in_days(3))
    assignment = assignment_accept(assignment=assignment, by=handler, scope="两周内到厂测振并给出方案")
    engagement = assignment.engagement
    assert (assignment.status, assignment.responded_by) == ("accepted", handler)
    assert assignment.responded_at is not None
    # The enterprise agreed to nothing yet: no contacts, the need not engaged, the enterprise asked.
    assert (engagement.origin, engagement.status, engagement.team_id) == ("assignment", "proposed", team.pk)
    assert not engagement.contacts_visible and engagement.scope.startswith("两周内")
    need.refresh_from_db()
    assert need.status == "published"
    assert Notification.objects.filter(user=office, kind="assignment", title__contains="已接受").exists()
    assert Notification.objects.filter(user=owner, kind="assignment", title__contains="请确认对接").exists()
    with pytest.raises(MatchingError):  # the team cannot confirm for the enterprise
        engagement_accept(engagement=engagement, by=handler, scope="x")
    engagement = engagement_accept(engagement=engagement, by=owner, scope=engagement.scope)
    need.refresh_from_db()
    assert (engagement.status, need.status) == ("agreed", "engaged") and engagement.contacts_visible
    assert list(engagement.events.values_list("action", flat=True)) == ["assignment", "accept"]


def test_captain_may_respond_even_with_a_handler_named(need, team, office, handler, captain):
    assignment = assignment_create(need=need, team=team, by=office, deadline=in_days(3))
    assert assignment_decline(assignment=assignment, by=captain, reason="设备不匹配").status == "declined"


@pytest.mark.parametrize("who", ["deputy", "plain_member", "other_captain", "office", "enterprise"])
def test_others_may_not_respond(need, team, office, owner, who):
    assignment = assignment_create(need=need, team=team, by=office, deadline=in_days(3))
    user = {
        "deputy": lambda: _deputy_user(team),
        "plain_member": lambda: _plain_member(team),
        "other_captain": lambda: (
            build_valid_team(status="active", name_suffix="丙").members.get(role="captain").user
        ),
        "office": lambda: office,
        "enterprise": lambda: owner,
    }[who]()
    for respond in (
        lambda: assignment_accept(assignment=assignment, by=user, scope="接受"),
        lambda: assignment_decline(assignment=assignment, by=user, reason="不接"),
    ):
        with pytest.raises(MatchingError) as exc:
            respond()
        assert exc.value.code == "forbidden"
    assignment.refresh_from_db()
    assert assignment.status == "pending" and not Engagement.objects.exists()


def _plain_member(team):
    user = TeamMemberUserFactory(college=team.college)
    Member.objects.create(team=team, user=user, name="郑四", role=MemberRole.CORE, title="讲师")
    return user


def test_decline_needs_a_reason_and_changes_nothing_without(need, team, office, captain):
    assignment = assignment_create(need=need, team=team, by=office, deadline=in_days(3))
    with pytest.raises(MatchingError) as exc:
        assignment_decline(assignment=assignment, by=captain, reason="  ")
    assert exc.value.message == "请填写原因。"
    assignment.refresh_from_db()
    assert assignment.status == "pending" and assignment.responded_at is None
    declined = assignment_decline(assignment=assignment, by=captain, reason="本月任务已满")
    assert (declined.status, declined.reason) == ("declined", "本月任务已满")
    assert Notification.objects.filter(user=office, body="本月任务已满").exists()


def test_accept_without_scope_changes_nothing(need, team, office, captain):
    assignment = assignment_create(need=need, team=team, by=office, deadline=in_days(3))
    with pytest.raises(MatchingError):
        assignment_accept(assignment=assignment, by=captain, scope="")
    assignment.refresh_from_db()
    assert assignment.status == "pending" and not Engagement.objects.exists()


def test_a_decided_assignment_cannot_be_answered_again(need, team, office, captain):
    assignment = assignment_create(need=need, team=team, by=office, deadline=in_days(3))
    assignment_accept(assignment=assignment, by=captain, scope="到厂调研")
    with pytest.raises(MatchingError) as exc:
        assignment_decline(assignment=assignment, by=captain, reason="改变主意")
    assert exc.value.code == "wrong_state"


def test_withdraw_is_the_operators(need, team, office, captain):
    assignment = assignment_create(need=need, team=team, by=office, deadline=in_days(3))
    with pytest.raises(MatchingError) as exc:
        assignment_withdraw(assignment=assignment, by=captain, reason="x")
    assert exc.value.code == "forbidden"
    assert (
        assignment_withdraw(assignment=assignment, by=office, reason="企业已自行解决").status == "withdrawn"
    )


# ------------------------------------------------------------------------------------------- escalate


def test_overdue_assignments_escalate_to_the_operator_once(need, team, office, captain):
    late = assignment_create(need=need, team=team, by=office, deadline=in_days(1))
    other = build_valid_team(college=team.college, status="active", name_suffix="乙")
    on_time = assignment_create(need=need, team=other, by=office, deadline=in_days(2))
    # A day and a half later: the first deadline has passed, the second not yet.
    later = timezone.now() + timedelta(days=1.5)
    assert assignments_escalate_overdue(now=later) == 1
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert (late.status, on_time.status) == ("escalated", "pending")
    assert late.escalated_at == later
    notes = Notification.objects.filter(user=office, kind="assignment_escalated")
    assert notes.count() == 1 and team.name in notes.get().title
    assert assignments_escalate_overdue(now=later) == 0  # idempotent
    assert notes.count() == 1


def test_the_periodic_task_escalates_and_is_scheduled(need, team, office):
    assignment = assignment_create(need=need, team=team, by=office, deadline=in_days(1))
    Assignment.objects.filter(pk=assignment.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    assert escalate_assignments_task.delay().get(timeout=30) == 1
    assignment.refresh_from_db()
    assert assignment.status == "escalated"
    schedule = [v["task"] for v in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "matching.escalate_assignments" in schedule


def test_after_the_deadline_the_team_can_no_longer_answer(need, team, office, captain):
    assignment = assignment_create(need=need, team=team, by=office, deadline=in_days(1))
    Assignment.objects.filter(pk=assignment.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(MatchingError) as exc:
        assignment_accept(assignment=assignment, by=captain, scope="到厂调研")
    assert exc.value.code == "wrong_state" and "已超过响应期限" in exc.value.message
    assert not Engagement.objects.exists()


def test_escalation_without_an_active_assigner_goes_to_platform_admins(need, team, office):
    admin = UserFactory(role=Role.PLATFORM_ADMIN)
    assignment = assignment_create(need=need, team=team, by=office, deadline=in_days(1))
    office.is_active = False
    office.save()
    assignments_escalate_overdue(now=in_days(2))
    assert Notification.objects.filter(user=admin, kind="assignment_escalated").exists()
    assignment.refresh_from_db()
    assert assignment.status == "escalated"


# -------------------------------------------------------------------------------------- the handler


def test_handler_must_be_a_teacher_of_the_team_with_an_account(team, captain):
    other = build_valid_team(status="active", name_suffix="丁")
    no_account = team.members.get(role="deputy")
    student = Member.objects.create(
        team=team, user=TeamMemberUserFactory(college=team.college), name="学生甲", role=MemberRole.DYNAMIC
    )
    for member, text in [
        (other.members.get(role="captain"), "必须是本小分队成员"),
        (no_account, "尚未关联平台账号"),
        (student, "应为队长、副队长或核心成员"),
    ]:
        with pytest.raises(TeamsError) as exc:
            team_assignment_handler_set(team=team, member=member, by=captain)
        assert text in exc.value.message
    team.refresh_from_db()
    assert team.assignment_handler_id is None


def test_only_managers_name_the_handler(team):
    member_user = _plain_member(team)
    with pytest.raises(TeamsError) as exc:
        team_assignment_handler_set(team=team, member=None, by=member_user)
    assert exc.value.code == "forbidden"


# -------------------------------------------------------------------------------------------- figures


def test_stats_count_by_status_and_take_the_median_response_time(need, team, office, captain):
    needs = [need] + [published_need(title=f"缝纫设备需求{i}") for i in range(3)]
    made = [assignment_create(need=n, team=team, by=office, deadline=in_days(3)) for n in needs]
    base = timezone.now()
    for assignment, hours in zip(made[:3], [1, 5, 30], strict=True):
        Assignment.objects.filter(pk=assignment.pk).update(created_at=base - timedelta(hours=hours))
        assignment.refresh_from_db()
        assignment_decline(assignment=assignment, by=captain, reason="任务已满")
    stats = team_assignment_stats(team)
    assert (stats.total, stats.declined, stats.pending) == (4, 3, 1)
    assert stats.median_response_hours == pytest.approx(5, abs=0.05)


# ---------------------------------------------------------------------------------------------- pages

EXPLANATION = {
    "total": 0.8,
    "contributions": {"dense": 0.4, "lexical": 0.2, "industry": 0.2},
    "reasons": ["行业相同：缝制机械制造"],
    "matched_keywords": ["平缝机"],
}


def test_assign_page_shows_ranking_with_reasons_and_load(client, need, team, office, captain):
    second = build_valid_team(college=team.college, status="active", name_suffix="第二")
    elsewhere = build_valid_team(status="active", name_suffix="外校")  # another university's team
    Recommendation.objects.create(
        need=need, team=second, rank=1, score=0.8, explanation=EXPLANATION, model_version="t"
    )
    Recommendation.objects.create(
        need=need, team=elsewhere, rank=2, score=0.7, explanation={}, model_version="t"
    )
    assignment_create(need=published_need(title="另一需求"), team=team, by=office, deadline=in_days(2))
    client.force_login(office)
    response = client.get(reverse("engagements:assign", args=[need.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "行业相同：缝制机械制造" in html and "平缝机" in html
    assert elsewhere.name not in html  # the office assigns only its university's teams
    assert html.index(second.name) < html.index(team.name)  # ranked first, then the unranked
    candidates = {c.team.pk: c for c in assignment_candidates(office, need)}
    assert (candidates[team.pk].pending_assignments, candidates[second.pk].rank) == (1, 1)
    assert "待响应指派 1" in html


def test_assign_page_posts_and_refuses_bad_input_in_chinese(client, need, team, office):
    client.force_login(office)
    url = reverse("engagements:assign", args=[need.pk])
    response = client.post(url, {"team": team.pk, "deadline": "明天", "message": ""})
    assert response.status_code == 400 and "响应期限格式" in response.content.decode()
    past = timezone.localtime(in_days(-1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"team": team.pk, "deadline": past})
    assert response.status_code == 400 and "至少应在 1 小时之后" in response.content.decode()
    assert not Assignment.objects.exists()
    deadline = timezone.localtime(in_days(2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"team": team.pk, "deadline": deadline, "message": "请尽快联系"})
    assignment = Assignment.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "engagements:assignment", args=[assignment.pk]
    )


def test_assign_page_is_closed_to_teams_and_enterprises(client, need, captain, owner):
    for user in (captain, owner):
        client.force_login(user)
        assert client.get(reverse("engagements:assign", args=[need.pk])).status_code == 403


def test_inbox_detail_and_accept_through_the_pages(client, need, team, office, handler):
    assignment = assignment_create(need=need, team=team, by=office, deadline=in_days(2))
    client.force_login(handler)
    inbox = client.get(reverse("engagements:assignments")).content.decode()
    assert need.title in inbox
    page = client.get(reverse("engagements:assignment", args=[assignment.pk])).content.decode()
    assert "接受指派" in page and "撤回" not in page
    url = reverse("engagements:assignment_action", args=[assignment.pk, "decline"])
    assert client.post(url, {"decline-reason": ""}).status_code == 400
    response = client.post(
        reverse("engagements:assignment_action", args=[assignment.pk, "accept"]), {"accept-scope": "到厂调研"}
    )
    assignment.refresh_from_db()
    assert response.status_code == 302 and response.url == reverse(
        "engagements:engagement", args=[assignment.engagement_id]
    )


def test_strangers_get_404_and_members_without_the_right_get_403(client, need, team, office):
    assignment = assignment_create(need=need, team=team, by=office, deadline=in_days(2))
    client.force_login(StoAdminFactory())
    assert client.get(reverse("engagements:assignment", args=[assignment.pk])).status_code == 404
    client.force_login(_plain_member(team))
    url = reverse("engagements:assignment_action", args=[assignment.pk, "accept"])
    assert client.post(url, {"accept-scope": "到厂调研"}).status_code == 403
    assignment.refresh_from_db()
    assert assignment.status == "pending"


def test_operator_sees_overdue_and_team_page_shows_figures(client, need, team, office, captain):
    assignment = assignment_create(need=need, team=team, by=office, deadline=in_days(2))
    Assignment.objects.filter(pk=assignment.pk).update(deadline=timezone.now() - timedelta(hours=1))
    client.force_login(office)
    overdue = client.get(reverse("engagements:assignments") + "?overdue=1").content.decode()
    assert need.title in overdue and "已超期" in overdue
    client.force_login(captain)
    page = client.get(reverse("teams:detail", args=[team.pk])).content.decode()
    assert 'data-testid="assignment-stats"' in page and "指派总数" in page
    response = client.post(reverse("teams:assignment_handler", args=[team.pk]), {"member": "999999"})
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.assignment_handler_id is None


def test_analytics_page_lists_figures_for_the_office_only(client, need, team, office, captain):
    from insights.assignment_stats import assignment_stats_for

    made = assignment_create(need=need, team=team, by=office, deadline=in_days(2))
    Assignment.objects.filter(pk=made.pk).update(created_at=timezone.now() - timedelta(hours=4))
    made.refresh_from_db()
    assignment_decline(assignment=made, by=captain, reason="任务已满")
    figures = assignment_stats_for(office)
    assert [(r.team.pk, r.stats.declined) for r in figures.rows] == [(team.pk, 1)]
    assert figures.total.median_response_hours == pytest.approx(4, abs=0.05)
    assert assignment_stats_for(StoAdminFactory()).rows == []  # another university sees nothing of it
    client.force_login(office)
    html = client.get(reverse("insights:assignment_stats")).content.decode()
    assert team.name in html and 'data-testid="stats-total"' in html
    client.force_login(captain)
    assert client.get(reverse("insights:assignment_stats")).status_code == 403


def test_the_hall_offers_operators_the_assign_form(client, need, office, owner):
    client.force_login(office)
    html = client.get(reverse("demand:hall")).content.decode()
    assert reverse("engagements:assign", args=[need.pk]) in html
    client.force_login(owner)
    assert 'data-testid="hall-assign"' not in client.get(reverse("demand:hall")).content.decode()
