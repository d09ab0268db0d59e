import pytest

from reference import selectors
from reference.models import Discipline, Industry, Region
from reference.selectors import (
    discipline_ancestors,
    discipline_find,
    discipline_get,
    industry_ancestors,
    industry_find,
    industry_get,
    industry_tree_distance,
    region_ancestors,
    region_descendant_codes,
    region_distance_km,
    region_find,
    region_get,
)

pytestmark = pytest.mark.django_db


def codes(rows):
    return [row.code for row in rows]


# ---- industries


def test_industry_get_by_code(reference_data):
    assert industry_get("3511").name == "矿山机械制造"
    assert industry_get(" c ").name == "制造业"
    assert industry_get("9999") is None
    assert industry_get("") is None


def test_industry_find_exact_then_contains(reference_data):
    assert codes(industry_find("矿山机械制造")) == ["3511"]
    assert "3511" in codes(industry_find("矿山机械"))
    contains = list(industry_find("种植"))
    assert len(contains) > 1
    assert all("种植" in row.name for row in contains)
    assert [row.level for row in contains] == sorted(row.level for row in contains)
    assert codes(industry_find("种植", level=Industry.Level.GROUP)) == sorted(
        codes(Industry.objects.filter(level=2, name__contains="种植"))
    )
    assert not industry_find("不存在的行业").exists()
    assert not industry_find("  ").exists()


def test_industry_ancestors_up_to_the_section(reference_data):
    assert codes(industry_ancestors(industry_get("3511"))) == ["351", "35", "C"]
    assert [a.name for a in industry_ancestors("3511")] == [
        "采矿、冶金、建筑专用设备制造",
        "专用设备制造业",
        "制造业",
    ]
    assert industry_ancestors("C") == []
    assert industry_ancestors("nope") == []


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("3511", "3511", 0),
        ("3511", "351", 1),
        ("351", "3511", 1),
        ("3511", "3512", 2),
        ("3511", "35", 2),
        ("3511", "C", 3),
        ("3511", "3521", 4),
        ("3511", "1311", 6),
        ("C", "C", 0),
        ("3511", "0111", None),
        ("A", "C", None),
        ("3511", "9999", None),
    ],
)
def test_industry_tree_distance(reference_data, a, b, distance):
    assert industry_tree_distance(a, b) == distance
    assert industry_tree_distance(b, a) == distance


def test_industry_tree_distance_takes_rows_and_survives_a_cleared_cache(reference_data):
    selectors.clear_caches()
    assert industry_tree_distance(industry_get("3511"), "3512") == 2
    assert industry_tree_distance("3511", "3512") == 2


# ---- regions


def test_region_get_by_code_and_adcode(reference_data):
    taizhou = region_get("3310")
    assert taizhou.name == "台州市"
    assert taizhou.level == Region.Level.CITY
    assert taizhou.parent.code == "33"
    assert taizhou.parent.name == "浙江省"
    assert region_get("331000") == taizhou
    assert region_get("331000000000") == taizhou
    assert region_get("330000").name == "浙江省"
    jiaojiang = region_get("331002")
    assert jiaojiang.name == "椒江区"
    assert jiaojiang.parent == taizhou
    assert region_get("999999") is None
    assert region_get(None) is None


def test_region_find_exact_then_contains(reference_data):
    assert codes(region_find("椒江区")) == ["331002"]
    assert codes(region_find("台州")) == ["3310"]
    assert sorted(codes(region_find("朝阳区"))) == ["110105", "220104"]  # 北京 and 长春
    assert codes(region_find("浙江", level=Region.Level.PROVINCE)) == ["33"]
    assert not region_find("不存在").exists()


def test_region_ancestors(reference_data):
    assert [r.name for r in region_ancestors(region_get("331002"))] == ["台州市", "浙江省"]
    assert [r.name for r in region_ancestors("3310")] == ["浙江省"]
    assert region_ancestors("33") == []
    assert [r.name for r in region_ancestors("110105")] == ["市辖区", "北京市"]


def test_region_descendant_codes(reference_data):
    taizhou = region_descendant_codes(region_get("3310"))
    assert taizhou[0] == "3310"
    assert "331002" in taizhou
    assert len(taizhou) == 1 + Region.objects.filter(parent__code="3310").count()
    zhejiang = region_descendant_codes("33")
    expected = (
        1
        + Region.objects.filter(parent__code="33").count()
        + Region.objects.filter(parent__parent__code="33").count()
    )
    assert len(zhejiang) == expected
    assert set(taizhou) < set(zhejiang)
    assert region_descendant_codes("331002") == ["331002"]
    assert not any(code.startswith("32") for code in zhejiang)


def test_region_distance_km(reference_data):
    distance = region_distance_km(region_get("331002"), region_get("3301"))  # 椒江区 – 杭州市
    assert distance == pytest.approx(212, abs=15)
    assert region_distance_km("331002", "3301") == pytest.approx(distance)
    assert region_distance_km("331002", "331002") == 0
    assert region_distance_km("11", "31") == pytest.approx(1070, abs=50)  # 北京 – 上海
    assert region_distance_km("331002", "4290") is None  # 省直辖县级行政区划: no seat
    assert region_distance_km("331002", "999999") is None


# ---- disciplines


def test_discipline_get_and_ancestors(reference_data):
    assert discipline_get("csl", "CSL01").name == "材料科学与工程"
    assert discipline_get(Discipline.Scheme.CSL, "csl67").level == 0
    leaf = discipline_get("nsfc", "A010101")
    assert leaf.name == "解析数论"
    assert leaf.name_en == "Analytical number theory"
    assert leaf.level == 2
    assert [(d.code, d.name) for d in discipline_ancestors(leaf)] == [("A0101", "数论"), ("A01", "数学")]
    assert discipline_ancestors(discipline_get("nsfc", "A01")) == []
    assert discipline_get("nsfc", "Z99") is None
    assert discipline_get("csl", "A01") is None


def test_discipline_find(reference_data):
    assert sorted((d.scheme, d.code) for d in discipline_find("数学")) == [("csl", "CSL40"), ("nsfc", "A01")]
    assert codes(discipline_find("数学", scheme="nsfc")) == ["A01"]
    assert codes(discipline_find("数论", scheme="nsfc")) == ["A0101"]
    found = discipline_find("数论", scheme="nsfc", level=2)
    assert found.exists()
    assert all("数论" in d.name and d.level == 2 for d in found)
