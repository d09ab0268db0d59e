"""Map data: boundary lines dropped, region codes derived, cities split per province; the committed
files under static/maps/ are what insights.geo builds and match the reference regions."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from insights.geo import build, clean, region_code
from reference.models import Region

MAPS = Path(settings.BASE_DIR) / "static" / "maps"
SHARED = Path(settings.BASE_DIR).parent / "shared" / "data"


def test_region_code_from_gb():
    assert region_code("156330000") == "33"
    assert region_code("156331000") == "3310"
    assert region_code("156429004") == "429004"
    assert region_code("") == ""
    assert region_code("330000") == ""


def test_clean_drops_boundary_lines_and_keeps_regions():
    square = [[[[120.123456, 28.1], [121.0, 28.1], [121.0, 29.0], [120.123456, 28.1]]]]
    source = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "境界线", "gb": ""},
             "geometry": {"type": "MultiLineString", "coordinates": [[[110, 10], [111, 11]]]}},
            {"type": "Feature", "properties": {"name": "台州市", "gb": "156331000"},
             "geometry": {"type": "MultiPolygon", "coordinates": square}},
            {"type": "Feature", "properties": {"name": "无代码", "gb": "x"},
             "geometry": {"type": "Polygon", "coordinates": square[0]}},
        ],
    }  # fmt: skip
    cleaned = clean(source)
    assert [f["properties"] for f in cleaned["features"]] == [{"name": "台州市", "code": "3310"}]
    assert cleaned["features"][0]["geometry"]["coordinates"][0][0][0] == [120.1235, 28.1]


def test_committed_maps_have_no_boundary_lines():
    china = json.loads((MAPS / "china.json").read_text(encoding="utf-8"))
    assert len(china["features"]) == 34
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in china["features"])
    assert "境界线" not in (MAPS / "china.json").read_text(encoding="utf-8")
    zhejiang = json.loads((MAPS / "cities" / "33.json").read_text(encoding="utf-8"))
    assert {f["properties"]["code"] for f in zhejiang["features"]} >= {"3301", "3310"}
    assert len(zhejiang["features"]) == 11


@pytest.mark.django_db
def test_map_codes_match_the_reference_regions(reference_data):
    china = json.loads((MAPS / "china.json").read_text(encoding="utf-8"))
    codes = {f["properties"]["code"] for f in china["features"]}
    provinces = set(Region.objects.filter(level=Region.Level.PROVINCE).values_list("code", flat=True))
    assert provinces <= codes  # plus 台湾, 香港, 澳门, which the statistical codes leave out
    zhejiang = json.loads((MAPS / "cities" / "33.json").read_text(encoding="utf-8"))
    cities = set(Region.objects.filter(parent__code="33").values_list("code", flat=True))
    assert {f["properties"]["code"] for f in zhejiang["features"]} == cities


@pytest.mark.skipif(not (SHARED / "map_china_provinces.geojson").exists(), reason="shared/data 不在本机")
def test_committed_maps_are_what_the_build_writes(tmp_path):
    counts = build(SHARED, tmp_path)
    assert counts == {"provinces": 34, "cities": 375, "files": 35}
    assert (tmp_path / "china.json").read_bytes() == (MAPS / "china.json").read_bytes()
    assert (tmp_path / "cities" / "33.json").read_bytes() == (MAPS / "cities" / "33.json").read_bytes()
