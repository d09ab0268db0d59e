"""Appendix E's flow in a real Chromium: the captain completes and submits the application, the college
approves, the S&T office approves, and the team is 运行中."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from teams.models import Call, MemberRole, Team
from tests.browser.conftest import screenshot, sign_in
from tests.factories import (
    CollegeAdminFactory,
    CollegeFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    build_valid_team,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(re.compile(r"/$"))


def test_a_team_is_applied_for_reviewed_twice_and_runs(page, live_server):
    # given a draft that lacks one core teacher, its college's reviewer and the university's S&T office
    college = CollegeFactory(name="智能制造学院", university__name="台州学院")
    captain = TeamMemberUserFactory(username="zhaoxm", college=college, real_name="赵小明", title="教授")
    team = build_valid_team(college=college, captain_user=captain)
    team.members.filter(role=MemberRole.CORE).first().delete()
    CollegeAdminFactory(username="college", real_name="学院审核员", college=college)
    StoAdminFactory(username="office", real_name="科技处审核员", university=college.university)

    # when the captain signs in, opens the team and reads what is missing
    sign_in(page, live_server.url, "zhaoxm", "pass12345")
    page.wait_for_url("**/accounts/workspace/")
    page.goto(f"{live_server.url}/teams/")
    page.get_by_role("link", name=team.name).click()
    problems = page.locator("#problems")
    expect(problems).to_contain_text("提交前需要解决的问题")
    expect(problems).to_contain_text("核心成员应为 3 名以上教师（当前 2 名）")
    expect(page.locator("button[data-action=submit]")).to_be_disabled()
    screenshot(page, "team-draft-with-problems")

    # and adds the missing core member through the page
    page.locator("#members").get_by_role("link", name="添加成员").click()
    page.fill("#id_name", "郑六")
    page.select_option("#id_role", "core")
    expect(page.locator("#id_deputy_focus")).to_be_hidden()  # only what applies to the role is shown
    page.fill("#id_title", "副教授")
    page.fill("#id_background", "控制科学与工程")  # 5.1: a core member states a relevant background
    page.fill("#id_research_direction", "伺服控制")
    screenshot(page, "team-member-add")
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已添加成员“郑六”（核心成员）")
    expect(page.locator("#member-table")).to_contain_text("郑六")
    expect(page.locator("#problems")).to_contain_text("已满足组建要求")

    # and submits
    page.locator("button[data-action=submit]").click()
    expect(page.get_by_test_id("status").first).to_have_text("已申报")
    expect(page.locator("#history")).to_contain_text("提交申报")
    sign_out(page)

    # then the college reviewer finds it in the queue and approves it
    sign_in(page, live_server.url, "college", "pass12345")
    page.wait_for_url("**/accounts/workspace/")
    page.goto(f"{live_server.url}/teams/review/college/")
    item = page.locator(f".queue-item[data-team='{team.pk}']")
    expect(item).to_contain_text(team.name)
    item.locator("textarea").fill("材料齐全，同意推荐。")
    screenshot(page, "team-review-college")
    item.locator("button[data-action=college_approve]").click()
    expect(page.locator(".messages")).to_contain_text("学院已审核")
    expect(page.locator("#team-queue")).to_contain_text("暂无待审核的申报")
    sign_out(page)

    # and the S&T office approves it
    sign_in(page, live_server.url, "office", "pass12345")
    page.wait_for_url("**/accounts/workspace/")
    page.goto(f"{live_server.url}/teams/review/office/")
    item = page.locator(f".queue-item[data-team='{team.pk}']")
    expect(item).to_contain_text("智能制造学院")
    screenshot(page, "team-review-office")
    item.locator("button[data-action=office_approve]").click()
    expect(page.locator("#serving")).to_contain_text(team.name)

    # and the team page shows 运行中, with the whole trail
    page.locator("#serving").get_by_role("link", name=team.name).click()
    expect(page.get_by_test_id("status").first).to_have_text("运行中")
    for step in ["提交申报", "学院审核通过", "科技处审核通过"]:
        expect(page.locator("#history")).to_contain_text(step)
    expect(page.locator("#history")).to_contain_text("材料齐全，同意推荐。")
    screenshot(page, "team-active")
    team.refresh_from_db()
    assert team.status == Team.Status.ACTIVE

    # and anyone may now read its public portrait
    sign_out(page)
    page.goto(f"{live_server.url}/teams/{team.pk}/portrait/")
    expect(page.locator("h1")).to_have_text(team.name)
    expect(page.locator("#member-counts")).to_contain_text("核心成员")
    screenshot(page, "team-portrait")


def test_a_teacher_creates_a_draft_on_a_phone(page, live_server):
    # given a teacher of a university with an open call, on a 375px-wide screen
    college = CollegeFactory(name="智能制造学院")
    TeamMemberUserFactory(username="sunli", college=college, real_name="孙立", title="副教授")
    Call.objects.create(
        university=college.university,
        year=2025,
        title="2025 年度科技小分队申报",
        requirements="面向台州市重点产业，服务企业技术需求。",
        deadline=timezone.now() + timedelta(days=14),
    )
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(page, live_server.url, "sunli", "pass12345")
    page.wait_for_url("**/accounts/workspace/")

    # when they fill in the draft form
    page.goto(f"{live_server.url}/teams/new/")
    page.fill("#id_name", "孙立·水泵科技小分队")
    page.select_option("#id_work_mode", "enterprise_centre")
    page.select_option("#id_theme", "smart_manufacturing")
    page.fill("#id_service_content", "为水泵企业提供节能设计与检测服务。")
    page.fill("#id_captain_title", "副教授")
    page.fill("#id_qualifying_project", "浙江省基础公益研究计划项目")
    page.select_option("#id_qualifying_level", "provincial")
    page.get_by_role("button", name="保存草稿").click()

    # then the draft exists with them as captain, and its page lists what is still missing
    expect(page.locator(".messages")).to_contain_text("已创建小分队草稿")
    expect(page.locator("h1")).to_have_text("孙立·水泵科技小分队")
    expect(page.locator("#problems")).to_contain_text("提交前需要解决的问题")
    expect(page.locator("#problems")).to_contain_text("副队长应为 1～2 名（当前 0 名）")
    expect(page.locator("#member-table")).to_contain_text("孙立")
    expect(page.locator("#problems")).not_to_contain_text("队长应主持过")
    # nothing is wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "team-draft-phone")
    team = Team.objects.get(name="孙立·水泵科技小分队")
    assert team.call.title == "2025 年度科技小分队申报"
