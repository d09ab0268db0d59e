"""The annual assessment's new pages in a real Chromium: each research office draws and decides its own
strand on the assessment page, the public notice lists the material behind each score and gives the
公示 list as a PDF, and after publication the S&T office records a 更正 that the notice then shows."""

import datetime as dt
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from scoring.assessment import assessment_open, assessment_publish
from scoring.models import Assessment
from teams.models import ServiceRecord
from teams.records import record_create
from tests.browser.conftest import screenshot, sign_in
from tests.factories import (
    CollegeFactory,
    HumAdminFactory,
    StoAdminFactory,
    UniversityFactory,
    build_valid_team,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def approved_visits(team, n):
    captain = team.members.get(role="captain").user
    out = []
    for i in range(n):
        record = record_create(
            team=team,
            by=captain,
            record_type="service_visit",
            date=dt.date(2026, 4, i + 1),
            title=f"{team.name[:3]}走访{i + 1}",
            served_organisation="台州某公司",
            description="现场调研",
        )
        ServiceRecord.objects.filter(pk=record.pk).update(status="approved")
        out.append(record)
    return out


def decide_every_check_on_the_page(page):
    forms = page.locator("form[action*='/spot/']")
    while forms.count():
        forms.first.get_by_role("button", name="提交").click()
        expect(page.locator("h1")).to_be_visible()


def test_two_offices_check_their_strands_and_the_public_reads_the_material(page, live_server):
    university = UniversityFactory(name="台州学院")
    office = StoAdminFactory(username="kjc", university=university)
    HumAdminFactory(username="rwc", university=university)
    science = build_valid_team(
        status="active", college=CollegeFactory(university=university, category="science"), name_suffix="泵业"
    )
    humanities = build_valid_team(
        status="active",
        college=CollegeFactory(university=university, category="humanities"),
        name_suffix="文旅",
    )
    approved_visits(science, 2)
    approved_visits(humanities, 2)
    assessment = assessment_open(
        by=office, year=2026, spot_share="1", pass_threshold="1", excellent_threshold="3"
    )
    url = f"{live_server.url}/assessment/{assessment.pk}/"

    # the humanities office draws and decides 人文类 only
    sign_in(page, live_server.url, "rwc", "pass12345")
    page.wait_for_url("**/accounts/workspace/")
    page.goto(url)
    strands = page.locator("#strands")
    expect(strands.get_by_role("button", name="抽取理工类抽查样本")).to_have_count(0)
    strands.get_by_label("随机种子（可选）").fill("7")
    strands.get_by_role("button", name="抽取人文类抽查样本").click()
    expect(strands.locator("tr[data-strand=humanities]")).to_contain_text("随机种子 7")
    decide_every_check_on_the_page(page)
    expect(strands.locator("tr[data-strand=humanities] td").nth(4)).to_have_text("0")
    screenshot(page, "assessment-humanities-strand")

    # the S&T office draws 理工类, decides it and opens the notice
    page.context.clear_cookies()  # signs out
    sign_in(page, live_server.url, "kjc", "pass12345")
    page.wait_for_url("**/accounts/workspace/")
    page.goto(url)
    page.locator("#strands").get_by_role("button", name="抽取理工类抽查样本").click()
    # all of its strand at once: tick all, one conclusion
    batch = page.locator("#spot-batch")
    batch.get_by_label("全选本类别待定记录").check()
    expect(page.locator("input[name=ids][form=spot-batch]:checked")).to_have_count(2)
    batch.get_by_role("button", name="批量提交").click()
    expect(page.locator(".messages")).to_contain_text("已对 2 条抽查记录给出结论")
    page.get_by_role("button", name="计分并开始公示").click()
    expect(page.get_by_test_id("status")).to_have_text("公示中")

    # anyone reads the notice, with the records and evidence behind each score, and prints the list
    visitor = page.context.browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    visitor.goto(f"{live_server.url}/assessment/{assessment.pk}/notice/")
    material = visitor.locator(f"details.material[data-team='{science.pk}']")
    material.locator("summary").click()
    expect(material).to_contain_text("赵小明走访1")
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="PDF").first.click()
    assert download.value.suggested_filename.endswith("公示名单.pdf")
    screenshot(visitor, "assessment-public-notice")
    visitor.context.close()

    # after publication the office corrects a result on the page; the notice shows the 更正
    Assessment.objects.filter(pk=assessment.pk).update(
        notice_start=timezone.now() - timedelta(days=6), notice_end=timezone.now() - timedelta(days=1)
    )
    assessment_publish(assessment=Assessment.objects.get(pk=assessment.pk), by=office)
    wrong = science.records.order_by("id").first()
    page.goto(url)
    form = page.locator("#corrections form")
    form.get_by_label("更正理由").fill("复核发现走访记录重复")
    form.get_by_label("移出的服务记录编号").fill(str(wrong.pk))
    form.get_by_role("button", name="更正并重新公布").click()
    expect(page.locator(".messages")).to_contain_text("已更正并重新公布结果")
    expect(page.locator("#corrections")).to_contain_text("复核发现走访记录重复")
    page.goto(f"{live_server.url}/assessment/{assessment.pk}/notice/")
    expect(page.locator("#corrections")).to_contain_text("复核发现走访记录重复")
    screenshot(page, "assessment-corrected-notice")
