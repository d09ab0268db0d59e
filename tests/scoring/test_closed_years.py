"""A year is closed by the spot-check draw (issue: 'a year is never closed'): the draw freezes the
year's record set, a record the college approves later cannot change that year's scores (it counts in
the next year, or its approval is refused, as the university set), and the archive signs the figures
that were fixed, not a live recomputation."""

import datetime as dt
from decimal import Decimal

import pytest

from core.api_errors import DOMAIN_STATUS
from scoring.archive import archive_data
from scoring.assessment import (
    assessment_open,
    carried_over,
    late_records,
    notice_begin,
    spot_population,
)
from scoring.models import Assessment
from teams.errors import TeamsError
from teams.models import ServiceRecord
from teams.records import record_create, record_transition
from tests.factories import CollegeAdminFactory, decide_all_checks, draw_both_strands
from tests.scoring.test_assessment import world  # noqa: F401 - two teams, five approved visits each

pytestmark = pytest.mark.django_db


def submitted_visit(team, day: dt.date, title: str) -> ServiceRecord:
    captain = team.members.get(role="captain").user
    record = record_create(
        team=team,
        by=captain,
        record_type="service_visit",
        date=day,
        title=title,
        served_organisation="某公司",
        description="现场调研",
    )
    ServiceRecord.objects.filter(pk=record.pk).update(status="submitted")
    return record


def draw_and_check_all(assessment, office):
    draw_both_strands(assessment, office, seed=3)
    decide_all_checks(assessment, office)


def test_a_record_approved_after_the_draw_is_not_scored_that_year_but_the_next(world):  # noqa: F811
    office, science, _humanities, _records = world
    late = submitted_visit(science, dt.date(2026, 11, 20), "名单确定后才审核的走访")
    assessment = assessment_open(by=office, year=2026, spot_share="0.2")
    draw_and_check_all(assessment, office)
    assessment.refresh_from_db()
    assert assessment.frozen_at is not None
    assert assessment.frozen_records.count() == 10  # the ten records approved before the draw

    college_admin = CollegeAdminFactory(college=science.college)
    record_transition(record=late, action="approve", by=college_admin)  # allowed: carried to 2027
    assert list(late_records(assessment)) == [late]

    assessment = notice_begin(assessment=assessment, by=office)
    result = assessment.results.get(team=science)
    assert result.score == Decimal("7.50")  # five visits × 1.5, not six
    assert late.pk not in {r["id"] for item in result.breakdown for r in item["records"]}

    following = assessment_open(by=office, year=2027, spot_share="0.2")
    assert carried_over(following) == [late.pk]
    assert late.pk in spot_population(following)["science"]


def test_the_university_may_refuse_approvals_after_the_draw(world):  # noqa: F811
    office, science, _humanities, _records = world
    late = submitted_visit(science, dt.date(2026, 11, 21), "逾期的走访")
    assessment = assessment_open(
        by=office, year=2026, spot_share="0.2", late_approvals=Assessment.LateApprovals.REFUSE
    )
    draw_and_check_all(assessment, office)
    college_admin = CollegeAdminFactory(college=science.college)
    with pytest.raises(TeamsError) as refused:
        record_transition(record=late, action="approve", by=college_admin)
    assert refused.value.code == "year_closed" and DOMAIN_STATUS["year_closed"] == 409
    assert "不再受理" in refused.value.message
    late.refresh_from_db()
    assert late.status == ServiceRecord.Status.SUBMITTED
    # A record of another year is approved as usual.
    other = submitted_visit(science, dt.date(2027, 1, 5), "新年度的走访")
    assert record_transition(record=other, action="approve", by=college_admin).status == "approved"


def test_the_archive_signs_the_fixed_figures_not_a_recomputation(world):  # noqa: F811
    office, science, _humanities, _records = world
    assessment = assessment_open(by=office, year=2026, spot_share="0.2")
    draw_and_check_all(assessment, office)
    assessment = notice_begin(assessment=assessment, by=office)
    fixed = assessment.results.get(team=science)

    late = submitted_visit(science, dt.date(2026, 12, 1), "公示后才审核的走访")
    record_transition(record=late, action="approve", by=CollegeAdminFactory(college=science.college))

    data = archive_data(science, 2026)
    assert data.total == fixed.score == Decimal("7.50")
    visits_row = next(row for row in data.rows if row.number == 1)
    assert "公示后才审核的走访" not in visits_row.detail
    assert visits_row.score == Decimal("7.50")


def test_the_office_sees_the_closed_set_and_the_late_records_on_the_page(world, client):  # noqa: F811
    office, science, _humanities, _records = world
    late = submitted_visit(science, dt.date(2026, 11, 22), "抽查后才通过的走访")
    assessment = assessment_open(by=office, year=2026, spot_share="0.2")
    draw_both_strands(assessment, office, seed=3)
    record_transition(record=late, action="approve", by=CollegeAdminFactory(college=science.college))
    client.force_login(office)
    page = client.get(f"/assessment/{assessment.pk}/").content.decode()
    assert "随抽查确定，共 10 条" in page
    assert "名单确定后审核通过的记录（1，不计入本年度）" in page and "抽查后才通过的走访" in page
    assert "计入下一年度考核" in page and "本校设置" in page


def test_the_setting_is_taken_and_checked_by_the_api(world, client):  # noqa: F811
    office, *_ = world
    client.force_login(office)
    bad = client.post(
        "/api/v1/assessments/", {"year": 2026, "late_approvals": "later"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "late_approvals" in bad.json()["error"]["fields"]
    assert not Assessment.objects.exists()
    made = client.post(
        "/api/v1/assessments/",
        {"year": 2026, "spot_share": "0.2", "grade_mode": "threshold", "excellent_threshold": "60",
         "pass_threshold": "20", "excellent_quota": "0.15", "notice_days": 5, "late_approvals": "refuse"},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201, made.content
    assert made.json()["late_approvals"] == "refuse" and made.json()["frozen_at"] is None


def test_publication_tells_each_team_and_puts_a_failing_team_under_rectification(world):  # noqa: F811
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Notification
    from scoring.assessment import assessment_publish

    office, science, humanities, records = world
    # Science loses a visit at the spot check: 6.00 < the pass line of 7, humanities keeps 7.50.
    assessment = assessment_open(
        by=office, year=2026, spot_share="1", pass_threshold="7", excellent_threshold="9"
    )
    draw_both_strands(assessment, office, seed=3)
    decide_all_checks(assessment, office, rejected=[records[science.pk][0].pk])
    start = timezone.now()
    assessment = notice_begin(assessment=assessment, by=office, now=start)
    assessment_publish(assessment=assessment, by=office, now=start + timedelta(days=6))

    science.refresh_from_db()
    humanities.refresh_from_db()
    assert (science.status, humanities.status) == ("rectifying", "active")
    rectification = science.rectifications.get()
    assert "2026 年度考核不合格（6.00 分）" in rectification.reason
    published = timezone.localtime(start + timedelta(days=6)).date()
    assert rectification.deadline == published + timedelta(days=assessment.rectification_days)
    for team, grade in ((science, "不合格"), (humanities, "合格")):
        captain = team.members.get(role="captain").user
        assert Notification.objects.filter(
            user=captain, title__startswith=f"2026 年度考核结果：{grade}"
        ).exists()
