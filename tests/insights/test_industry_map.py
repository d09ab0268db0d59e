"""产业图谱: the numbers against a hand-computed fixture, region scoping, the page and its export."""

import csv
import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Enterprise, Role
from demand.models import Need
from engagements.models import Engagement
from insights.industry_map import IndustryMapError, industry_map, industry_map_rows, map_region_resolve
from reference.models import Industry, Region
from tests.factories import (
    AgencyFactory,
    EnterpriseFactory,
    EnterpriseUserFactory,
    StoAdminFactory,
    UniversityFactory,
    UserFactory,
    build_valid_team,
)

pytestmark = pytest.mark.django_db


def _enterprise(industry, region, status=Enterprise.Status.APPROVED):
    return EnterpriseFactory(
        industry=Industry.objects.get(code=industry), region=Region.objects.get(code=region), status=status
    )


def _need(enterprise, status, *, published=True):
    return Need.objects.create(
        enterprise=enterprise,
        title="需求",
        description="描述",
        industry=enterprise.industry,
        region=enterprise.region,
        status=status,
        published_at=timezone.now() if published else None,
    )


def _engage(need, team, status):
    return Engagement.objects.create(need=need, team=team, origin="interest", status=status)


def _gov_viewer(region_code):
    return UserFactory(
        role=Role.GOV_VIEWER, agency=AgencyFactory(region=Region.objects.get(code=region_code))
    )


@pytest.fixture
def world(reference_data):
    """台州: E1 (椒江, 3553) with N1 resolved by T1, N2 served by T1 (T2 declined), N3 unanswered, N4 draft;
    E2 (黄岩, 3511) with N5 agreed with T2 and only proposed to T3; E3 (椒江, 2922) with N6 expired after T3
    cancelled; E4 (椒江, 大类 35 only) without needs; E7 (椒江, 6513) with N8 resolved by T3; a pending
    enterprise with a need. 杭州: E6 (上城, 3553) with N7 completed by T1."""
    t1 = build_valid_team(status="active", name_suffix="一队")
    t2 = build_valid_team(status="active", name_suffix="二队")
    t3 = build_valid_team(status="active", name_suffix="三队")
    e1 = _enterprise("3553", "331002")
    e2 = _enterprise("3511", "331003")
    e3 = _enterprise("2922", "331002")
    _enterprise("35", "331002")
    e6 = _enterprise("3553", "330102")
    e7 = _enterprise("6513", "331002")
    pending = _enterprise("3553", "331002", status=Enterprise.Status.PENDING)

    n1 = _need(e1, Need.Status.RESOLVED)
    _engage(n1, t1, Engagement.Status.COMPLETED)
    n2 = _need(e1, Need.Status.ENGAGED)
    _engage(n2, t1, Engagement.Status.IN_SERVICE)
    _engage(n2, t2, Engagement.Status.DECLINED)
    _need(e1, Need.Status.PUBLISHED)
    n4 = _need(e1, Need.Status.DRAFT, published=False)
    _engage(n4, t3, Engagement.Status.COMPLETED)  # never published: not counted anywhere
    n5 = _need(e2, Need.Status.ENGAGED)
    _engage(n5, t2, Engagement.Status.AGREED)
    _engage(n5, t3, Engagement.Status.PROPOSED)
    n6 = _need(e3, Need.Status.EXPIRED)
    _engage(n6, t3, Engagement.Status.CANCELLED)
    n7 = _need(e6, Need.Status.RESOLVED)
    _engage(n7, t1, Engagement.Status.COMPLETED)
    n8 = _need(e7, Need.Status.RESOLVED)
    _engage(n8, t3, Engagement.Status.COMPLETED)
    np = _need(pending, Need.Status.PUBLISHED)
    _engage(np, t3, Engagement.Status.AGREED)


FIELDS = (
    "enterprises",
    "needs_posted",
    "needs_engaged",
    "needs_resolved",
    "needs_unanswered",
    "teams_serving",
    "engagements_open",
    "engagements_completed",
)


def _numbers(node):
    return tuple(getattr(node, f) for f in FIELDS)


def _flat(the_map):
    out = {}

    def walk(node):
        out[node.code] = node
        for child in node.children:
            walk(child)

    for section in the_map.sections:
        walk(section)
    return out


def test_the_map_of_a_city_matches_the_hand_count(world):
    the_map = industry_map(region=Region.objects.get(code="3310"))
    nodes = _flat(the_map)

    # enterprises, posted, engaged, resolved, unanswered, teams, open, completed
    assert _numbers(the_map.total) == (5, 6, 4, 2, 2, 3, 2, 2)
    assert [s.code for s in the_map.sections] == ["C", "I"]
    assert _numbers(nodes["C"]) == (4, 5, 3, 1, 2, 2, 2, 1)
    assert [d.code for d in nodes["C"].children] == ["29", "35"]
    assert _numbers(nodes["35"]) == (3, 4, 3, 1, 1, 2, 2, 1)
    assert [g.code for g in nodes["35"].children] == ["351", "355"]
    assert _numbers(nodes["355"]) == (1, 3, 2, 1, 1, 1, 1, 1)
    assert _numbers(nodes["351"]) == (1, 1, 1, 0, 0, 1, 1, 0)
    assert _numbers(nodes["29"]) == (1, 1, 0, 0, 1, 0, 0, 0)
    assert _numbers(nodes["292"]) == (1, 1, 0, 0, 1, 0, 0, 0)
    assert _numbers(nodes["I"]) == (1, 1, 1, 1, 0, 1, 0, 1)
    assert set(nodes) == {"C", "29", "292", "35", "351", "355", "I", "65", "651"}


def test_the_served_indicator_follows_the_coverage(world):
    nodes = _flat(industry_map(region=Region.objects.get(code="3310")))
    assert (nodes["C"].coverage_percent, nodes["C"].served_label) == (60.0, "服务良好")  # 3 of 5
    assert (nodes["355"].coverage_percent, nodes["355"].served) == (66.7, "good")  # 2 of 3
    assert (nodes["29"].coverage_percent, nodes["29"].served_label) == (0.0, "服务不足")


def test_a_county_and_the_province_see_their_own_enterprises(world):
    county = industry_map(region=Region.objects.get(code="331002"))
    # E1, E3, E4, E7 in 椒江; E2 (黄岩) not.
    assert _numbers(county.total) == (4, 5, 3, 2, 2, 2, 1, 2)
    assert "351" not in _flat(county)

    province = _flat(industry_map(region=Region.objects.get(code="33")))
    # E6 in 杭州 adds one enterprise and one need completed by T1, who already served 台州.
    assert _numbers(province["355"]) == (2, 4, 3, 2, 1, 1, 1, 2)
    assert _numbers(province["C"]) == (5, 6, 4, 2, 2, 2, 2, 2)


def test_the_whole_country_for_a_platform_administrator(world):
    the_map = industry_map(region=None)
    assert the_map.total.name == "全国"
    assert _numbers(the_map.total) == (6, 7, 5, 3, 2, 3, 2, 3)


def test_a_city_viewer_may_narrow_to_a_county_but_not_see_another_city(world):
    viewer = _gov_viewer("3310")
    assert map_region_resolve(viewer, "").code == "3310"
    assert map_region_resolve(viewer, "331002").code == "331002"
    from django.core.exceptions import PermissionDenied

    for code in ("3301", "330102", "33"):
        with pytest.raises(PermissionDenied):
            map_region_resolve(viewer, code)
    with pytest.raises(IndustryMapError):
        map_region_resolve(viewer, "999999")


def test_the_page_shows_the_tree_for_the_viewer_region(client, world):
    client.force_login(_gov_viewer("3310"))
    response = client.get(reverse("industry_map:page"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "台州市" in body and "专用设备制造业" in body and 'data-code="355"' in body
    assert "上城区" not in body
    # the treemap's data: the same tree as the table, for the chart script
    assert '<script id="industry-map-data" type="application/json">' in body
    assert response.context["sections"][0]["children"][1]["code"] == "35"


def test_the_page_refuses_another_city_and_roles_without_a_map(client, world):
    client.force_login(_gov_viewer("3301"))
    assert client.get(reverse("industry_map:page"), {"region": "3310"}).status_code == 403
    assert client.get(reverse("industry_map:page"), {"region": "331002", "format": "xlsx"}).status_code == 403
    for user in (EnterpriseUserFactory(), UserFactory(role=Role.TEAM_MEMBER, college=None)):
        client.force_login(user)
        assert client.get(reverse("industry_map:page")).status_code == 403
    client.logout()
    assert client.get(reverse("industry_map:page")).status_code == 302


def test_an_unknown_region_code_is_a_chinese_error_not_a_500(client, world):
    client.force_login(UserFactory(role=Role.PLATFORM_ADMIN))
    response = client.get(reverse("industry_map:page"), {"region": "<b>x</b>"})
    assert response.status_code == 400
    assert "未知的地区代码" in response.content.decode()
    assert "<b>x</b>" not in response.content.decode()


def test_the_office_sees_its_university_region(client, world):
    office = StoAdminFactory(university=UniversityFactory(region=Region.objects.get(code="3310")))
    client.force_login(office)
    response = client.get(reverse("industry_map:page"))
    assert response.status_code == 200
    assert client.get(reverse("industry_map:page"), {"region": "3301"}).status_code == 403
    office_without_region = StoAdminFactory()
    client.force_login(office_without_region)
    assert client.get(reverse("industry_map:page")).status_code == 403


def test_the_xlsx_export_holds_exactly_the_rows_shown(client, world):
    client.force_login(_gov_viewer("3310"))
    response = client.get(reverse("industry_map:page"), {"region": "3310", "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    exported = [list(row) for row in sheet.iter_rows(values_only=True)]
    expected = [row.cells for row in industry_map_rows(industry_map(region=Region.objects.get(code="3310")))]
    assert exported[0][:3] == ["层级", "行业代码", "行业名称"]
    # openpyxl reads an empty string back as None
    assert exported[1:] == [[None if v == "" else v for v in row] for row in expected]
    assert exported[1][:5] == ["合计", None, "台州市", 5, 6]


def test_the_csv_export_neutralises_formula_prefixes(client, world):
    # An enterprise cannot name an industry, but the total row carries the region name: make it hostile.
    Region.objects.filter(code="3310").update(name="=HYPERLINK(1)")
    client.force_login(_gov_viewer("3310"))
    response = client.get(reverse("industry_map:page"), {"format": "csv"})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][2] == "'=HYPERLINK(1)"
    assert [r[1] for r in rows[1:]] == ["", "C", "29", "292", "35", "351", "355", "I", "65", "651"]


def _published_long_ago(*needs_of_enterprise_codes):
    """Move the needs of the named enterprises' industries to 2024-03-10 (China time)."""
    moved = timezone.make_aware(timezone.datetime(2024, 3, 10, 9, 0))
    return Need.objects.filter(
        enterprise__industry__code__in=needs_of_enterprise_codes, published_at__isnull=False
    ).update(published_at=moved)


def test_a_period_counts_only_needs_published_in_it_and_their_engagements(world):
    from datetime import date

    from insights.industry_map import MapPeriod

    # given the 3553 needs (N1 resolved by T1, N2 served by T1, N3 unanswered) were posted in 2024
    assert _published_long_ago("3553") == 5  # N1–N3, the pending enterprise's and N7 of 杭州
    city = Region.objects.get(code="3310")

    recent = _flat(industry_map(region=city, period=MapPeriod(date(2025, 1, 1), None)))
    # 355 keeps its enterprise but has nothing posted in the period
    assert _numbers(recent["355"]) == (1, 0, 0, 0, 0, 0, 0, 0)
    assert recent["355"].served_label == "暂无需求"
    assert _numbers(recent["351"]) == (1, 1, 1, 0, 0, 1, 1, 0)

    back_then = industry_map(region=city, period=MapPeriod(date(2024, 3, 10), date(2024, 3, 10)))
    nodes = _flat(back_then)
    assert _numbers(nodes["355"]) == (1, 3, 2, 1, 1, 1, 1, 1)
    assert _numbers(back_then.total) == (5, 3, 2, 1, 1, 1, 1, 1)
    assert _numbers(nodes["351"])[1:] == (0, 0, 0, 0, 0, 0, 0)


def test_the_page_and_export_keep_the_period_and_refuse_a_bad_one(client, world):
    _published_long_ago("3553")
    client.force_login(_gov_viewer("3310"))
    page = reverse("industry_map:page")
    response = client.get(page, {"date_from": "2025-01-01"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "需求发布于 2025-01-01 至 至今" in body
    assert "date_from=2025-01-01&amp;format=xlsx" in body  # the export link keeps the period
    assert response.context["sections"][0]["children"][1]["children"][1]["needs_posted"] == 0

    export = client.get(page, {"date_from": "2025-01-01", "format": "csv"})
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[1][:5] == ["合计", "", "台州市", "5", "3"]
    assert unquote(export["Content-Disposition"]).endswith("产业图谱_台州市_2025-01-01至至今.csv")

    for bad, message in (
        ({"date_from": "2025-13-01"}, "开始日期格式应为 YYYY-MM-DD"),
        ({"date_from": "2025-02-01", "date_to": "2025-01-01"}, "结束日期不能早于开始日期"),
    ):
        response = client.get(page, bad)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert client.get(page, {**bad, "format": "xlsx"}).status_code == 400
