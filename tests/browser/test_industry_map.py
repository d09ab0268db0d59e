"""产业图谱 in a real browser: the treemap is drawn from the same numbers as the table, and the tree
table starts at the 门类 and opens and closes level by level."""

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.insights.test_industry_map import (
    _gov_viewer,
    world,  # noqa: F401 - a fixture
)

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

    # the treemap: a box per 门类 sized by its enterprises and coloured by how well it is served
    page.wait_for_function("() => window.industryTreemap")
    boxes = page.evaluate(
        """() => industryTreemap.getOption().series[0].data
            .map(d => [d.name, d.value, d.itemStyle.color, d.children.map(c => c.name)])"""
    )
    assert boxes == [
        ["C 制造业", 4, "#12b76a", ["29 橡胶和塑料制品业", "35 专用设备制造业"]],
        ["I 信息传输、软件和信息技术服务业", 1, "#12b76a", ["65 软件和信息技术服务业"]],
    ]
    assert page.locator("#industry-treemap canvas").count() == 1

    # given the page just opened: the total and the 门类
    assert visible_codes() == ["", "C", "I"]
    # when 制造业 is opened: its 大类 show, their 中类 not yet
    page.locator('tr[data-code="C"] button.toggle').click()
    assert visible_codes() == ["", "C", "29", "35", "I"]
    page.locator('tr[data-code="35"] button.toggle').click()
    assert visible_codes() == ["", "C", "29", "35", "351", "355", "I"]
    screenshot(page, "industry-map-open")
    # when 制造业 is closed again every level below it hides
    page.locator('tr[data-code="C"] button.toggle').click()
    assert visible_codes() == ["", "C", "I"]
    page.click("#expand-all")
    assert len(visible_codes()) == 10


def test_on_a_phone_the_industry_table_scrolls_inside_its_card(page, live_server, world):  # noqa: F811
    viewer = _gov_viewer("3310")
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server.url, viewer.username, "pass12345")
    page.goto(f"{live_server.url}/industry-map/")
    table = page.locator("#industry-map")
    # twelve columns are wider than the phone: the table scrolls, the page does not widen
    assert table.evaluate("t => t.scrollWidth") > 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert table.evaluate("t => t.parentElement.scrollWidth > t.parentElement.clientWidth")
