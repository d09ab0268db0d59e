"""Guideline 9 (快速反馈): every decision on a record reaches its author and the team's managers."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Notification
from teams.evidence import evidence_add
from teams.records import record_spot_check, record_transition
from tests.factories import CollegeAdminFactory, StoAdminFactory, build_valid_team
from tests.teams.test_records import PDF, make_record

pytestmark = pytest.mark.django_db


def test_approval_and_an_upheld_spot_check_are_told_like_a_return():
    team = build_valid_team(status="active")
    captain = team.members.get(role="captain").user
    record = make_record(team, captain, title="赴企业走访", date=dt.date(2026, 3, 1))
    evidence_add(record=record, by=captain, upload=SimpleUploadedFile("签到表.pdf", PDF))
    record_transition(record=record, action="submit", by=captain)
    record_transition(record=record, action="approve", by=CollegeAdminFactory(college=team.college))
    record_spot_check(record=record, upheld=True, by=StoAdminFactory(university=team.college.university))
    titles = list(Notification.objects.filter(user=captain).order_by("id").values_list("title", flat=True))
    assert titles == ["服务记录已通过学院审核", "服务记录抽查通过"]


def test_an_approved_records_edit_page_says_at_once_that_it_cannot_be_changed(client):
    from django.urls import reverse

    from teams.models import ServiceRecord

    team = build_valid_team(status="active")
    captain = team.members.get(role="captain").user
    record = make_record(team, captain, title="已通过的走访", date=dt.date(2026, 3, 1))
    ServiceRecord.objects.filter(pk=record.pk).update(status="approved")
    client.force_login(captain)
    response = client.get(reverse("teams:record_edit", args=[record.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("teams:record_detail", args=[record.pk])
    assert "不能修改" in response.content.decode()
