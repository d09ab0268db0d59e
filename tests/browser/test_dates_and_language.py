"""Edit forms in a real Chromium with a Chinese interface: a stored date shows in its date input and
survives saving the form unchanged; an English browser still gets Chinese pages."""

from datetime import date

import pytest
from playwright.sync_api import expect

from teams.models import ServiceRecord, Team
from tests.browser.conftest import sign_in
from tests.factories import EnterpriseUserFactory, IndustryFactory, TeamMemberUserFactory, build_valid_team
from tests.teams.test_records import make_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_need_s_date_shows_on_its_edit_form_and_survives_an_unchanged_save(page, live_server):
    from demand.services import need_create

    IndustryFactory(code="3553", name="缝制机械制造")
    owner = EnterpriseUserFactory(username="feizhen")
    need = need_create(
        by=owner,
        title="高速平缝机减振降噪",
        description="我司高速平缝机在4000针每分钟以上时机头振动偏大，希望联合高校减振优化。",
        industry="3553",
        service_types=["rd"],
        expected_start=date(2026, 12, 1),
    )
    sign_in(page, live_server.url, "feizhen", "pass12345")
    page.wait_for_url("**/accounts/workspace/")
    page.goto(f"{live_server.url}/needs/{need.pk}/edit/")
    expect(page.locator("#id_expected_start")).to_have_value("2026-12-01")
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(f"**/needs/{need.pk}/")
    need.refresh_from_db()
    assert need.expected_start == date(2026, 12, 1)
    assert list(need.events.values_list("action", flat=True)) == ["create"]  # nothing changed, nothing logged


def test_a_record_s_date_shows_on_its_edit_form_and_it_saves_unchanged(page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    captain = TeamMemberUserFactory(username="zhaoxm", real_name="赵小明", title="教授")
    team = build_valid_team(captain_user=captain, status=Team.Status.ACTIVE)
    record = make_record(team, captain, title="赴企业走访", date=date(2026, 3, 18))
    sign_in(page, live_server.url, "zhaoxm", "pass12345")
    page.wait_for_url("**/accounts/workspace/")
    page.goto(f"{live_server.url}/teams/records/{record.pk}/edit/")
    expect(page.locator("#id_date")).to_have_value("2026-03-18")
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "该字段是必填项" not in page.content()
    assert ServiceRecord.objects.get(pk=record.pk).date == date(2026, 3, 18)


def test_an_english_browser_still_gets_chinese_pages_and_messages(browser, live_server):
    context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        expect(page.locator("form")).to_contain_text("用户名")
        page.fill("input[name=username]", "nobody")
        page.fill("input[name=password]", "wrong-password")
        page.click("button[type=submit]")
        expect(page.locator(".errors")).to_contain_text("密码")
        text = page.locator("form").inner_text()
        assert "Please enter" not in text and "Username" not in text
    finally:
        context.close()
