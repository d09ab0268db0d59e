"""Load the reference taxonomies from the files in ``reference/fixtures/`` (see PROVENANCE.md there).

Every loader reads and validates its files completely before it writes anything; a broken row raises
:class:`ReferenceDataError` naming the file and line, and the database is left as it was. Rows are then
upserted by code inside one transaction with bulk operations: a second run with the same files creates and
updates nothing, and every row keeps its primary key (other apps point at these rows with PROTECT foreign
keys, so rows no longer in the files are left in place, never deleted).

Each loader takes an optional ``directory`` (default: the fixtures shipped with the app) and returns a
JSON-safe dict of counts::

    {"total": 1971, "created": 0, "updated": 0, "by_level": {"0": 20, "1": 97, "2": 473, "3": 1381}}

:func:`load_all` loads every taxonomy in one transaction and returns
``{"industry": {...}, "region": {...}, "discipline_csl": {...}, "discipline_nsfc": {...}}``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import connection, transaction

from reference.models import Discipline, Industry, Region

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"

INDUSTRY_FILE = "industry_gbt4754_2017.csv"
PROVINCES_FILE = "regions_provinces.csv"
CITIES_FILE = "regions_cities.csv"
COUNTIES_FILE = "regions_counties.csv"
SEATS_FILE = "regions_seats_lnglat.csv"
NSFC_FILE = "disciplines_nsfc.jsonl"
CSL_FILE = "disciplines_csl67.txt"

# Seat coordinates must fall inside China's extent (南海诸岛 included); anything else is a broken row.
_LNG_RANGE = (Decimal("73"), Decimal("136"))
_LAT_RANGE = (Decimal("3"), Decimal("54"))
_COORD_PLACES = Decimal("0.000001")
_BATCH = 500

# The pattern a GB/T 4754 code has at each level: 门类 letter, then 2/3/4 digits.
_INDUSTRY_CODE = {
    0: re.compile(r"[A-T]"),
    1: re.compile(r"\d{2}"),
    2: re.compile(r"\d{3}"),
    3: re.compile(r"\d{4}"),
}
_NSFC_CODE = re.compile(r"[A-Z]\d{2}(\d{2}){0,2}")


class ReferenceDataError(ValueError):
    """A reference file is missing or has a broken row; ``file`` and ``line`` say where."""

    def __init__(self, file: str, line: int | None, message: str):
        self.file = file
        self.line = line
        self.message = message
        where = f"{file} 第 {line} 行" if line else file
        super().__init__(f"{where}：{message}")


@dataclass
class _Row:
    """One node to upsert: its code, its field values, its parent's code, where it came from."""

    code: str
    values: dict
    parent: str | None
    depth: int
    file: str
    line: int


@dataclass
class _Result:
    total: int = 0
    created: int = 0
    updated: int = 0
    by_level: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "by_level": dict(self.by_level),
            **self.extra,
        }


# ---------------------------------------------------------------------------------------------- reading


def _dir(directory) -> Path:
    return Path(directory) if directory is not None else FIXTURES_DIR


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise ReferenceDataError(path.name, None, f"找不到文件（{path}）")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReferenceDataError(path.name, line, "不是 UTF-8 编码的文本") from exc


def _csv_rows(path: Path, required: list[str]):
    """Yield (line number, row dict) for each data row, the values stripped; check the header and widths."""
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ReferenceDataError(path.name, 1, "文件为空，缺少表头") from None
    except csv.Error as exc:
        raise ReferenceDataError(path.name, 1, f"CSV 格式错误（{exc}）") from exc
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise ReferenceDataError(
            path.name, 1, f"表头缺少列 {', '.join(missing)}（表头为 {', '.join(header)}）"
        )
    start = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ReferenceDataError(path.name, start, f"CSV 格式错误（{exc}）") from exc
        line, start = start, reader.line_num + 1
        if not values or all(not v.strip() for v in values):
            raise ReferenceDataError(path.name, line, "空行")
        if len(values) != len(header):
            raise ReferenceDataError(path.name, line, f"应有 {len(header)} 个字段，实有 {len(values)} 个")
        yield line, {h: v.strip() for h, v in zip(header, values, strict=True)}


def _check_len(name: str, line: int, label: str, value: str, max_length: int):
    if not value:
        raise ReferenceDataError(name, line, f"{label}为空")
    if len(value) > max_length:
        raise ReferenceDataError(name, line, f"{label}“{value}”超过 {max_length} 个字符")


def _index_unique(rows: list[_Row], seen: dict[str, _Row] | None = None) -> dict[str, _Row]:
    seen = {} if seen is None else seen
    for row in rows:
        if row.code in seen:
            first = seen[row.code]
            raise ReferenceDataError(
                row.file, row.line, f"代码 {row.code} 重复（已见于 {first.file} 第 {first.line} 行）"
            )
        seen[row.code] = row
    return seen


def read_industries(directory=None) -> list[_Row]:
    """Parse and validate the GB/T 4754-2017 file; raise ReferenceDataError on the first broken row."""
    path = _dir(directory) / INDUSTRY_FILE
    name = path.name
    max_code = Industry._meta.get_field("code").max_length
    max_name = Industry._meta.get_field("name").max_length
    rows = []
    for line, rec in _csv_rows(path, ["code", "name", "parent_code", "level"]):
        try:
            level = int(rec["level"])
        except ValueError:
            level = None
        if level not in _INDUSTRY_CODE:
            raise ReferenceDataError(name, line, f"层级“{rec['level']}”应为 0–3 的整数")
        code = rec["code"]
        _check_len(name, line, "代码", code, max_code)
        if not _INDUSTRY_CODE[level].fullmatch(code):
            raise ReferenceDataError(name, line, f"代码“{code}”与层级 {level} 不符")
        _check_len(name, line, "名称", rec["name"], max_name)
        parent = rec["parent_code"] or None
        if level == 0 and parent:
            raise ReferenceDataError(name, line, f"门类 {code} 不应有上级代码（为“{parent}”）")
        if level > 0 and not parent:
            raise ReferenceDataError(name, line, f"代码 {code} 缺少上级代码")
        if level >= 2 and not code.startswith(parent):
            raise ReferenceDataError(name, line, f"代码 {code} 不以上级代码 {parent} 开头")
        values = {"name": rec["name"], "level": level, "description": rec.get("description", "")}
        rows.append(_Row(code, values, parent, level, name, line))
    by_code = _index_unique(rows)
    for row in rows:
        if row.parent is None:
            continue
        parent = by_code.get(row.parent)
        if parent is None:
            raise ReferenceDataError(name, row.line, f"上级代码 {row.parent} 不存在")
        if parent.depth != row.depth - 1:
            raise ReferenceDataError(
                name, row.line, f"上级 {row.parent} 的层级为 {parent.depth}，应为 {row.depth - 1}"
            )
    return rows


def _read_seats(path: Path) -> dict[str, tuple[str, Decimal, Decimal]]:
    """adcode's first 6 digits → (name, longitude, latitude); rows with blank coordinates are left out."""
    name = path.name
    seats: dict[str, tuple[str, Decimal, Decimal]] = {}
    lines: dict[str, int] = {}
    for line, rec in _csv_rows(path, ["adcode", "longitude", "latitude"]):
        adcode = rec["adcode"]
        if not re.fullmatch(r"\d{12}", adcode):
            raise ReferenceDataError(name, line, f"adcode“{adcode}”应为 12 位数字")
        if adcode in lines:
            raise ReferenceDataError(name, line, f"adcode {adcode} 重复（已见于第 {lines[adcode]} 行）")
        lines[adcode] = line
        lng, lat = rec["longitude"], rec["latitude"]
        if not lng and not lat:
            continue
        if not lng or not lat:
            raise ReferenceDataError(name, line, "经度和纬度应同时填写或同时留空")
        try:
            lng_d, lat_d = Decimal(lng), Decimal(lat)
        except InvalidOperation:
            raise ReferenceDataError(name, line, f"坐标“{lng}, {lat}”不是数字") from None
        if not (_LNG_RANGE[0] <= lng_d <= _LNG_RANGE[1] and _LAT_RANGE[0] <= lat_d <= _LAT_RANGE[1]):
            raise ReferenceDataError(name, line, f"坐标“{lng}, {lat}”不在中国范围内")
        if adcode.endswith("000000"):
            seats[adcode[:6]] = (
                rec.get("name", ""),
                lng_d.quantize(_COORD_PLACES),
                lat_d.quantize(_COORD_PLACES),
            )
    return seats


_COUNTY_SUFFIX = re.compile(r"(?:自治县|自治旗|县|市|区|旗)$")


def _former_seats(
    seats: dict[str, tuple[str, Decimal, Decimal]],
) -> Callable[[_Row], tuple[Decimal, Decimal] | None]:
    """A lookup for the seat of a county the seat file knows under its former code: the same name stem
    in the same city (玉环县 331021 is now 玉环市 331083), else the same full name in the same province
    (公主岭市 moved from 四平 to 长春). Only an unambiguous match counts; development zones and new
    districts find none. The seats are indexed once, not scanned per county."""
    by_city_stem: dict[tuple[str, str], list[tuple[Decimal, Decimal]]] = {}
    by_province_name: dict[tuple[str, str], list[tuple[Decimal, Decimal]]] = {}
    for code, (name, lng, lat) in seats.items():
        by_city_stem.setdefault((code[:4], _COUNTY_SUFFIX.sub("", name)), []).append((lng, lat))
        if not code.endswith("00"):
            by_province_name.setdefault((code[:2], name), []).append((lng, lat))

    def former_seat(row: _Row) -> tuple[Decimal, Decimal] | None:
        name = row.values["name"]
        stem = _COUNTY_SUFFIX.sub("", name)
        same_city = by_city_stem.get((row.code[:4], stem), []) if len(stem) >= 2 else []
        if len(same_city) == 1:
            return same_city[0]
        same_province = by_province_name.get((row.code[:2], name), [])
        return same_province[0] if len(same_province) == 1 else None

    return former_seat


def read_regions(directory=None) -> list[_Row]:
    """Parse and validate provinces, cities, counties and the seat coordinates."""
    base = _dir(directory)
    max_name = Region._meta.get_field("name").max_length
    rows: list[_Row] = []
    # (file, level, code digits, {parent column: digits of the code it must prefix})
    specs = [
        (PROVINCES_FILE, Region.Level.PROVINCE, 2, {}),
        (CITIES_FILE, Region.Level.CITY, 4, {"provinceCode": 2}),
        (COUNTIES_FILE, Region.Level.COUNTY, 6, {"cityCode": 4, "provinceCode": 2}),
    ]
    by_code: dict[str, _Row] = {}
    for file, level, digits, parents in specs:
        path = base / file
        level_rows = []
        for line, rec in _csv_rows(path, ["code", "name", *parents]):
            code = rec["code"]
            if not re.fullmatch(rf"\d{{{digits}}}", code):
                raise ReferenceDataError(file, line, f"区划代码“{code}”应为 {digits} 位数字")
            _check_len(file, line, "名称", rec["name"], max_name)
            for column, n in parents.items():
                if rec[column] != code[:n]:
                    raise ReferenceDataError(
                        file, line, f"{column}“{rec[column]}”与区划代码 {code} 的前 {n} 位不符"
                    )
            parent = code[: digits - 2] if parents else None
            if parent is not None and parent not in by_code:
                raise ReferenceDataError(file, line, f"上级区划 {parent} 不存在")
            level_rows.append(
                _Row(code, {"name": rec["name"], "level": int(level)}, parent, int(level), file, line)
            )
        _index_unique(level_rows, by_code)
        rows.extend(level_rows)
    seats = _read_seats(base / SEATS_FILE)
    former_seat = _former_seats(seats)
    for row in rows:
        seat = seats.get(row.code.ljust(6, "0"))
        lng, lat = seat[1:] if seat else (None, None)
        if seat is None and row.depth == Region.Level.COUNTY:
            lng, lat = former_seat(row) or (None, None)
        row.values["longitude"] = lng
        row.values["latitude"] = lat
    return rows


def read_disciplines_csl(directory=None) -> list[_Row]:
    """The 67 CSL names, one a line, coded CSL01 … in file order; a blank line inside the list is an error."""
    path = _dir(directory) / CSL_FILE
    name = path.name
    max_name = Discipline._meta.get_field("name").max_length
    lines = _read_text(path).rstrip("\r\n").split("\n")
    rows = []
    for i, text in enumerate(lines, start=1):
        value = text.strip()
        _check_len(name, i, "学科名称", value, max_name)
        code = f"CSL{i:02d}"
        rows.append(_Row(code, {"name": value, "name_en": "", "level": 0}, None, 0, name, i))
    _index_unique(rows)
    seen: dict[str, int] = {}
    for row in rows:
        if row.values["name"] in seen:
            raise ReferenceDataError(
                name,
                row.line,
                f"学科名称“{row.values['name']}”重复（已见于第 {seen[row.values['name']]} 行）",
            )
        seen[row.values["name"]] = row.line
    return rows


def read_disciplines_nsfc(directory=None) -> list[_Row]:
    """The NSFC application-code tree: one JSON object a line with _id, name, name_en and parents."""
    path = _dir(directory) / NSFC_FILE
    name = path.name
    max_code = Discipline._meta.get_field("code").max_length
    max_name = Discipline._meta.get_field("name").max_length
    max_en = Discipline._meta.get_field("name_en").max_length
    rows = []
    for i, text in enumerate(_read_text(path).rstrip("\r\n").split("\n"), start=1):
        if not text.strip():
            raise ReferenceDataError(name, i, "空行")
        try:
            rec = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ReferenceDataError(name, i, f"不是合法的 JSON（{exc.msg}，第 {exc.colno} 列）") from None
        if not isinstance(rec, dict):
            raise ReferenceDataError(name, i, "应为 JSON 对象")
        code, title, name_en, parents = (
            rec.get("_id"),
            rec.get("name"),
            rec.get("name_en") or "",
            rec.get("parents"),
        )
        if not isinstance(code, str) or not isinstance(title, str) or not isinstance(name_en, str):
            raise ReferenceDataError(name, i, "_id、name、name_en 应为字符串")
        code, title, name_en = code.strip(), title.strip(), name_en.strip()
        _check_len(name, i, "代码", code, max_code)
        if not _NSFC_CODE.fullmatch(code):
            raise ReferenceDataError(name, i, f"申请代码“{code}”格式不对（应如 A01、A0101、A010101）")
        _check_len(name, i, "名称", title, max_name)
        if len(name_en) > max_en:
            raise ReferenceDataError(name, i, f"英文名超过 {max_en} 个字符")
        if parents is None:
            parents = []
        if not isinstance(parents, list) or len(parents) > 1 or not all(isinstance(p, str) for p in parents):
            raise ReferenceDataError(name, i, f"parents 应为至多一个代码的列表（为 {parents!r}）")
        parent = parents[0].strip() if parents else None
        depth = (len(code) - 3) // 2
        if (parent is None) != (depth == 0) or (parent is not None and parent != code[:-2]):
            raise ReferenceDataError(name, i, f"上级“{parent or ''}”与申请代码 {code} 不符")
        rows.append(_Row(code, {"name": title, "name_en": name_en, "level": depth}, parent, depth, name, i))
    by_code = _index_unique(rows)
    for row in rows:
        if row.parent is not None and row.parent not in by_code:
            raise ReferenceDataError(name, row.line, f"上级代码 {row.parent} 不存在")
    return rows


# ---------------------------------------------------------------------------------------------- writing


def _lock():
    """Serialise concurrent loads on PostgreSQL (two workers inserting the same codes would collide)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(b"reference.loaders")])


def _upsert(model, rows: list[_Row], scope: dict | None = None) -> _Result:
    """Create the missing rows parents first, then bring changed rows in line; return the counts."""
    scope = scope or {}
    queryset = model.objects.filter(**scope)
    objs = {obj.code: obj for obj in queryset}
    result = _Result(total=len(rows))
    fields = list(rows[0].values) + ["parent"] if rows else ["parent"]

    # New rows, one depth at a time so that each parent has its primary key before its children arrive.
    for depth in sorted({row.depth for row in rows}):
        new = [
            model(
                code=row.code,
                parent_id=objs[row.parent].pk if row.parent in objs else None,
                **scope,
                **row.values,
            )
            for row in rows
            if row.depth == depth and row.code not in objs
        ]
        if not new:
            continue
        model.objects.bulk_create(new, batch_size=_BATCH)
        result.created += len(new)
        if any(obj.pk is None for obj in new):  # a backend that cannot return primary keys
            objs = {obj.code: obj for obj in queryset}
        else:
            objs.update({obj.code: obj for obj in new})

    changed = []
    for row in rows:
        obj = objs[row.code]
        parent_id = objs[row.parent].pk if row.parent else None
        dirty = obj.parent_id != parent_id
        obj.parent_id = parent_id
        for name, value in row.values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                dirty = True
        if dirty:
            changed.append(obj)
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=_BATCH)
    result.updated = len(changed)
    result.by_level = {str(k): v for k, v in sorted(Counter(row.depth for row in rows).items())}
    return result


def _clear_selector_caches():
    from reference import selectors

    selectors.clear_caches()


def _write(steps) -> dict:
    """Run each (key, model, rows, scope) upsert in one transaction; return {key: counts}."""
    with transaction.atomic():
        _lock()
        counts = {key: _upsert(model, rows, scope) for key, model, rows, scope in steps}
    transaction.on_commit(_clear_selector_caches)
    _clear_selector_caches()
    return counts


def _region_counts(result: _Result, rows: list[_Row]) -> dict:
    result.extra["with_coordinates"] = sum(1 for row in rows if row.values["longitude"] is not None)
    return result.as_dict()


def load_industries(directory=None) -> dict:
    rows = read_industries(directory)
    return _write([("industry", Industry, rows, None)])["industry"].as_dict()


def load_regions(directory=None) -> dict:
    rows = read_regions(directory)
    return _region_counts(_write([("region", Region, rows, None)])["region"], rows)


def load_disciplines_csl(directory=None) -> dict:
    rows = read_disciplines_csl(directory)
    return _write([("csl", Discipline, rows, {"scheme": Discipline.Scheme.CSL})])["csl"].as_dict()


def load_disciplines_nsfc(directory=None) -> dict:
    rows = read_disciplines_nsfc(directory)
    return _write([("nsfc", Discipline, rows, {"scheme": Discipline.Scheme.NSFC})])["nsfc"].as_dict()


def load_all(directory=None) -> dict:
    """Validate every file first, then load all taxonomies in one transaction; return counts by taxonomy."""
    industries = read_industries(directory)
    regions = read_regions(directory)
    csl = read_disciplines_csl(directory)
    nsfc = read_disciplines_nsfc(directory)
    results = _write(
        [
            ("industry", Industry, industries, None),
            ("region", Region, regions, None),
            ("discipline_csl", Discipline, csl, {"scheme": Discipline.Scheme.CSL}),
            ("discipline_nsfc", Discipline, nsfc, {"scheme": Discipline.Scheme.NSFC}),
        ]
    )
    counts = {key: result.as_dict() for key, result in results.items()}
    counts["region"] = _region_counts(results["region"], regions)
    return counts
