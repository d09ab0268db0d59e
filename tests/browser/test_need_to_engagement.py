"""In a real Chromium: an enterprise posts a need through the form (industry picked with the cascade,
region defaulting to its own), the S&T office publishes it, the enterprise sees the recommended team
with its reasons and invites it, the captain accepts with a scope, and the enterprise confirms
completion and rates it 5. Screenshots at 1366x768 and at a 375px phone width.

The recommendation comes from the real engine with the real model, run inline as the publication
commits (no broker in tests), exactly as in the platform.
"""

import pytest
from playwright.sync_api import expect

from demand.models import Need
from engagements.models import Engagement
from matching import services
from matching.models import Recommendation
from tests.browser.conftest import screenshot, sign_in
from tests.factories import EnterpriseUserFactory, StoAdminFactory, build_valid_team
from tests.matching.test_embeddings import MODEL

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1366, "height": 768}


def _fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_need_to_rated_engagement(page, live_server, reference_data):
    if not (MODEL / "modules.json").exists():
        pytest.skip("默认模型未构建：python -m matching.engine.model_build var/models/multilingual-e5-small")
    services.reset_index_cache()
    EnterpriseUserFactory(
        username="feiyue",
        real_name="陈经理",
        phone="13900001111",
        email="chen@feiyue.example.com",
        enterprise__name="台州市飞跃缝纫机有限公司",
    )
    StoAdminFactory(username="kjc", real_name="科技处王老师")
    team = build_valid_team(status="active", name_suffix="智能缝制装备")
    team.service_content = "面向缝制设备企业，开展高速平缝机减振降噪、主轴动平衡分析与智能控制技术服务。"
    team.save()
    captain = team.members.get(role="captain").user
    captain.username, captain.phone = "zhaoxm", "13700002222"
    captain.save()

    # the enterprise posts a need: the industry through the cascade, the region left at its own
    sign_in(page, live_server.url, "feiyue", "pass12345")
    page.goto(f"{live_server.url}/needs/new/")
    page.fill("#id_title", "高速平缝机机头振动大")
    page.fill(
        "#id_description",
        "我司高速平缝机在4000针每分钟以上时机头振动偏大，噪声超过80分贝，希望联合高校进行减振降噪优化。",
    )
    industry = page.locator(".cascade[data-target=id_industry] select")
    expect(industry.nth(0).locator("option[value=C]")).to_have_count(1)
    industry.nth(0).select_option("C")
    expect(industry.nth(1).locator("option[value='35']")).to_have_count(1)
    industry.nth(1).select_option("35")
    expect(industry.nth(2).locator("option[value='355']")).to_have_count(1)
    industry.nth(2).select_option("355")
    expect(industry.nth(3).locator("option[value='3553']")).to_have_count(1)
    industry.nth(3).select_option("3553")
    expect(page.locator("#id_industry")).to_have_value("3553")
    region = page.locator(".cascade[data-target=id_region] select")
    expect(region.nth(2)).to_have_value("331002")  # 椒江区, the enterprise's own
    page.check("input[name=service_types][value=diagnosis]")
    page.check("input[name=service_types][value=rd]")
    page.fill("#id_budget_min", "5")
    page.fill("#id_budget_max", "20")
    screenshot(page, "need-form")
    page.click("button[name=submit]")
    expect(page.get_by_test_id("status")).to_have_text("待审核")
    need = Need.objects.get()
    assert (need.industry.code, need.region.code) == ("3553", "331002")

    # the S&T office publishes it
    page.context.clear_cookies()
    sign_in(page, live_server.url, "kjc", "pass12345")
    page.goto(f"{live_server.url}/needs/moderation/")
    expect(page.locator(f"#need-{need.pk}")).to_contain_text("台州市飞跃缝纫机有限公司")
    screenshot(page, "moderation-queue")
    page.locator(f"#need-{need.pk}").get_by_role("button", name="发布").click()
    expect(page.locator(".messages")).to_contain_text("已发布需求")
    need.refresh_from_db()
    assert need.status == Need.Status.PUBLISHED

    # the real ranker stored the team for the need as the publication committed
    assert Recommendation.objects.filter(need=need, team=team, rank=1).exists()

    # anyone finds it in the hall
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/needs/?q=平缝机 振动")
    expect(page.get_by_test_id("need-card")).to_have_count(1)
    expect(page.get_by_test_id("need-card").locator("mark").first).to_have_text("平缝机")
    screenshot(page, "hall")

    # the enterprise sees the recommended team with its reasons and invites it
    sign_in(page, live_server.url, "feiyue", "pass12345")
    page.goto(f"{live_server.url}/needs/{need.pk}/")
    expect(page.locator(".history")).to_contain_text("审核发布")
    screenshot(page, "need-detail-owner")
    page.get_by_role("link", name="查看推荐团队").first.click()
    card = page.get_by_test_id("recommendation").first
    expect(card).to_contain_text(team.name)
    expect(card).to_contain_text("共同关键词")  # the matcher's own reasons
    expect(card.locator("mark").first).to_be_visible()
    screenshot(page, "need-recommendations")
    page.set_viewport_size(PHONE)
    assert _fits_the_width(page)
    screenshot(page, "need-recommendations-phone")
    page.set_viewport_size(DESKTOP)
    card.locator("textarea").fill("希望三个月内完成减振方案，可先到厂调研。")
    card.get_by_role("button", name="邀请对接").click()
    expect(page.locator(".messages")).to_contain_text("已邀请")
    expect(page.get_by_test_id("status")).to_have_text("待确认")
    expect(page.locator("#contacts")).to_contain_text("对接达成后可见联系方式")
    engagement_url = page.url

    # the captain is told, and accepts with a scope
    page.context.clear_cookies()
    sign_in(page, live_server.url, "zhaoxm", "pass12345")
    page.goto(f"{live_server.url}/notifications/")
    expect(page.get_by_test_id("notification").first).to_contain_text("企业邀请对接")
    screenshot(page, "notifications")
    page.goto(f"{live_server.url}/matching/feed/")
    expect(page.get_by_test_id("feed-item")).to_contain_text("企业邀请 · 待确认")
    screenshot(page, "team-feed")
    page.set_viewport_size(PHONE)
    assert _fits_the_width(page)
    screenshot(page, "team-feed-phone")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/matching/engagements/")
    page.get_by_role("link", name="高速平缝机机头振动大").click()
    expect(page.locator("#contacts")).to_contain_text("对接达成后可见联系方式")
    expect(page.locator("#contacts")).not_to_contain_text("13900001111")
    page.fill("textarea[name=accept-scope]", "三个月内完成主轴动力学分析与减振方案，并在样机上验证")
    page.get_by_role("button", name="接受对接").click()
    expect(page.get_by_test_id("status")).to_have_text("已达成")
    expect(page.locator("#contacts")).to_contain_text("13900001111")
    expect(page.get_by_role("link", name="填写服务记录")).to_have_attribute(
        "href", f"/matching/engagements/{Engagement.objects.get().pk}/record/"
    )
    screenshot(page, "engagement-agreed")

    # the enterprise confirms completion and rates 5
    page.context.clear_cookies()
    sign_in(page, live_server.url, "feiyue", "pass12345")
    page.goto(engagement_url)
    expect(page.locator("#contacts")).to_contain_text("13700002222")
    page.select_option("select[name=complete-rating]", "5")
    page.fill("textarea[name=complete-comment]", "振动降低明显，噪声降到75分贝以下")
    page.get_by_role("button", name="确认完成并评价").click()
    expect(page.get_by_test_id("status")).to_have_text("已完成")
    expect(page.get_by_test_id("rating")).to_contain_text("5 分")
    screenshot(page, "engagement-completed")
    page.set_viewport_size(PHONE)
    assert _fits_the_width(page)
    screenshot(page, "engagement-completed-phone")
    page.goto(f"{live_server.url}/needs/")
    assert _fits_the_width(page)
    screenshot(page, "hall-phone")

    engagement = Engagement.objects.get()
    need.refresh_from_db()
    assert (engagement.status, engagement.rating) == ("completed", 5)
    assert need.status == Need.Status.RESOLVED
