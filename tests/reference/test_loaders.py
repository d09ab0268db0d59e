import shutil
from decimal import Decimal

import pytest

from reference import loaders
from reference.loaders import FIXTURES_DIR, ReferenceDataError, load_all, load_industries
from reference.models import Discipline, Industry, Region

pytestmark = pytest.mark.django_db


def pk_map(model, **filters):
    return dict(model.objects.filter(**filters).values_list("code", "pk"))


@pytest.fixture
def fixtures_copy(tmp_path):
    """A writable copy of the shipped fixtures, to break on purpose."""
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES_DIR, target)
    return target


def replace_line(path, line_no, new_text):
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line_no - 1] = new_text
    path.write_text("\n".join(lines), encoding="utf-8")


def edit_line(path, line_no, old, new):
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line_no - 1], lines[line_no - 1]
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def test_load_all_loads_every_taxonomy(reference_data):
    assert reference_data["industry"]["total"] == 1971
    assert reference_data["industry"]["by_level"] == {"0": 20, "1": 97, "2": 473, "3": 1381}
    assert reference_data["region"]["by_level"] == {"0": 31, "1": 342, "2": 2978}
    assert reference_data["discipline_csl"]["total"] == 67
    assert reference_data["discipline_nsfc"]["total"] == 2916
    assert reference_data["discipline_nsfc"]["by_level"] == {"0": 86, "1": 1013, "2": 1817}

    assert Industry.objects.count() == 1971
    assert [Industry.objects.filter(level=level).count() for level in range(4)] == [20, 97, 473, 1381]
    assert [Region.objects.filter(level=level).count() for level in range(3)] == [31, 342, 2978]
    assert Discipline.objects.filter(scheme=Discipline.Scheme.CSL, level=0).count() == 67
    assert Discipline.objects.filter(scheme=Discipline.Scheme.NSFC).count() == 2916


def test_every_row_but_the_roots_has_its_parent(reference_data):
    assert not Industry.objects.filter(level__gt=0, parent__isnull=True).exists()
    assert not Industry.objects.filter(level=0, parent__isnull=False).exists()
    for level in (1, 2, 3):
        assert not Industry.objects.filter(level=level).exclude(parent__level=level - 1).exists()
    assert not Region.objects.filter(level__gt=0, parent__isnull=True).exists()
    assert not Region.objects.filter(level=2).exclude(parent__level=1).exists()
    assert not Discipline.objects.filter(scheme="nsfc", level__gt=0, parent__isnull=True).exists()
    # One of the 13 rows whose parent_code the fixture copy corrects (see reference/fixtures/PROVENANCE.md).
    assert Industry.objects.get(code="8421").parent.code == "842"


def test_loading_twice_changes_nothing(reference_data):
    before = (
        pk_map(Industry),
        pk_map(Region),
        pk_map(Discipline, scheme="csl"),
        pk_map(Discipline, scheme="nsfc"),
    )
    counts = load_all()
    after = (
        pk_map(Industry),
        pk_map(Region),
        pk_map(Discipline, scheme="csl"),
        pk_map(Discipline, scheme="nsfc"),
    )
    assert after == before
    for key, value in counts.items():
        assert (value["created"], value["updated"]) == (0, 0), key
        assert value["total"] == reference_data[key]["total"]
    assert Industry.objects.count() == 1971
    assert Region.objects.count() == 3351
    assert Discipline.objects.count() == 67 + 2916


def test_a_changed_row_is_updated_in_place(reference_data, fixtures_copy):
    industry = Industry.objects.get(code="3511")
    Industry.objects.filter(code="3512").update(name="手工改过的名称")
    edit_line(fixtures_copy / "industry_gbt4754_2017.csv", 720, "矿山机械制造", "矿山机械制造（改）")

    counts = load_industries(fixtures_copy)

    assert (counts["created"], counts["updated"]) == (0, 2)
    industry.refresh_from_db()
    assert industry.name == "矿山机械制造（改）"
    assert Industry.objects.get(code="3512").name == "石油钻采专用设备制造"
    assert Industry.objects.count() == 1971


def test_region_coordinates_come_from_the_seat_adcode(reference_data):
    jiaojiang = Region.objects.get(code="331002")
    assert (jiaojiang.longitude, jiaojiang.latitude) == (Decimal("121.442978"), Decimal("28.672981"))
    taizhou = Region.objects.get(code="3310")  # adcode 331000000000
    assert (taizhou.longitude, taizhou.latitude) == (Decimal("121.420760"), Decimal("28.656380"))
    zhejiang = Region.objects.get(code="33")  # adcode 330000000000
    assert (zhejiang.longitude, zhejiang.latitude) == (Decimal("120.152585"), Decimal("30.266597"))
    # No seat row: the coordinates stay empty.
    assert Region.objects.get(code="4290").longitude is None
    assert Region.objects.get(code="130171").latitude is None
    assert (
        reference_data["region"]["with_coordinates"] == Region.objects.filter(longitude__isnull=False).count()
    )


def test_a_renamed_county_takes_the_seat_of_its_former_code(reference_data):
    # 玉环县 331021 became 玉环市 331083; the seat file knows only the former code
    yuhuan = Region.objects.get(code="331083")
    assert (yuhuan.longitude, yuhuan.latitude) == (Decimal("121.231805"), Decimal("28.135929"))
    # 公主岭市 moved from 四平 (220381) to 长春 (220184): the same name in the same province
    assert Region.objects.get(code="220184").longitude is not None
    # a development zone has no former name to go by
    assert Region.objects.get(code="130171").longitude is None


def test_province_level_cities_keep_their_source_rows(reference_data):
    beijing_city = Region.objects.get(code="1101")
    assert beijing_city.name == "市辖区"
    assert beijing_city.parent.name == "北京市"
    assert Region.objects.get(code="110105").parent == beijing_city
    assert Region.objects.get(code="5002").name == "县"


def test_csl_disciplines_are_coded_in_file_order(reference_data):
    names = (FIXTURES_DIR / "disciplines_csl67.txt").read_text(encoding="utf-8").split()
    rows = list(Discipline.objects.filter(scheme="csl").order_by("code").values_list("code", "name", "level"))
    assert rows == [(f"CSL{i:02d}", name, 0) for i, name in enumerate(names, start=1)]
    assert rows[0] == ("CSL01", "材料科学与工程", 0)


BROKEN = [
    # (file, line, new text or (old, new), words the message must contain)
    ("industry_gbt4754_2017.csv", 720, ("351,3,", "351,x,"), "层级“x”"),
    ("industry_gbt4754_2017.csv", 720, ("351,3,", "359,3,"), "不以上级代码 359 开头"),
    (
        "industry_gbt4754_2017.csv",
        6,
        ("0112,小麦", "0111,小麦"),
        "代码 0111 重复（已见于 industry_gbt4754_2017.csv 第 5 行）",
    ),
    ("industry_gbt4754_2017.csv", 5, "4,0111,稻谷种植", "应有 6 个字段"),
    ("regions_counties.csv", 100, (",1304,", ",1305,"), "cityCode“1305”与区划代码 130434 的前 4 位不符"),
    ("regions_cities.csv", 10, ("1307", "13x7"), "应为 4 位数字"),
    ("regions_seats_lnglat.csv", 2, "500233000000,忠县,108.039002,北纬", "不是数字"),
    ("regions_seats_lnglat.csv", 2, "500233000000,忠县,8.039002,30.299559", "不在中国范围内"),
    ("disciplines_nsfc.jsonl", 3, '{"_id": "A010101", "name": ', "不是合法的 JSON"),
    (
        "disciplines_nsfc.jsonl",
        3,
        '{"_id": "A019901", "name": "解析数论", "parents": ["A0199"]}',
        "上级代码 A0199 不存在",
    ),
    ("disciplines_csl67.txt", 4, "", "学科名称为空"),
]


@pytest.mark.parametrize(
    ("file", "line", "change", "words"), BROKEN, ids=[f"{b[0]}:{b[1]}:{b[3]}" for b in BROKEN]
)
def test_a_broken_line_is_named_and_nothing_is_written(
    reference_data, fixtures_copy, file, line, change, words
):
    # A valid change in the first file loaded, to show that it is not written either.
    edit_line(fixtures_copy / "industry_gbt4754_2017.csv", 3, "农业", "农业（不应写入）")
    if isinstance(change, tuple):
        edit_line(fixtures_copy / file, line, *change)
    else:
        replace_line(fixtures_copy / file, line, change)
    before = (Industry.objects.count(), Region.objects.count(), Discipline.objects.count())

    with pytest.raises(ReferenceDataError) as exc:
        load_all(fixtures_copy)

    assert exc.value.file == file
    assert exc.value.line == line
    assert str(exc.value).startswith(f"{file} 第 {line} 行：")
    assert words in str(exc.value)
    assert Industry.objects.get(code="01").name == "农业"
    assert (Industry.objects.count(), Region.objects.count(), Discipline.objects.count()) == before


def test_a_missing_file_is_named(fixtures_copy):
    (fixtures_copy / "regions_cities.csv").unlink()
    with pytest.raises(ReferenceDataError, match="regions_cities.csv：找不到文件"):
        load_all(fixtures_copy)


def test_a_wrong_header_is_named(fixtures_copy):
    replace_line(fixtures_copy / "regions_provinces.csv", 1, "code,title")
    with pytest.raises(ReferenceDataError, match="regions_provinces.csv 第 1 行：表头缺少列 name"):
        loaders.load_regions(fixtures_copy)
