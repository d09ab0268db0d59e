"""In a real Chromium: on the team's feed, the filters and a new subscription take the industry and
region by name through the cascades (the fields used to ask for GB/T 4754 and region codes), the
subscription list names what was picked, and a filtered page opens with its picks selected."""

import pytest
from playwright.sync_api import expect

from matching.models import SavedSearch
from tests.browser.conftest import pick, screenshot, sign_in
from tests.factories import build_valid_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_feed_picks_industry_and_region_by_name(page, live_server, reference_data):
    team = build_valid_team(status="active", name_suffix="智能缝制装备")
    captain = team.members.get(role="captain").user
    sign_in(page, live_server.url, captain.username, "pass12345")
    page.goto(f"{live_server.url}/matching/feed/")

    page.fill("#search_name", "缝制设备需求")
    pick(page, "search_industry_prefix", ["C", "35"])
    pick(page, "search_region_prefix", ["33", "3310"])
    expect(page.locator("#search_industry_prefix")).to_have_value("35")
    expect(page.locator("#search_region_prefix")).to_have_value("3310")
    page.get_by_role("button", name="创建订阅").click()
    expect(page.get_by_test_id("saved-search")).to_contain_text("行业 35 专用设备制造业")
    expect(page.get_by_test_id("saved-search")).to_contain_text("地区 浙江省台州市")
    search = SavedSearch.objects.get()
    assert (search.industry_prefix, search.region_prefix) == ("35", "3310")

    pick(page, "id_industry", ["C"])
    pick(page, "id_region", ["33", "3310", "331002"])
    page.get_by_role("button", name="筛选").click()
    assert "industry=C" in page.url and "region=331002" in page.url
    # the page that opens shows the picks it was filtered by
    expect(page.locator(".cascade[data-target=id_region] select").nth(2)).to_have_value("331002")
    expect(page.locator(".cascade[data-target=id_industry] select").nth(0)).to_have_value("C")
    screenshot(page, "feed-pickers")
