"""In a real Chromium: a captain sets the team's service industries and regions by name on the edit
page (they used to be typed as GB/T 4754 and region codes): each pick is added to the codes, the codes
are listed by name, one is taken out with its ×, and a city picked without a county is saved as the
city's 6-digit code."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import pick, screenshot, sign_in
from tests.factories import build_valid_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_team_edit(page, live_server):
    """A sewing team's captain on its edit page; the team and its industry codes before any change."""
    team = build_valid_team(status="active", name_suffix="智能缝制装备")
    captain = team.members.get(role="captain").user
    sign_in(page, live_server.url, captain.username, "pass12345")
    page.goto(f"{live_server.url}/teams/{team.pk}/edit/")
    return team, sorted(team.industries.values_list("code", flat=True))


def test_a_captain_picks_service_industries_and_regions_by_name(page, live_server, reference_data):
    team, before = open_team_edit(page, live_server)
    industries = page.locator("#id_industries")
    expect(industries).to_have_value(", ".join(before))

    pick(page, "id_industries", ["C", "35", "358", "3584"], add=True)
    expect(industries).to_have_value(", ".join([*before, "3584"]))
    listed = page.locator("[data-picked-for=id_industries] li")
    expect(listed.last).to_contain_text("3584 医疗、外科及兽医用器械制造")
    pick(page, "id_industries", ["C", "35", "358", "3584"], add=True)  # picked twice, added once
    expect(industries).to_have_value(", ".join([*before, "3584"]))
    listed.first.get_by_role("button").click()  # take the first code out
    expect(industries).to_have_value(", ".join([*before[1:], "3584"]))

    page.locator("#id_regions").fill("")
    pick(page, "id_regions", ["33", "3310", "331081"], add=True)
    pick(page, "id_regions", ["33", "3310"], add=True)  # a city without a county
    expect(page.locator("#id_regions")).to_have_value("331081, 331000")
    expect(page.locator("[data-picked-for=id_regions] li").first).to_contain_text("浙江省台州市温岭市")
    screenshot(page, "team-edit-pickers")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_be_visible()

    team.refresh_from_db()
    assert sorted(team.industries.values_list("code", flat=True)) == sorted([*before[1:], "3584"])
    assert sorted(team.regions.values_list("code", flat=True)) == ["3310", "331081"]


def test_codes_typed_by_hand_are_named_before_saving(page, live_server, reference_data):
    team, before = open_team_edit(page, live_server)
    industries = page.locator("#id_industries")
    listed = page.locator("[data-picked-for=id_industries] li")
    expect(listed).to_have_count(len(before))

    industries.fill(", ".join([*before, "3584", "9999"]))
    expect(listed.filter(has_text="3584 医疗、外科及兽医用器械制造")).to_be_visible()
    unknown = listed.filter(has_text="9999（未找到该代码）")
    expect(unknown).to_be_visible()
    expect(unknown).to_have_class("unknown")
    screenshot(page, "team-edit-unknown-code")
    unknown.get_by_role("button").click()  # the unknown code is taken out before saving
    expect(industries).to_have_value(", ".join([*before, "3584"]))
    industries.press("End")
    industries.type(", 3551")  # typed key by key: named once, when the typing pauses
    expect(listed.filter(has_text="3551 纺织专用设备制造")).to_have_count(1)
    expect(listed.filter(has_text="未找到")).to_be_hidden()  # "3", "35", "355" were never listed
    screenshot(page, "team-edit-typed-codes")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".messages")).to_be_visible()

    team.refresh_from_db()
    assert sorted(team.industries.values_list("code", flat=True)) == sorted([*before, "3584", "3551"])
