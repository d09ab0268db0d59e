"""The dashboard's pages, exports and JSON API on the hand-made world (tests/analytics/conftest.py):
who may open them, a city viewer asking for another city, bad filters, and exports read back.

The pages count "unanswered" against the real clock, long after the world's dates, so n4 (published
2026-06-20) counts as unanswered there too: 4 unanswered needs instead of the selector tests' 3.
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from demand.selectors import HIDDEN_NAME
from reference.models import Region
from tests.factories import AgencyFactory, EnterpriseUserFactory, TeamMemberUserFactory, UserFactory

pytestmark = pytest.mark.django_db
PAGE = reverse("dashboard:page")


def viewer_of(code):
    return UserFactory(role=Role.GOV_VIEWER, agency=AgencyFactory(region=Region.objects.get(code=code)))


@pytest.fixture
def city_client(client, dashboard_world):
    client.force_login(viewer_of("3310"))
    return client


# ----------------------------------------------------------------------------------------------- access


def test_page_for_a_city_viewer(city_client):
    response = city_client.get(PAGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert "供需缺口" in body and "台州市" in body
    assert response.context["summary"]["posted"] == 7
    assert response.context["summary"]["unanswered"] == 4
    assert "杭州的需求" not in body
    assert 'src="/static/vendor/echarts/echarts.min.js"' in body


def test_nav_links_the_dashboard(city_client):
    assert reverse("dashboard:page") in city_client.get(reverse("demand:hall")).content.decode()


@pytest.mark.parametrize("factory", [TeamMemberUserFactory, EnterpriseUserFactory])
def test_roles_without_a_dashboard_get_403(client, reference_data, factory):
    client.force_login(factory())
    assert client.get(PAGE).status_code == 403
    assert client.get(reverse("api:dashboard-heatmap")).status_code == 403


def test_anonymous_is_sent_to_login(client, reference_data):
    assert client.get(PAGE).status_code == 302
    assert client.get(reverse("api:dashboard-funnel")).status_code in (401, 403)


@pytest.mark.parametrize(
    "params",
    [
        {"region": "3301"},
        {"region": "330106"},
        {"parent": "32"},
        {"parent": "31"},
        {"parent": "3301"},
    ],
)
def test_city_viewer_asking_for_another_city_gets_403_and_nothing(city_client, params):
    response = city_client.get(PAGE, params)
    assert response.status_code == 403
    assert "杭州的需求" not in response.content.decode()
    api = city_client.get(reverse("api:dashboard-regions-map"), params)
    assert api.status_code == 403
    assert "count" not in api.content.decode()
    cell = city_client.get(reverse("dashboard:cell"), {"cell_region": "330106", "cell_industry": "C"})
    assert cell.status_code == 403
    for name in ("matrix", "gap", "regions"):
        assert city_client.get(reverse("dashboard:export", args=[name, "csv"]), params).status_code == 403


def test_bad_filters_answer_400_in_chinese(city_client):
    response = city_client.get(PAGE, {"date_from": "yesterday", "industry": "ZZ", "days": "0"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "开始日期格式应为 YYYY-MM-DD" in body and "行业代码“ZZ”不存在" in body and "未响应天数" in body
    api = city_client.get(reverse("api:dashboard-gap"), {"status": "draft"})
    assert api.status_code == 400
    assert "状态“draft”无效" in api.content.decode()
    export = city_client.get(reverse("dashboard:export", args=["gap", "xlsx"]), {"level": "class"})
    assert export.status_code == 400


# ------------------------------------------------------------------------------------------ filters


def test_ranking_shown_is_the_exported_table(city_client):
    response = city_client.get(PAGE, {"level": "division"})
    body = response.content.decode()
    shown = response.context["tables"]["unanswered"]
    # by the real clock n3 and n4 (34) are unanswered, then n6 ("" 1 of 1) before n9 (35, 1 of 3)
    assert [row[1] for row in shown.rows] == ["34", "", "35"]
    exported = city_client.get(reverse("dashboard:export", args=["unanswered", "csv"]), {"level": "division"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[1:] == [[str(v) for v in row] for row in shown.rows]
    for value in rows[1][3:]:
        assert f"<td>{value}</td>" in body or f"<b>{value}</b>" in body or f"> {value}</td>" in body
    assert (
        city_client.get(PAGE, {"days": "3650"}).context["summary"]["unanswered"] == 0
    )  # none is ten years old


def test_industry_filter_changes_the_page(city_client):
    everything = city_client.get(PAGE).context
    pumps = city_client.get(PAGE, {"industry": "3441"}).context
    assert everything["summary"]["posted"] == 7
    assert pumps["summary"]["posted"] == 2
    rows = {r["code"]: r["count"] for r in pumps["figures"]["regions"]["rows"] if r["count"]}
    assert rows == {"331081": 2}  # the map opens on the viewer's own city, 台州's counties


def test_map_drills_from_china_into_the_province_and_the_city(city_client):
    context = city_client.get(PAGE, {"parent": "33"}).context
    rows = {r["code"]: r["count"] for r in context["figures"]["regions"]["rows"] if r["count"]}
    assert rows == {"3310": 7}
    assert context["map_info"]["geo_url"].endswith("maps/cities/33.json")
    assert context["map_info"]["drillable"] == ["3310"]  # a city viewer drills into its own city only
    # a city's counties: points at their seats, on the city's outline taken from the province's file
    city = city_client.get(PAGE, {"parent": "3310"})
    assert city.status_code == 200
    info = city.context["map_info"]
    assert info["outline"] == "3310" and info["geo_url"].endswith("maps/cities/33.json")
    assert info["drillable"] == []  # the last level
    assert "331002" in info["filterable"] and "331081" in info["filterable"]  # a click filters to a county
    counties = {r["code"]: r for r in city.context["figures"]["regions"]["rows"]}
    assert {code: r["count"] for code, r in counties.items() if r["count"]} == {
        "331002": 2,
        "331003": 1,
        "331004": 1,
        "331081": 2,
    }
    assert counties["331002"]["seat"] == [121.442978, 28.672981]
    assert "返回浙江省" in city.content.decode()
    # the province's counties directly are not a map level
    refused = city_client.get(PAGE, {"parent": "331002"})
    assert (
        refused.status_code == 400 and "请填写省级（2 位）或地级（4 位）区划代码" in refused.content.decode()
    )
    provinces = city_client.get(PAGE, {"parent": ""}).context
    assert provinces["map_info"]["geo_url"].endswith("maps/china.json")
    assert provinces["map_info"]["drillable"] == ["33"]


# ------------------------------------------------------------------------------------------- exports


def test_export_xlsx_reads_back_the_numbers_shown(city_client):
    page = city_client.get(PAGE).context
    shown = page["tables"]["gap"]
    response = city_client.get(reverse("dashboard:export", args=["gap", "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == shown.headers
    assert values[1:] == [
        [None if v == "" else v for v in row] for row in shown.rows
    ]  # "" reads back as empty
    # 温岭: 2 posted, 1 strong, 0 engaged, 0 resolved, both unanswered now (n3, and n4 by the real clock)
    wenling = next(row for row in values if row[0] == "331081")
    assert wenling[4:9] == [2, 1, 0, 0, 2]


def test_export_csv_reads_back_and_matches_the_table_view(city_client):
    page = city_client.get(PAGE, {"level": "division"})
    shown = page.context["tables"]["matrix"]
    response = city_client.get(reverse("dashboard:export", args=["matrix", "csv"]), {"level": "division"})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == shown.headers
    assert rows[1:] == [[str(v) for v in row] for row in shown.rows]
    assert rows[-1][1] == "合计" and rows[-1][-1] == "7"
    # the table view on the page shows the same rows
    body = page.content.decode()
    assert 'data-table="matrix"' in body and "台州市本级" in body


def test_export_unknown_table_is_404(city_client):
    assert city_client.get(reverse("dashboard:export", args=["secrets", "csv"])).status_code == 404
    assert city_client.get(reverse("dashboard:export", args=["gap", "pdf"])).status_code == 404


def test_funnel_and_trend_exports(city_client):
    funnel = city_client.get(reverse("dashboard:export", args=["funnel", "csv"]))
    rows = list(csv.reader(io.StringIO(funnel.content.decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == ["7", "4", "2", "1"]
    assert rows[3][4] == "15.0"
    trend = city_client.get(reverse("dashboard:export", args=["trend", "csv"]))
    rows = list(csv.reader(io.StringIO(trend.content.decode("utf-8-sig"))))
    assert rows[1][0] == "2026-01" and rows[-1][-1] == "1"


# ------------------------------------------------------------------------------------------ matrix cell


def test_cell_fragment_shows_only_public_needs(city_client):
    response = city_client.get(
        reverse("dashboard:cell"), {"cell_region": "331004", "cell_industry": "C", "fragment": "1"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "模具冷却" in body and HIDDEN_NAME in body
    assert "不愿具名的路桥企业" not in body
    closed = city_client.get(reverse("dashboard:cell"), {"cell_region": "331003", "cell_industry": "A"})
    assert "茶叶品质" not in closed.content.decode()
    assert "1 条已关闭或已过期" in closed.content.decode()


# ------------------------------------------------------------------------------------------------- API


def test_api_returns_the_selectors_numbers(city_client):
    api = reverse("api:dashboard-regions-map")
    body = city_client.get(api, {"parent": "33", "industry": "3441"}).json()
    assert body["scope"]["region"] == "3310"
    assert {r["code"]: r["count"] for r in body["data"]["rows"] if r["count"]} == {"3310": 2}
    counties = city_client.get(api, {"parent": "3310", "industry": "3441"}).json()["data"]
    assert counties["level"] == 6
    assert [(r["code"], r["count"]) for r in counties["rows"] if r["count"]] == [("331081", 2)]
    assert all(len(r["seat"]) == 2 for r in counties["rows"] if r["code"] == "331081")
    refused = city_client.get(api, {"parent": "331081"})
    assert refused.status_code == 400 and "地级（4 位）" in refused.content.decode()
    matrix = city_client.get(reverse("api:dashboard-heatmap"), {"industry": "35"}).json()["data"]
    assert matrix["total"] == 3
    gap = city_client.get(reverse("api:dashboard-gap"), {"days": "100"}).json()["data"]
    assert gap["ranking"][0]["unanswered"] >= 1 and gap["unanswered_days"] == 100
    trend = city_client.get(reverse("api:dashboard-trend")).json()["data"]
    assert trend["totals"] == [1, 2, 2, 1, 0, 1]
    funnel = city_client.get(reverse("api:dashboard-funnel")).json()["data"]
    assert [s["count"] for s in funnel["steps"]] == [7, 4, 2, 1]
    cell = city_client.get(
        reverse("api:dashboard-heatmap-cell"), {"cell_region": "331004", "cell_industry": "C"}
    )
    assert cell.json()["data"]["needs"][0]["enterprise"] == HIDDEN_NAME
    summary = city_client.get(reverse("api:dashboard-summary"), {"service_type": "rd"}).json()["data"]
    assert summary["posted"] == 2


def test_university_roles_see_the_public_needs_of_their_region(client, dashboard_world):
    from tests.factories import CollegeAdminFactory, CollegeFactory, StoAdminFactory, UniversityFactory

    university = UniversityFactory(region=Region.objects.get(code="3310"))
    for user in (
        StoAdminFactory(university=university),
        CollegeAdminFactory(college=CollegeFactory(university=university)),
    ):
        client.force_login(user)
        response = client.get(PAGE)
        assert response.status_code == 200
        assert response.context["summary"]["posted"] == 5  # closed n5 and expired n6 are not public
    client.force_login(StoAdminFactory(university=UniversityFactory()))  # a university without a region
    assert client.get(PAGE).status_code == 403


def test_platform_admin_sees_the_country(client, dashboard_world):
    client.force_login(UserFactory(role=Role.PLATFORM_ADMIN))
    context = client.get(PAGE).context
    assert context["summary"]["posted"] == 8
    assert context["map_info"]["geo_url"].endswith("maps/china.json")
    assert {r["code"]: r["count"] for r in context["figures"]["regions"]["rows"] if r["count"]} == {"33": 8}


@pytest.mark.parametrize("days", ["²", "9" * 5000, "-3"])
def test_days_that_are_not_a_whole_number_answer_400_not_500(city_client, days):
    # "²" passes str.isdigit() but not int(); int() refuses more than 4,300 digits.
    response = city_client.get(PAGE, {"days": days})
    assert response.status_code == 400
    assert "未响应天数" in response.content.decode()


@pytest.mark.parametrize(
    ("scope", "picked", "labels", "chain"),
    [
        ("", "331002", "省份,城市,区县", ["33", "3310", "331002"]),
        ("33", "3310", "城市,区县", ["3310"]),
        ("3310", "331002", "区县", ["331002"]),
        ("3310", "", "区县", []),
        ("331002", "", "", []),  # a county's viewer has nothing to narrow
    ],
)
def test_the_region_picker_starts_under_the_viewers_own_region(reference_data, scope, picked, labels, chain):
    from insights.dashboard_filters import scope_of_region
    from insights.dashboard_views import _region_picker

    picker = _region_picker(scope_of_region(scope), picked)
    assert (picker["root"], picker["labels"], picker["chain"]) == (scope, labels, chain)


def test_a_municipality_map_shows_its_districts_not_its_placeholder_cities(client, dashboard_world):
    from tests.factories import EnterpriseFactory
    from tests.insights.conftest import at, make_need

    beijing = EnterpriseFactory(name="北京某科技有限公司")
    make_need(beijing, "朝阳区的需求", "3553", "110105", at(3, 1))
    make_need(beijing, "市辖区一级的需求", "3553", "1101", at(3, 2))
    client.force_login(viewer_of("11"))
    page = client.get(PAGE)  # a municipality's viewer opens on it
    assert page.status_code == 200
    regions = page.context["figures"]["regions"]
    assert regions["level"] == 6
    assert {r["code"]: r["count"] for r in regions["rows"] if r["count"]} == {"110105": 1}
    assert "110101" in {r["code"] for r in regions["rows"]}  # every district, zeros included
    assert regions["own_level"]["count"] == 1  # filed at 市辖区: above the districts
    assert page.context["map_info"]["outline"] == "11"
    assert "110105" in page.context["map_info"]["filterable"]
    assert page.context["map_info"]["geo_url"].endswith("maps/cities/11.json")
    assert "区县暂无边界数据" in page.content.decode()
    # from China, a click on 北京 goes straight to its districts
    china = client.get(PAGE, {"parent": ""}).context["map_info"]
    assert china["drillable"] == ["11"]


def test_a_provinces_directly_administered_counties_are_regions_of_its_map(client, dashboard_world):
    from tests.factories import EnterpriseFactory
    from tests.insights.conftest import at, make_need

    hubei = EnterpriseFactory(name="湖北某科技有限公司")
    make_need(hubei, "仙桃的需求", "3553", "429004", at(3, 1))
    make_need(hubei, "武汉的需求", "3553", "420102", at(3, 2))
    client.force_login(viewer_of("42"))
    regions = client.get(PAGE).context["figures"]["regions"]  # a province's viewer opens on its cities
    counts = {r["code"]: r["count"] for r in regions["rows"]}
    # 仙桃市 is a row of its own, as the map's boundary file has it; its placeholder 4290 is not
    assert counts["429004"] == 1 and counts["4201"] == 1 and "4290" not in counts
    assert "429005" in counts and regions["own_level"]["count"] == 0


def test_a_county_viewer_opens_on_its_city_and_may_filter_to_its_own_county_only(client, dashboard_world):
    client.force_login(viewer_of("331002"))
    page = client.get(PAGE)
    assert page.status_code == 200
    info = page.context["map_info"]
    assert info["outline"] == "3310" and info["filterable"] == ["331002"]
    counts = {r["code"]: r["count"] for r in page.context["figures"]["regions"]["rows"] if r["count"]}
    assert counts == {"331002": 2}  # the city's map, with only the viewer's own needs on it
    assert client.get(PAGE, {"region": "331081"}).status_code == 403  # another county stays out of reach


def test_a_municipality_viewers_matrix_has_its_districts_as_rows(client, dashboard_world):
    from tests.factories import EnterpriseFactory
    from tests.insights.conftest import at, make_need

    beijing = EnterpriseFactory(name="北京某科技有限公司")
    make_need(beijing, "朝阳区的需求", "3553", "110105", at(3, 1))
    make_need(beijing, "市辖区一级的需求", "3553", "1101", at(3, 2))
    client.force_login(viewer_of("11"))
    matrix = client.get(PAGE).context["figures"]["matrix"]
    rows = {
        r["code"]: (r["name"], total) for r, total in zip(matrix["rows"], matrix["row_totals"], strict=True)
    }
    assert rows["110105"] == ("朝阳区", 1) and rows["1101"] == ("市辖区（未分区县）", 1)
    assert matrix["total"] == 2
    cell = client.get(reverse("dashboard:cell"), {"cell_region": "1101", "cell_industry": "C"})
    assert "市辖区一级的需求" in cell.content.decode() and "朝阳区的需求" not in cell.content.decode()
