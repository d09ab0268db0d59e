"""The college's record queue in a real Chromium: the reviewer narrows it to one team's year, approves a
record there and stays on the narrowed queue."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from teams.evidence import evidence_add
from teams.models import ServiceRecord, Team
from tests.browser.conftest import screenshot, sign_in
from tests.factories import CollegeAdminFactory, CollegeFactory, TeamMemberUserFactory, build_valid_team
from tests.teams.test_records import PDF, make_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submitted(team, by, title, day, record_type="service_visit"):
    record = make_record(team, by, title=title, date=day, record_type=record_type)
    evidence_add(record=record, by=by, upload=SimpleUploadedFile("签到表.pdf", PDF))
    ServiceRecord.objects.filter(pk=record.pk).update(status=ServiceRecord.Status.SUBMITTED)
    return record


def test_the_college_reviewer_filters_the_record_queue(page, live_server, settings, tmp_path):
    # given two active teams of one college with records of two years waiting for review
    settings.MEDIA_ROOT = tmp_path
    college = CollegeFactory(name="智能制造学院")
    zhao = TeamMemberUserFactory(username="zhaoxm", college=college, real_name="赵小明", title="教授")
    qian = TeamMemberUserFactory(username="qianduo", college=college, real_name="钱多", title="教授")
    team = build_valid_team(college=college, captain_user=zhao, status=Team.Status.ACTIVE)
    other = build_valid_team(
        college=college, name_suffix="缝纫机", captain_user=qian, status=Team.Status.ACTIVE
    )
    old = submitted(team, zhao, "二〇二五年的走访", date(2025, 3, 1))
    training = submitted(team, zhao, "二〇二六年的培训", date(2026, 4, 2), "training")
    submitted(other, qian, "另一队的走访", date(2026, 5, 3))
    CollegeAdminFactory(username="college", college=college)

    # when the reviewer picks one team and a year
    sign_in(page, live_server.url, "college", "pass12345")
    page.wait_for_url("**/accounts/workspace/")
    page.goto(f"{live_server.url}/teams/review/college/")
    queue = page.locator("#record-queue")
    expect(queue.locator(".queue-item")).to_have_count(3)
    filters = page.locator("#record-filters")
    filters.get_by_label("小分队").select_option(label=team.name)
    filters.get_by_label("年度").fill("2026")
    filters.get_by_role("button", name="筛选").click()

    # then only that team's record of that year is left, and the count says so
    expect(queue.locator(".queue-item")).to_have_count(1)
    expect(queue.locator("h2")).to_contain_text("符合条件 1 / 共 3")
    screenshot(page, "record-review-filtered")

    # and approving it keeps the reviewer on the narrowed queue
    queue.locator(f".queue-item[data-record='{training.pk}'] button[data-action=approve]").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(queue).to_contain_text("没有符合条件的待审核记录")
    expect(filters.get_by_label("年度")).to_have_value("2026")
    training.refresh_from_db()
    assert training.status == ServiceRecord.Status.APPROVED

    # and clearing the team and the year brings back the rest of the queue
    filters.get_by_label("年度").fill("")
    filters.get_by_label("小分队").select_option(label="全部小分队")
    filters.get_by_role("button", name="筛选").click()
    expect(queue.locator(".queue-item")).to_have_count(2)
    expect(queue.locator(f".queue-item[data-record='{old.pk}']")).to_be_visible()
