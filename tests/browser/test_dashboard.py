"""A city government viewer opens the dashboard: the map is drawn with its counties as points and the
province's cities as coloured regions (read from the ECharts instance and from the canvas pixels), and an
industry filter changes the numbers."""

import pytest
from playwright.sync_api import expect

import dev
from accounts.models import Role
from reference.models import Region
from tests.browser.conftest import pick, screenshot, sign_in
from tests.factories import AgencyFactory, UserFactory
from tests.insights.conftest import dashboard_world  # noqa: F401 - the hand-made world, as a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAP_READY = "() => window.dashboardCharts && window.dashboardCharts.map && window.dashboardCharts.map.__dashboardReady"
COLOURED_REGIONS = """() => dashboardCharts.map.getOption().series[0].data
    .filter(d => d.value > 0).map(d => [d.name, d.value])"""
# A city's counties are points at their seats ([longitude, latitude, value]).
COUNTY_POINTS = """() => dashboardCharts.map.getOption().series[0].data
    .filter(d => d.value[2] > 0).map(d => [d.name, d.value[2]])"""
# Page coordinates of a longitude/latitude on the map.
MAP_PIXEL = """([lng, lat]) => {
  const [px, py] = dashboardCharts.map.convertToPixel({seriesIndex: 0}, [lng, lat]);
  const box = document.getElementById('map-chart').getBoundingClientRect();
  return [box.left + px, box.top + py];
}"""
# Pixels of the darkest band (#1f4f8f), allowing for anti-aliasing.
DARK_PIXELS = """() => {
  const canvas = document.querySelector('#map-chart canvas');
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i] - 31) < 6 && Math.abs(data[i + 1] - 79) < 6 && Math.abs(data[i + 2] - 143) < 6) n++;
  }
  return n;
}"""


# Page coordinates of a heatmap cell, from the chart's own layout.
CELL_PIXEL = """([region, industry]) => {
  const m = JSON.parse(document.getElementById('matrix-data').textContent);
  const chart = dashboardCharts.matrix;
  const [px, py] = chart.convertToPixel({seriesIndex: 0},
    [m.columns.findIndex(c => c.code === industry), m.rows.findIndex(r => r.code === region)]);
  const box = document.getElementById('matrix-chart').getBoundingClientRect();
  return [box.left + px, box.top + py];
}"""


def test_a_city_viewer_sees_the_map_and_filters_by_industry(page, live_server, dashboard_world):  # noqa: F811
    dev.ensure_echarts()  # the pages load the project's copy; dev.py fetches it once (a no-op when present)
    agency = AgencyFactory(name="台州市科学技术局（测试）", region=Region.objects.get(code="3310"))
    UserFactory(username="gov_city", role=Role.GOV_VIEWER, agency=agency)
    sign_in(page, live_server.url, "gov_city", "pass12345")
    page.wait_for_url("**/accounts/workspace/")

    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_function(MAP_READY)
    # the map opens on the viewer's own city: 台州's counties, as points at their seats
    points = page.evaluate(COUNTY_POINTS)
    assert sorted(points) == [["331002", 2], ["331003", 1], ["331004", 1], ["331081", 2]]
    assert page.evaluate(DARK_PIXELS) > 100  # 椒江 and 温岭 (2 needs each) in the top band's colour
    screenshot(page, "dashboard-city-viewer-counties")
    # one level up, 浙江's cities: only 台州 has needs in this viewer's scope
    page.click("#map-province")
    page.wait_for_url("**parent=33**")
    page.wait_for_function(MAP_READY)
    assert page.evaluate(COLOURED_REGIONS) == [["3310", 7]]
    assert page.evaluate(DARK_PIXELS) > 200  # 台州 is painted in the top band's colour
    # a click on 台州 (its seat lies inside it) drills back into its counties
    page.locator("#map-chart").scroll_into_view_if_needed()
    x, y = page.evaluate(MAP_PIXEL, [121.42076, 28.65638])
    page.mouse.click(x, y)
    page.wait_for_url("**parent=3310**")
    page.wait_for_function(MAP_READY)
    assert sorted(page.evaluate(COUNTY_POINTS)) == sorted(points)
    assert page.inner_text("#kpi-posted") == "7"
    # a click on 温岭's point narrows the whole page to 温岭
    wenling = Region.objects.get(code="331081")
    page.locator("#map-chart").scroll_into_view_if_needed()
    x, y = page.evaluate(MAP_PIXEL, [float(wenling.longitude), float(wenling.latitude)])
    page.mouse.click(x, y)
    page.wait_for_url("**region=331081**")
    page.wait_for_function(MAP_READY)
    assert page.inner_text("#kpi-posted") == "2"
    assert page.evaluate(COUNTY_POINTS) == [["331081", 2]]
    page.go_back()
    page.wait_for_function(MAP_READY)
    assert page.inner_text("#kpi-posted") == "7"
    assert page.inner_text("#unanswered-ranking tbody tr td:nth-child(3)") == "制造业"  # ranked first
    screenshot(page, "dashboard-city-viewer")

    # the heatmap's industry axis reads names (制造业), not codes (C)
    axis = page.evaluate("() => dashboardCharts.matrix.getOption().xAxis[0].data")
    assert "制造业" in axis and "C" not in axis

    # a click on the heatmap cell 路桥区 × C lists its public need, under the hall's display-name rule
    page.locator("#matrix-chart").scroll_into_view_if_needed()
    x, y = page.evaluate(CELL_PIXEL, ["331004", "C"])
    page.mouse.click(x, y)
    page.wait_for_selector("#cell-result")
    cell = page.inner_text("#cell-needs")
    assert "模具冷却" in cell and "某企业（企业要求不公开名称）" in cell and "不愿具名的路桥企业" not in cell

    pick(page, "industry-filter", ["C", "34", "344", "3441"])  # by name, as the hall picks it
    page.click("#apply-filters")
    page.wait_for_url("**industry=3441**")
    expect(page.locator(".cascade[data-target=industry-filter] select").nth(3)).to_have_value("3441")
    page.wait_for_function(MAP_READY)
    assert page.evaluate(COUNTY_POINTS) == [["331081", 2]]  # the pumps are in 温岭
    assert page.inner_text("#kpi-posted") == "2"
    funnel = page.evaluate("() => dashboardCharts.funnel.getOption().series[0].data.map(d => d.value)")
    assert funnel == [2, 1, 0, 0]
    screenshot(page, "dashboard-city-viewer-filtered")

    # the region is picked by name among the viewer's own counties (it was a code typed in)
    counties = page.locator(".cascade[data-target=region-filter] select").first
    expect(counties.locator("option").first).to_have_text("全部区县")
    expect(counties.locator("option[value='330000']")).to_have_count(0)  # nothing outside 台州
    pick(page, "region-filter", ["331002"])
    page.click("#apply-filters")
    page.wait_for_url("**region=331002**")
    page.wait_for_function(MAP_READY)
    assert page.inner_text("#kpi-posted") == "0"  # 3441 needs are in 温岭, none in 椒江
    expect(page.locator(".cascade[data-target=region-filter] select").first).to_have_value("331002")


def test_the_unanswered_ranking_fits_its_card_on_a_laptop_screen(page, live_server, dashboard_world):  # noqa: F811
    """At 1366 px a ranking with a long 门类 name (the longest in GB/T 4754 is 电力、热力、燃气及水生产和供应业)
    kept its last column, the unanswered rate, cut off behind a sideways scroll."""
    from reference.models import Industry

    dev.ensure_echarts()
    Industry.objects.filter(code="C").update(name="电力、热力、燃气及水生产和供应业")
    agency = AgencyFactory(name="台州市科学技术局（测试）", region=Region.objects.get(code="3310"))
    UserFactory(username="gov_city", role=Role.GOV_VIEWER, agency=agency)
    sign_in(page, live_server.url, "gov_city", "pass12345")
    page.wait_for_url("**/accounts/workspace/")
    page.goto(f"{live_server.url}/dashboard/")
    table = page.locator("#unanswered-ranking")
    assert "电力、热力、燃气及水生产和供应业" in table.inner_text()
    overflow = table.evaluate("t => t.scrollWidth - t.parentElement.clientWidth")
    assert overflow <= 0, f"the ranking is {overflow} px wider than its card"
