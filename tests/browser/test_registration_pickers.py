"""In a real Chromium: an enterprise registers with its industry and region picked by name (the page
used to ask for a GB/T 4754 code and a 6-digit region code)."""

import pytest
from playwright.sync_api import expect

from accounts.models import Enterprise
from tests.browser.conftest import pick, screenshot
from tests.factories import valid_credit_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_enterprise_registers_with_industry_and_region_picked_by_name(page, live_server, reference_data):
    page.goto(f"{live_server.url}/accounts/register/")
    expect(page.locator("#id_industry_code")).to_be_hidden()  # the code itself is what the picks fill
    page.fill("#id_enterprise_name", "台州市飞跃缝制设备有限公司")
    page.fill("#id_credit_code", valid_credit_code(77))
    pick(page, "id_industry_code", ["C", "35", "355", "3553"])
    pick(page, "id_region_code", ["33", "3310", "331002"])
    for field, value in {
        "real_name": "陈经理",
        "phone": "13800000000",
        "email": "chen@example.com",
        "username": "feiyue",
        "password": "Taizhou-2026!",
        "password_confirm": "Taizhou-2026!",
    }.items():
        page.fill(f"#id_{field}", value)
    screenshot(page, "register")
    page.get_by_role("button", name="提交注册").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/register/done/")
    enterprise = Enterprise.objects.get()
    assert (enterprise.industry.code, enterprise.region.code) == ("3553", "331002")
