"""快速反馈 (guideline 9): decisions reach the people they affect; rectifications are reminded before
their deadline and reported to the college after it, each once."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Notification
from teams.feedback import rectification_reminders
from teams.models import Rectification
from teams.services import rectification_open, team_transition
from tests.factories import CollegeAdminFactory, StoAdminFactory, build_valid_team

pytestmark = pytest.mark.django_db


def test_a_review_decision_reaches_the_captain_and_a_submission_the_college():
    team = build_valid_team(status="draft")
    captain = team.members.get(role="captain").user
    reviewer = CollegeAdminFactory(college=team.college)
    team_transition(team=team, action="submit", by=captain)
    assert Notification.objects.filter(user=reviewer, title__contains="待学院审核").exists()
    team_transition(team=team, action="college_return", by=reviewer, comment="请补充企业成员")
    note = Notification.objects.get(user=captain, title__contains="学院退回修改")
    assert "请补充企业成员" in note.body and note.link == f"/teams/{team.pk}/"


def test_a_rectification_is_reminded_once_and_reported_once_when_overdue():
    team = build_valid_team(status="active")
    office = StoAdminFactory(university=team.college.university)
    college = CollegeAdminFactory(college=team.college)
    captain = team.members.get(role="captain").user
    today = timezone.localdate()
    rectification = rectification_open(
        team=team, by=office, reason="服务记录不实", measure="补齐佐证", responsible="赵小明", deadline=today
    )
    assert Notification.objects.filter(user=captain, title__contains="责令整改").exists()

    assert rectification_reminders(today=today - dt.timedelta(days=3)) == {"reminded": 1, "escalated": 0}
    assert rectification_reminders(today=today - dt.timedelta(days=2)) == {"reminded": 0, "escalated": 0}
    assert Notification.objects.filter(user=captain, title__contains="整改将于").count() == 1

    assert rectification_reminders(today=today + dt.timedelta(days=1)) == {"reminded": 0, "escalated": 1}
    assert rectification_reminders(today=today + dt.timedelta(days=2)) == {"reminded": 0, "escalated": 0}
    assert Notification.objects.filter(user=college, title__contains="整改已逾期").count() == 1
    rectification.refresh_from_db()
    assert rectification.status == Rectification.Status.OPEN and rectification.escalated_at is not None
