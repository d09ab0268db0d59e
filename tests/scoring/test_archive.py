"""The Appendix F archive: read back with openpyxl and checked cell by cell against the records."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from PIL import Image

from scoring.archive import archive_data, archive_pdf, archive_xlsx, college_archives_zip
from scoring.models import Case
from teams.evidence import evidence_add
from teams.models import ServiceRecord
from teams.records import record_create
from tests.factories import build_valid_team

pytestmark = pytest.mark.django_db


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def add(team, by, *, approve=True, **fields):
    defaults = {
        "record_type": "service_visit",
        "date": dt.date(2026, 3, 1),
        "title": "赴企业开展服务",
        "served_organisation": "台州市某泵业有限公司",
        "description": "现场诊断",
    }
    participants = fields.pop("participants", [])
    record = record_create(team=team, by=by, participants=participants, **{**defaults, **fields})
    if approve:
        ServiceRecord.objects.filter(pk=record.pk).update(status="approved")
    return record


@pytest.fixture
def team(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    team = build_valid_team(status="active")
    captain = team.members.get(role="captain").user
    members = list(team.members.all()[:3])
    visit = add(team, captain, participants=members, date=dt.date(2026, 3, 1), approve=False)
    evidence_add(record=visit, by=captain, upload=SimpleUploadedFile("现场.png", png_bytes()))
    ServiceRecord.objects.filter(pk=visit.pk).update(status="approved")
    add(
        team,
        captain,
        participants=members[:2],
        date=dt.date(2026, 4, 2),
        served_organisation="温岭市某机电公司",
    )
    add(
        team,
        captain,
        record_type="horizontal_project",
        title="水泵节能改造合同",
        amount_wan=Decimal("12.5"),
        achievement_key="HT-2026-001",
        date=dt.date(2026, 5, 1),
    )
    add(
        team,
        captain,
        record_type="paper",
        title='=HYPERLINK("x")论文',
        achievement_key="10.1/abc",
        date=dt.date(2026, 6, 1),
    )
    add(team, captain, record_type="training", title="企业技术培训", approve=False)  # not approved: absent
    add(team, captain, date=dt.date(2025, 12, 1), title="去年的服务")  # another year: absent
    Case.objects.create(team=team, year=2026, title="水泵能效提升", text="帮助企业水泵效率提升 6%")
    return team


def test_the_xlsx_matches_the_records_cell_by_cell(team):
    data = archive_data(team, 2026)
    assert data.missing == []
    ws = load_workbook(io.BytesIO(archive_xlsx(data))).active
    assert ws["A1"].value == f"{team.name} 2026 年度工作情况归档表"
    assert ws["A2"].value == "说明：表格前5项必填，其他选填。"
    assert ws["C3"].value.startswith("队长：赵小明（教授）；副队长：钱红（副教授）；核心成员：")
    assert ws["C4"].value == "水泵能效提升：帮助企业水泵效率提升 6%"
    assert len(ws._images) == 1  # the photo from the image evidence
    assert [ws.cell(6, c).value for c in range(1, 5)] == ["序号", "项目", "服务情况", "量化得分"]
    rows = {
        ws.cell(r, 2).value: (ws.cell(r, 1).value, ws.cell(r, 3).value, ws.cell(r, 4).value)
        for r in range(7, 23)
    }
    assert rows["开展服务次数"][0] == "1\n（必填）"
    assert rows["开展服务次数"][1].startswith("共 2 次：2026-03-01 赴企业开展服务（台州市某泵业有限公司）")
    assert rows["开展服务次数"][2] == 3.0  # 2 visits × 1.5
    assert rows["参与服务人次"][1] == "共 5 人次"  # 3 + 2 participants
    assert rows["被服务企业（单位）名单"][1] == "台州市某泵业有限公司、温岭市某机电公司"
    assert (
        rows["与服务对象签订横向科研"][1] == "2026-05-01 水泵节能改造合同（台州市某泵业有限公司，12.50 万元）"
    )
    assert rows["与服务对象签订横向科研"][2] == 12.5
    assert (
        rows["联合发表学术论文"][1].startswith("'2026-06-01 =HYPERLINK") is False
    )  # starts with a date: safe
    assert rows["联合发表学术论文"][2] == 5.0
    assert rows["开展培训、讲座次数"] == ("4\n（选填）", None, None)  # the unapproved training is absent
    # rows 17 and 18 (人才培养, 党建: listed, never scored) come before the total
    assert ws.cell(23, 2).value.startswith("人才培养") and ws.cell(24, 2).value.startswith("党建")
    assert ws.cell(25, 1).value == "合计得分：" and ws.cell(25, 4).value == 20.5


def test_user_text_cannot_become_a_formula(team):
    Case.objects.filter(team=team).update(title='=HYPERLINK("http://x")')
    ws = load_workbook(io.BytesIO(archive_xlsx(archive_data(team, 2026)))).active
    assert ws["C4"].value.startswith("'=HYPERLINK")
    assert ws["C4"].data_type == "s"


def test_the_pdf_is_generated(team):
    pdf = archive_pdf(archive_data(team, 2026))
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


def test_a_team_lacking_a_required_entry_cannot_be_archived(team):
    Case.objects.filter(team=team).delete()
    other = build_valid_team(status="active", name_suffix="空白")
    assert "工作亮点和特色（请填写本年度亮点与案例）" in archive_data(team, 2026).missing
    missing = archive_data(other, 2026).missing
    assert {"开展服务次数", "参与服务人次", "被服务企业（单位）名单"} <= set(missing)
    # everything it lacks at once: the highlights and the photo, not one per attempt
    assert "工作亮点和特色（请填写本年度亮点与案例）" in missing
    assert "工作亮点照片（请在本年度计分的服务记录中上传图片佐证）" in missing


def test_a_colleges_archives_download_as_one_zip(team):
    Case.objects.create(team=team, year=2026, title="补充", text="…")
    empty = build_valid_team(status="active", name_suffix="空白", college=team.college)
    content, skipped = college_archives_zip([team, empty], 2026)
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert f"2026_{team.name}.xlsx" in names and f"2026_{team.name}.pdf" in names
    assert [name for name, _ in skipped] == [empty.name]
    assert "未归档清单.txt" in names


HOSTILE_CELLS = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)"]


@pytest.mark.parametrize("payload", HOSTILE_CELLS)
def test_no_typed_in_text_becomes_a_formula_anywhere_in_the_sheet(team, payload):
    """The team's name (which starts the title) and every typed-in text: no cell of the sheet is a
    formula, and the hostile text comes back with its neutralising apostrophe."""
    from teams.models import Team

    Team.objects.filter(pk=team.pk).update(name=payload + "小分队")
    Case.objects.filter(team=team).update(title=payload)
    team.refresh_from_db()
    ws = load_workbook(io.BytesIO(archive_xlsx(archive_data(team, 2026)))).active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert ws["A1"].value == f"'{payload}小分队 2026 年度工作情况归档表"
    assert ws["C4"].value.startswith(f"'{payload}：")


def test_zip_member_names_cannot_climb_out_of_the_folder(team):
    from teams.models import Team

    Case.objects.create(team=team, year=2026, title="补充", text="…")
    Team.objects.filter(pk=team.pk).update(name="..\\..\\Windows/System32:evil")
    team.refresh_from_db()
    content, _skipped = college_archives_zip([team], 2026)
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert names == ["2026_.._.._Windows_System32_evil.xlsx", "2026_.._.._Windows_System32_evil.pdf"]
    assert not [n for n in names if "/" in n or "\\" in n or ":" in n]


def test_the_archive_lists_the_years_unscored_work_beside_the_fixed_scores(settings, tmp_path):
    """人才培养 and 党建 (guideline 6.1) appear in the archive, scored nowhere."""
    import datetime as dt

    from scoring.archive import archive_data
    from teams.models import ServiceRecord
    from teams.records import record_create
    from tests.factories import build_valid_team

    team = build_valid_team(status="active")
    captain = team.members.get(role="captain").user
    for record_type, title in (("talent_practice", "暑期社会实践"), ("party_building", "校企党支部联建")):
        record = record_create(
            team=team,
            by=captain,
            record_type=record_type,
            date=dt.date(2026, 7, 1),
            title=title,
            served_organisation="台州某公司",
            description="组织学生参加",
        )
        ServiceRecord.objects.filter(pk=record.pk).update(status="approved")
    data = archive_data(team, 2026)
    rows = {row.number: row for row in data.rows}
    assert "暑期社会实践" in rows[17].detail and rows[17].score is None
    assert "校企党支部联建" in rows[18].detail and rows[18].score is None
    assert data.total == 0
