"""In a real Chromium: the S&T office assigns a published need from its page (the matcher's ranking and
each team's load beside the choice), the captain accepts it from the assignment inbox and the enterprise
confirms the engagement it opens (a 指派 binds the team, never the enterprise); a student fills a profile, sees an opening ranked for them with reasons and applies,
and the captain takes them on. Screenshots at 1366x768 and at a 375px phone width."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from engagements.models import Assignment
from matching import embedding_store, services
from talent.models import Application
from talent.services import opening_create
from tests.browser.conftest import screenshot, sign_in
from tests.factories import (
    EnterpriseUserFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    build_valid_team,
    published_need,
)
from tests.matching.test_embeddings import MODEL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(page, url, username):
    sign_in(page, url, username, "pass12345")
    expect(page.locator(".user")).to_contain_text("退出")  # the sign-in finished before going on


def _fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.fixture
def model_built():
    if not (MODEL / "modules.json").exists():
        pytest.skip("默认模型未构建：python -m matching.engine.model_build var/models/multilingual-e5-small")
    services.reset_index_cache()
    embedding_store.embedder()  # loaded once here, not inside a page load with a 30-second limit


def test_office_assigns_and_the_captain_accepts(page, live_server, reference_data, model_built):
    team = build_valid_team(status="active", name_suffix="智能缝制装备")
    captain = team.members.get(role="captain").user
    captain.username = "zhaoxm"
    captain.save()
    StoAdminFactory(username="kjc", university=team.college.university)
    owner = EnterpriseUserFactory(username="qiye")
    need = published_need(enterprise_user=owner, title="高速平缝机机头振动大")

    _signed_in(page, live_server.url, "kjc")
    page.goto(f"{live_server.url}/needs/{need.pk}/")
    page.click("[data-testid=assign-link]")
    row = page.locator(f"[data-testid=candidate][data-team='{team.pk}']")
    expect(row.locator("[data-testid=load]")).to_contain_text("进行中对接 0 · 待响应指派 0")
    row.locator("input[type=radio]").check()
    page.fill("#id_message", "企业急需，请三日内联系")
    screenshot(page, "assign-desktop")
    page.click("#assign-form button[type=submit]")
    expect(page.locator("[data-testid=status]")).to_have_text("待响应")
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{live_server.url}/matching/needs/{need.pk}/assign/")
    assert _fits_the_width(page)
    screenshot(page, "assign-phone")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1366, "height": 768})
    _signed_in(page, live_server.url, "zhaoxm")
    page.goto(f"{live_server.url}/matching/assignments/")
    page.click(f"text={need.title}")
    page.fill("#id_accept-scope", "两周内到厂测振并给出减振方案")
    page.click("#accept-form button[type=submit]")
    expect(page.locator("[data-testid=status]")).to_have_text("待确认")
    assignment = Assignment.objects.get()
    assert assignment.status == "accepted" and assignment.engagement.origin == "assignment"

    # The enterprise confirms it: only now is the engagement agreed.
    page.context.clear_cookies()
    _signed_in(page, live_server.url, "qiye")
    page.goto(f"{live_server.url}/matching/engagements/{assignment.engagement_id}/")
    expect(page.locator("#accept-form")).to_be_visible()
    page.click("#accept-form button[type=submit]")
    expect(page.locator("[data-testid=status]")).to_have_text("已达成")

    # The office's assignment statistics on a phone: one labelled card per team, the total included.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 375, "height": 812})
    _signed_in(page, live_server.url, "kjc")
    page.goto(f"{live_server.url}/assessment/assignments/")
    assert _fits_the_width(page)
    total = page.locator("[data-testid=stats-total] td[data-label=已接受]")
    assert total.evaluate("td => getComputedStyle(td, '::before').content") == '"已接受"'
    expect(total).to_have_text("1")


def test_a_student_applies_to_an_opening_ranked_for_them(page, live_server, reference_data, model_built):
    team = build_valid_team(status="active", name_suffix="缝制装备振动")
    captain = team.members.get(role="captain").user
    captain.username = "zhaoxm"
    captain.save()
    opening = opening_create(
        team=team,
        by=captain,
        kind="research_assistant",
        title="振动测试科研助理",
        description="协助开展高速平缝机机头振动信号采集与模态分析。",
        skills=["MATLAB", "振动测试"],
        slots=1,
        hours_per_week=10,
        deadline=timezone.localdate() + timedelta(days=14),
    )
    TeamMemberUserFactory(username="wangzhen", real_name="王振", college=team.college)

    _signed_in(page, live_server.url, "wangzhen")
    page.goto(f"{live_server.url}/matching/talent/profile/")
    page.select_option("#id_level", "graduate")
    page.fill("#id_major", "机械工程")
    page.fill("#id_year", str(timezone.localdate().year - 1))
    page.fill("#id_skills", "MATLAB、振动测试、信号处理")
    page.fill("#id_interests", "机械振动与故障诊断")
    page.fill("#id_hours_per_week", "12")
    # The consent checkbox sits before its label at its own size, not stretched across the form.
    consent = page.locator("main form input[type=checkbox]")
    box, label = consent.bounding_box(), consent.locator("xpath=..").bounding_box()
    assert box["width"] < 30 and box["x"] - label["x"] < 5 and label["height"] < 40
    page.click("main form button[type=submit]")
    card = page.locator("[data-testid=ranked-opening]").first
    expect(card).to_contain_text("振动测试科研助理")
    expect(card.locator("[data-testid=reasons]")).to_contain_text("共同关键词")
    screenshot(page, "talent-student")
    card.locator("h2 a").click()
    page.fill("#id_statement", "做过电机噪声分析")
    page.click("#apply-form button[type=submit]")
    expect(page.locator("#actions")).to_contain_text("待处理")

    page.context.clear_cookies()
    _signed_in(page, live_server.url, "zhaoxm")
    page.goto(f"{live_server.url}/matching/talent/openings/{opening.pk}/")
    expect(page.locator("[data-testid=ranked-student]").first).to_contain_text("王振")
    page.locator("[data-testid=application-row]").get_by_role("button", name="录用", exact=True).click()
    expect(page.locator("[data-testid=status]")).to_have_text("已满员")
    assert Application.objects.get().status == "accepted"
