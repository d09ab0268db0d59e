"""产业图谱 in a real browser: the tree starts at the 门类 and opens and closes level by level."""

import pytest

from tests.analytics.test_industry_map import (
    _gov_viewer,
    world,  # noqa: F401 - a fixture
)
from tests.browser.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_city_viewer_opens_and_closes_the_industry_tree(page, live_server, world):  # noqa: F811
    viewer = _gov_viewer("3310")
    sign_in(page, live_server.url, viewer.username, "pass12345")
    page.wait_for_url("**/accounts/workspace/")
    page.click("text=产业图谱")
    page.wait_for_url("**/industry-map/")

    def visible_codes():
        return [
            row.get_attribute("data-code")
            for row in page.locator("#industry-map tbody tr").all()
            if row.is_visible()
        ]

    # given the page just opened: the total and the 门类
    assert visible_codes() == ["", "C", "I"]
    # when 制造业 is opened: its 大类 show, their 中类 not yet
    page.locator('tr[data-code="C"] button.toggle').click()
    assert visible_codes() == ["", "C", "29", "35", "I"]
    page.locator('tr[data-code="35"] button.toggle').click()
    assert visible_codes() == ["", "C", "29", "35", "351", "353", "I"]
    screenshot(page, "industry-map-open")
    # when 制造业 is closed again every level below it hides
    page.locator('tr[data-code="C"] button.toggle').click()
    assert visible_codes() == ["", "C", "I"]
    page.click("#expand-all")
    assert len(visible_codes()) == 10
