"""In Chromium (zh-CN): a captain's workspace shows what waits (待办) and the unread badge, and at a phone
width of 390 px they fill in their contact details; the enterprise marks its need solved from the need
page, and the invitation still unanswered closes with it."""

import pytest
from playwright.sync_api import expect

from engagements.models import Engagement
from engagements.services import engagement_invite
from tests.browser.conftest import screenshot, sign_in
from tests.factories import EnterpriseUserFactory, build_valid_team, published_need

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_workspace_todos_contact_details_and_a_need_solved(page, live_server):
    owner = EnterpriseUserFactory(username="qiye")
    need = published_need(enterprise_user=owner, title="高速平缝机机头振动大")
    team = build_valid_team(status="active", name_suffix="缝制")
    captain = team.members.get(role="captain").user
    captain.username, captain.phone, captain.email = "zhaoxm", "", ""
    captain.save()
    engagement_invite(need=need, team=team, by=owner, message="请评估减振方案")

    # the captain, on a phone: what waits, the badge, and the contact details
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, "zhaoxm", "pass12345")
    page.wait_for_url("**/accounts/workspace/")
    todos = page.locator("#todos")
    expect(todos).to_contain_text("待回复的企业邀请")
    expect(page.locator("#nav-notifications .nav-badge")).to_have_text("1")
    assert _fits_the_width(page)
    screenshot(page, "workspace-todos-phone")
    page.get_by_role("link", name="编辑个人资料与联系方式").click()
    page.get_by_label("手机号").fill("12345")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#contact")).to_contain_text("请输入 11 位手机号。")
    page.get_by_label("手机号").fill("13900001111")
    page.get_by_label("电子邮箱").fill("zhao@example.edu.cn")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_contain_text("联系方式已保存")
    assert _fits_the_width(page)

    # the enterprise marks the need solved; the unanswered invitation closes with it
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, live_server.url, "qiye", "pass12345")
    page.wait_for_url("**/accounts/workspace/")
    page.goto(f"{live_server.url}/needs/{need.pk}/")
    page.get_by_role("button", name="问题已解决").click()
    expect(page.locator(".messages")).to_contain_text("需求已标记为已解决")
    screenshot(page, "need-solved")
    engagement = Engagement.objects.get(need=need)
    assert (engagement.status, engagement.end_reason) == ("cancelled", "需求已解决")


def test_the_office_picks_the_report_region_by_name(page, live_server, reference_data):
    from tests.browser.conftest import pick
    from tests.factories import StoAdminFactory

    StoAdminFactory(username="kjc")
    sign_in(page, live_server.url, "kjc", "pass12345")
    page.wait_for_url("**/accounts/workspace/")
    page.goto(f"{live_server.url}/reports/")
    pick(page, "id_region_code", ["33", "3310"])
    expect(page.locator("#id_region_code")).to_have_value("3310")
    screenshot(page, "report-region-picked")
