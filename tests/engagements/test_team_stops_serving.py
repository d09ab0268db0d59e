"""A team that is dissolved (or archived) leaves nothing open: its engagements are cancelled and its
waiting assignments withdrawn, with the reason, and the enterprise and the operator are told."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Notification
from engagements.assignments import assignment_create
from engagements.models import Assignment, Engagement
from engagements.services import engagement_invite
from teams.services import team_transition
from tests.factories import EnterpriseUserFactory, StoAdminFactory, build_valid_team, published_need

pytestmark = pytest.mark.django_db


def test_dissolving_a_team_closes_its_engagements_and_assignments(django_capture_on_commit_callbacks):
    team = build_valid_team(status="active")
    office = StoAdminFactory(university=team.college.university)
    owner = EnterpriseUserFactory()
    need = published_need(enterprise_user=owner, title="包缝机断针分析")
    other_need = published_need(enterprise_user=owner, title="平缝机降噪")
    engagement = engagement_invite(need=need, team=team, by=owner, message="请来看看")
    assignment = assignment_create(
        need=other_need, team=team, by=office, deadline=timezone.now() + timedelta(days=3)
    )

    with django_capture_on_commit_callbacks(execute=True):
        team_transition(team=team, action="dissolve", by=office, comment="成员调离，无法继续服务")

    engagement.refresh_from_db()
    assignment.refresh_from_db()
    assert engagement.status == Engagement.Status.CANCELLED
    assert "成员调离" in engagement.end_reason
    assert engagement.events.filter(action="team_stopped").exists()
    assert assignment.status == Assignment.Status.WITHDRAWN and "成员调离" in assignment.reason
    assert Notification.objects.filter(user=owner, title__contains="包缝机断针分析").exists()
    assert Notification.objects.filter(user=office, title__contains="小分队已停止服务").exists()


def test_a_team_dissolved_during_the_year_is_assessed_on_its_records_of_that_year():
    import datetime as dt

    from scoring.assessment import assessed_teams, assessment_open
    from teams.models import ServiceRecord
    from teams.records import record_create

    team = build_valid_team(status="active")
    office = StoAdminFactory(university=team.college.university)
    captain = team.members.get(role="captain").user
    record = record_create(
        team=team, by=captain, record_type="service_visit", date=dt.date(2026, 3, 2),
        title="走访", served_organisation="某公司", description="调研",
    )  # fmt: skip
    ServiceRecord.objects.filter(pk=record.pk).update(status="approved")
    team_transition(team=team, action="dissolve", by=office, comment="撤销")
    assert team in assessed_teams(assessment_open(by=office, year=2026))
    assert team not in assessed_teams(assessment_open(by=office, year=2027))
