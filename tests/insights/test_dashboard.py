"""The dashboard selectors against a hand-made world whose numbers are worked out below, each filter,
and scoping: a city viewer asking for another city's data is refused and learns nothing.

The world (台州 3310 unless said; "now" is 2026-06-30 12:00 China time; unanswered after 30 days):

| need | industry | region | published (China time) | budget | status | engaged / resolved | other |
|---|---|---|---|---|---|---|---|
| n1 | 3553 (C/35) | 331002 椒江 | 01-10 10:00 | max 50 | engaged | +10 d | rec 0.8 #1 (strong), diagnosis |
| n2 | 3553 | 331002 | 02-05 10:00 | min 20 | resolved | +20 d / +80 d | rec 0.3 #1 (weak), rd |
| n3 | 3441 (C/34) | 331081 温岭 | 03-01 07:00 (02-28 in UTC) | — | published | — | rec 0.6 #1 (strong) |
| n4 | 3441 | 331081 | 06-20 10:00 (recent) | — | published | — | |
| n5 | 0164 (A/01) | 331003 黄岩 | 02-15 10:00 | max 10 | closed | — | a team's interest (declined) |
| n6 | C (门类 only) | 3310 itself | 03-31 23:30 (still March) | — | expired | — | |
| n9 | 3553 | 331004 路桥 | 04-01 10:00 | max 30 | published, name hidden | — | invitation only; rec 0.9 #6 (not strong) |
| n7 | 3553 | 330106 杭州 | 01-15 | — | published | — | outside 台州 |
| n8 | 3553 | 331002 | draft, never published | | | | never counted |
"""

from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import Role
from demand.selectors import HIDDEN_NAME
from insights import dashboard as d
from insights.dashboard_filters import (
    NO_FILTERS,
    FilterError,
    OutOfScope,
    parse_filters,
    scope_for,
    scope_of_region,
)
from reference.models import Region
from tests.factories import (
    AgencyFactory,
    EnterpriseUserFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    UniversityFactory,
    UserFactory,
)
from tests.insights.conftest import NOW

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------------------------ scope


def test_scope_by_role(reference_data):
    city = UserFactory(role=Role.GOV_VIEWER, agency=AgencyFactory(region=Region.objects.get(code="3310")))
    assert scope_for(city).region_code == "3310"
    assert scope_for(UserFactory(role=Role.PLATFORM_ADMIN)).region_code == ""
    university = UniversityFactory(region=Region.objects.get(code="3310"))
    office = StoAdminFactory(university=university)
    assert scope_for(office).region_code == "3310"
    assert set(scope_for(office).statuses) == {"published", "engaged", "resolved"}
    assert scope_for(StoAdminFactory(university=UniversityFactory())) is None  # no region, no view
    assert scope_for(TeamMemberUserFactory()) is None
    assert scope_for(EnterpriseUserFactory()) is None


def test_university_view_counts_public_needs_only(dashboard_world):
    office = StoAdminFactory(university=UniversityFactory(region=Region.objects.get(code="3310")))
    summary = d.dashboard_summary(scope_for(office), now=NOW)
    assert summary["posted"] == 5  # n1 n2 n3 n4 n9; closed n5 and expired n6 are not public


def test_county_viewer_sees_only_its_county(dashboard_world):
    viewer = UserFactory(role=Role.GOV_VIEWER, agency=AgencyFactory(region=Region.objects.get(code="331002")))
    summary = d.dashboard_summary(scope_for(viewer), now=NOW)
    assert summary["posted"] == 2
    assert summary["budget"] == 70.0


# ---------------------------------------------------------------------------------------------- filters


def test_parse_filters_reads_valid_values(reference_data):
    f = parse_filters(
        {
            "date_from": "2026-03-01",
            "date_to": "2026-03-31",
            "industry": "c",
            "region": "331000",
            "status": "closed",
        }
    )
    assert (f.industry, f.region, f.status) == ("C", "3310", "closed")
    assert parse_filters({}) == NO_FILTERS


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"date_from": "2026/03/01"}, "date_from", "YYYY-MM-DD"),
        ({"date_from": "2026-04-01", "date_to": "2026-03-01"}, "date_to", "不能早于"),
        ({"date_to": "9999-12-31"}, "date_to", "2100"),
        ({"date_from": "0001-01-01"}, "date_from", "1990"),
        ({"industry": "9999"}, "industry", "不存在"),
        ({"industry": "C<script>"}, "industry", "不存在"),
        ({"service_type": "massage"}, "service_type", "无效"),
        ({"status": "draft"}, "status", "无效"),
        ({"region": "999999"}, "region", "不存在"),
        ({"region": "hz"}, "region", "不存在"),
    ],
)
def test_parse_filters_rejects_bad_values_in_chinese(reference_data, params, field, words):
    with pytest.raises(FilterError) as info:
        parse_filters(params)
    assert words in info.value.errors[field]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, 7),
        ({"industry": "35"}, 3),  # n1 n2 n9
        ({"industry": "3441"}, 2),
        ({"industry": "A"}, 1),  # n5, through the parent chain
        ({"industry": "C"}, 6),
        ({"service_type": "rd"}, 2),  # n2 n9
        ({"status": "published"}, 3),  # n3 n4 n9
        ({"region": "331002"}, 2),
        ({"date_from": "2026-03-01", "date_to": "2026-03-31"}, 2),  # n3 (28 Feb in UTC) and n6 (31 Mar 23:30)
        ({"date_to": "2026-01-31"}, 1),
    ],
)
def test_each_filter(dashboard_world, taizhou, params, expected):
    assert d.dashboard_summary(taizhou, parse_filters(params), now=NOW)["posted"] == expected


# -------------------------------------------------------------------------------------- needs by region


def test_needs_by_region_provinces(dashboard_world, taizhou):
    rows = {r["code"]: r for r in d.needs_by_region(taizhou)["rows"]}
    assert len(rows) == 31
    assert rows["33"]["count"] == 7 and rows["33"]["budget"] == 110.0  # 50 + 20 (min) + 10 + 30
    assert sum(r["count"] for r in rows.values()) == 7  # 杭州's need is not in 台州's scope
    everything = {r["code"]: r["count"] for r in d.needs_by_region(scope_of_region(""))["rows"]}
    assert everything["33"] == 8


def test_needs_by_region_drills_down(dashboard_world, taizhou):
    cities = d.needs_by_region(taizhou, parent="33")
    assert {r["code"]: r["count"] for r in cities["rows"] if r["count"]} == {"3310": 7}
    counties = d.needs_by_region(taizhou, parent="3310")
    assert {r["code"]: (r["count"], r["budget"]) for r in counties["rows"] if r["count"]} == {
        "331002": (2, 70.0),
        "331003": (1, 10.0),
        "331004": (1, 30.0),
        "331081": (2, 0.0),
    }
    assert counties["own_level"] == {"count": 1, "budget": 0.0}  # n6, filed at 台州市 itself
    assert counties["level"] == 6


def test_filters_change_the_map(dashboard_world, taizhou):
    rows = d.needs_by_region(taizhou, parse_filters({"industry": "3441"}), parent="3310")["rows"]
    assert {r["code"]: r["count"] for r in rows if r["count"]} == {"331081": 2}


# ----------------------------------------------------------------------------------------------- matrix


def test_matrix_by_section(dashboard_world, taizhou):
    m = d.region_industry_matrix(taizhou)
    rows = [r["code"] for r in m["rows"]]
    assert rows[0] == "3310" and m["rows"][0]["name"] == "台州市本级"
    assert len(m["columns"]) == 20
    cols = [c["code"] for c in m["columns"]]

    def cell(region, industry):
        return m["cells"][rows.index(region)][cols.index(industry)]

    assert (cell("331002", "C"), cell("331003", "A"), cell("331004", "C"), cell("331081", "C")) == (
        2,
        1,
        1,
        2,
    )
    assert cell("3310", "C") == 1
    assert m["total"] == 7
    assert m["column_totals"][cols.index("C")] == 6
    assert m["row_totals"][rows.index("331081")] == 2


def test_matrix_by_division(dashboard_world, taizhou):
    m = d.region_industry_matrix(taizhou, level="division")
    cols = [c["code"] for c in m["columns"]]
    assert cols == ["", "01", "34", "35"]
    assert m["column_totals"] == [1, 1, 2, 3]


def test_matrix_cell_lists_public_needs_with_the_display_name(dashboard_world, taizhou):
    cell = d.matrix_cell_needs(taizhou, region="331004", industry="C")
    assert cell["count"] == 1
    assert [n["title"] for n in cell["needs"]] == ["模具冷却"]
    assert cell["needs"][0]["enterprise"] == HIDDEN_NAME
    closed = d.matrix_cell_needs(taizhou, region="331003", industry="A")
    assert (closed["count"], closed["not_public"], closed["needs"]) == (1, 1, [])
    own = d.matrix_cell_needs(taizhou, region="3310", industry="C")  # the 本级 row: only n6, not n1…n9
    assert own["count"] == 1
    both = d.matrix_cell_needs(taizhou, region="331002", industry="C")
    assert {n["title"] for n in both["needs"]} == {"平缝机减振", "包缝机降噪"}


# ------------------------------------------------------------------------------------------- supply gap


def test_supply_gap_per_region_and_industry(dashboard_world, taizhou):
    rows = {(r["region"], r["industry"]): r for r in d.supply_gap(taizhou, now=NOW)}
    assert set(rows) == {("331002", "C"), ("331081", "C"), ("331004", "C"), ("3310", "C"), ("331003", "A")}

    def measures(key):
        r = rows[key]
        return (r["posted"], r["strong"], r["engaged"], r["resolved"], r["unanswered"])

    assert measures(("331002", "C")) == (2, 1, 2, 1, 0)
    assert measures(("331081", "C")) == (2, 1, 0, 0, 1)  # n3 unanswered, n4 too recent
    assert measures(("331004", "C")) == (1, 0, 0, 0, 1)  # an invitation is no answer; rank 6 is not strong
    assert measures(("3310", "C")) == (1, 0, 0, 0, 1)  # expired without an answer
    assert measures(("331003", "A")) == (1, 0, 0, 0, 0)  # a team expressed interest
    assert rows[("331081", "C")]["unanswered_rate"] == 0.5


def test_unanswered_ranking(dashboard_world, taizhou):
    by_section = d.unanswered_ranking(taizhou, now=NOW)
    assert [(r["rank"], r["industry"], r["posted"], r["unanswered"]) for r in by_section] == [(1, "C", 6, 3)]
    by_division = d.unanswered_ranking(taizhou, level="division", now=NOW)
    # one each; then the larger share first: "" 1/1, 34 1/2, 35 1/3
    assert [r["industry"] for r in by_division] == ["", "34", "35"]
    longer = d.unanswered_ranking(taizhou, unanswered_days=100, now=NOW)  # only n3 (03-01) is that old
    assert [(r["industry"], r["unanswered"]) for r in longer] == [("C", 1)]


def test_summary(dashboard_world, taizhou):
    s = d.dashboard_summary(taizhou, now=NOW)
    assert (s["posted"], s["strong"], s["engaged"], s["resolved"], s["unanswered"]) == (7, 2, 2, 1, 3)
    assert s["budget"] == 110.0


# ------------------------------------------------------------------------------------------------ trend


def test_monthly_trend(dashboard_world, taizhou):
    t = d.monthly_trend(taizhou)
    assert t["months"] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    series = {s["code"]: s["counts"] for s in t["series"]}
    assert series == {"C": [1, 1, 2, 1, 0, 1], "A": [0, 1, 0, 0, 0, 0]}
    assert t["series"][0]["code"] == "C"
    assert t["totals"] == [1, 2, 2, 1, 0, 1]
    narrowed = d.monthly_trend(taizhou, parse_filters({"industry": "A"}))
    assert [s["counts"] for s in narrowed["series"]] == [[1]]


def test_trend_folds_small_industries_into_other(dashboard_world, taizhou):
    t = d.monthly_trend(taizhou, level="division", top=2)
    assert [s["code"] for s in t["series"]] == ["35", "34", "other"]
    assert sum(t["series"][2]["counts"]) == 2  # 01 and the 门类-only need


# ----------------------------------------------------------------------------------------------- funnel


def test_funnel(dashboard_world, taizhou):
    steps = {s["key"]: s for s in d.matching_funnel(taizhou)["steps"]}
    assert [steps[k]["count"] for k in ("posted", "recommended", "engaged", "completed")] == [7, 4, 2, 1]
    assert steps["engaged"]["median_days"] == 15.0  # 10 and 20
    assert steps["completed"]["median_days"] == 60.0
    # first recommended after 1, 2, 3 (n3: 03-01 07:00 → 03-04 07:00) and 4 days (n9)
    assert steps["recommended"]["median_days"] == 2.5
    assert steps["engaged"]["step_rate"] == 0.5
    assert steps["posted"]["median_days"] is None


def test_funnel_with_nothing(reference_data, taizhou):
    steps = d.matching_funnel(taizhou)["steps"]
    assert [s["count"] for s in steps] == [0, 0, 0, 0]
    assert all(s["median_days"] is None for s in steps)


# --------------------------------------------------------------------------------------- out of scope


def test_city_viewer_cannot_ask_for_another_city(dashboard_world):
    viewer = UserFactory(role=Role.GOV_VIEWER, agency=AgencyFactory(region=Region.objects.get(code="3310")))
    scope = scope_for(viewer)
    hangzhou = parse_filters({"region": "3301"})
    for call in (
        lambda: d.dashboard_summary(scope, hangzhou),
        lambda: d.needs_by_region(scope, hangzhou),
        lambda: d.region_industry_matrix(scope, hangzhou),
        lambda: d.supply_gap(scope, hangzhou),
        lambda: d.unanswered_ranking(scope, hangzhou),
        lambda: d.monthly_trend(scope, hangzhou),
        lambda: d.matching_funnel(scope, hangzhou),
        lambda: d.needs_by_region(scope, parent="3301"),
        lambda: d.needs_by_region(scope, parent="32"),
        lambda: d.matrix_cell_needs(scope, region="330106", industry="C"),
    ):
        with pytest.raises(OutOfScope):
            call()
    # drilling through its own province is allowed, and shows only its own city
    rows = d.needs_by_region(scope, parent="33")["rows"]
    assert {r["code"] for r in rows if r["count"]} == {"3310"}


def test_results_are_json(dashboard_world, taizhou):
    import json

    for value in (
        d.needs_by_region(taizhou),
        d.region_industry_matrix(taizhou),
        d.supply_gap(taizhou, now=NOW),
        d.monthly_trend(taizhou),
        d.matching_funnel(taizhou),
        d.matrix_cell_needs(taizhou, region="331002", industry="C"),
    ):
        json.dumps(value)


def test_fixture_n3_straddles_midnight_utc(dashboard_world):
    """The date filter test relies on n3 being 1 March in China and 28 February in UTC."""
    assert timezone.localtime(dashboard_world[3].published_at).date().isoformat() == "2026-03-01"
    assert dashboard_world[3].published_at.astimezone(ZoneInfo("UTC")).day == 28
