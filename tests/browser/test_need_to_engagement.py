"""In a real Chromium: an enterprise posts a need, a moderator publishes it, the enterprise sees the
recommended team (ranked by the real engine) and invites it; the captain accepts; the enterprise
confirms completion and rates it."""

import pytest
from playwright.sync_api import expect

from matching import services
from tests.browser.conftest import screenshot, sign_in
from tests.factories import EnterpriseUserFactory, IndustryFactory, StoAdminFactory, build_valid_team
from tests.matching.test_embeddings import MODEL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_need_to_rated_engagement(page, live_server):
    if not (MODEL / "modules.json").exists():
        pytest.skip("默认模型未构建")
    services.reset_index_cache()
    IndustryFactory(code="3533", name="缝制机械制造")
    EnterpriseUserFactory(username="feiyue", real_name="陈经理", enterprise__name="台州市飞跃缝纫机有限公司")
    StoAdminFactory(username="kjc")
    team = build_valid_team(status="active", name_suffix="智能缝制装备")
    team.service_content = "高速平缝机减振降噪、主轴动平衡分析"
    team.save()
    captain = team.members.get(role="captain").user
    captain.username = "zhaoxm"
    captain.save()

    # the enterprise posts and submits a need
    sign_in(page, live_server.url, "feiyue", "pass12345")
    page.goto(f"{live_server.url}/needs/new/")
    page.fill("#id_title", "高速平缝机机头振动大")
    page.fill("#id_description", "4000针每分钟以上时机头振动偏大，噪声超过80分贝，希望进行减振降噪优化。")
    page.fill("#id_industry", "3533")
    page.check("input[name=service_types][value=diagnosis]")
    page.click("button[name=submit]")
    expect(page.get_by_test_id("status")).to_have_text("待审核")
    need_url = page.url

    # the S&T office publishes it (ranking runs as the publication commits)
    page.context.clear_cookies()
    sign_in(page, live_server.url, "kjc", "pass12345")
    page.goto(f"{live_server.url}/needs/moderation/")
    page.get_by_role("button", name="发布").first.click()
    expect(page.locator(".messages")).to_contain_text("已发布需求")

    # the enterprise sees the recommended team and invites it
    page.context.clear_cookies()
    sign_in(page, live_server.url, "feiyue", "pass12345")
    page.goto(need_url)
    page.get_by_role("link", name="查看推荐团队").click()
    first = page.get_by_test_id("recommendation").first
    expect(first).to_contain_text(team.name)
    screenshot(page, "need-recommendations")
    first.get_by_role("button", name="邀请对接").click()
    expect(page.locator(".messages")).to_contain_text("已邀请")

    # the captain accepts with a scope
    page.context.clear_cookies()
    sign_in(page, live_server.url, "zhaoxm", "pass12345")
    page.goto(f"{live_server.url}/matching/engagements/")
    page.get_by_role("link", name="高速平缝机机头振动大").click()
    expect(page.locator("#contacts")).to_contain_text("对接达成后可见联系方式")
    page.fill("textarea[name=scope]", "三个月内完成主轴动力学分析与减振方案")
    page.get_by_role("button", name="接受对接").click()
    expect(page.get_by_test_id("status")).to_have_text("已达成")
    engagement_url = page.url

    # the enterprise confirms completion and rates 5
    page.context.clear_cookies()
    sign_in(page, live_server.url, "feiyue", "pass12345")
    page.goto(engagement_url)
    page.select_option("select[name=rating]", "5")
    page.fill("input[name=comment]", "振动降低明显")
    page.get_by_role("button", name="确认完成并评价").click()
    expect(page.get_by_test_id("status")).to_have_text("已完成")
    expect(page.locator("body")).to_contain_text("5 分")
    screenshot(page, "engagement-completed")
