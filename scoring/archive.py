"""The annual archive form (Appendix F, 小分队年度工作情况归档表), generated from the records.

Nothing here is typed in: members come from the team, highlights from its cases of the year, photos from
the image evidence of its counted records, and the 16 items and their scores from the records through
the same scoring as the assessment. The first five entries are required; `archive_missing` says what a
team still lacks.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from core import documents
from core.documents import Document, Photos, Table
from core.exports import spreadsheet_safe
from scoring.models import Assessment, AssessmentResult, Case
from scoring.scores import teams_scores
from scoring.shared_items import left_out_ids
from teams.models import UNSCORED_TYPES, Evidence, MemberRole, RecordType, ServiceRecord, Team
from teams.records import COUNTED

T = RecordType
# Appendix F's 16 rows: (number, label, record types behind it, required)
ITEMS = [
    (1, "开展服务次数", [T.SERVICE_VISIT], True),
    (2, "参与服务人次", [T.SERVICE_VISIT], True),
    (3, "被服务企业（单位）名单", None, True),
    (4, "开展培训、讲座次数", [T.TRAINING], False),
    (5, "与小分队服务内容相关的科技成果转化", [T.TECH_TRANSFER], False),
    (6, "与服务对象签订横向科研", [T.HORIZONTAL_PROJECT], False),
    (7, "联合立项纵向科研项目", [T.VERTICAL_PROJECT], False),
    (8, "联合发表学术论文", [T.PAPER], False),
    (9, "联合授权专利", [T.PATENT], False),
    (10, "联合起草标准", [T.STANDARD], False),
    (11, "咨询报告和政策建议", [T.CONSULTING_REPORT], False),
    (12, "联合获评科技成果奖", [T.AWARD], False),
    (13, "联合创建学科平台或团队", [T.PLATFORM], False),
    (14, "签订合作协议", [T.AGREEMENT_COMPREHENSIVE, T.AGREEMENT_INTERNSHIP], False),
    (15, "与服务内容相关的规划、调研报告、设计方案", [T.PLAN_REPORT], False),
    (16, "联合技术成果鉴定或登记", [T.APPRAISAL], False),
    # Guideline 6.1's other work, which Appendix C does not score: listed so the year's archive holds it.
    (17, "人才培养：专业与课程建设、双创实践、社会实践（增列，不计分）", [T.TALENT_CURRICULUM, T.TALENT_INNOVATION, T.TALENT_PRACTICE], False),
    (18, "党建与思想教育活动（增列，不计分）", [T.PARTY_BUILDING], False),
]  # fmt: skip
ROLE_ORDER = [
    MemberRole.CAPTAIN,
    MemberRole.DEPUTY,
    MemberRole.CORE,
    MemberRole.DYNAMIC,
    MemberRole.ENTERPRISE,
]
IMAGE_TYPES = {"image/png", "image/jpeg"}
MAX_PHOTOS = 4


@dataclass
class ArchiveRow:
    number: int
    label: str
    required: bool
    detail: str
    score: Decimal | None


@dataclass
class ArchiveData:
    team: Team
    year: int
    members: str
    highlights: str
    photos: list[Evidence]
    rows: list[ArchiveRow]
    total: Decimal
    missing: list[str] = field(default_factory=list)


def _members_text(team: Team) -> str:
    parts = []
    members = list(team.members.select_related("enterprise"))
    for role in ROLE_ORDER:
        people = [m for m in members if m.role == role]
        if not people:
            continue
        names = []
        for m in people:
            extra = m.title or m.get_student_level_display() or (m.enterprise.name if m.enterprise else "")
            names.append(f"{m.name}（{extra}）" if extra else m.name)
        parts.append(f"{MemberRole(role).label}：{'、'.join(names)}")
    return "；".join(parts)


def _record_line(r: ServiceRecord) -> str:
    amount = f"，{r.amount_wan} 万元" if r.amount_wan is not None else ""
    return f"{r.date:%Y-%m-%d} {r.title}（{r.served_organisation}{amount}）"


def published_result(team: Team, year: int) -> AssessmentResult | None:
    """The team's result of the year as put on notice or published: the figures the archive signs."""
    return (
        AssessmentResult.objects.filter(
            team=team,
            assessment__year=year,
            assessment__status__in=[Assessment.Status.NOTICE, Assessment.Status.FINAL],
        )
        .select_related("assessment")
        .first()
    )


def archive_data(team: Team, year: int) -> ArchiveData:
    """Once the year's results are fixed (公示 and after), the archive takes them as they were fixed:
    the same records, item scores and total, whatever happens to the records later. Before that it
    shows the records counted now (a provisional archive)."""
    result = published_result(team, year)
    if result is not None:
        record_ids = [r["id"] for item in result.breakdown for r in item["records"]]
        # The scored records as fixed; the unscored work of the year (人才培养, 党建) as it stands.
        records = ServiceRecord.objects.filter(
            Q(pk__in=record_ids)
            | Q(team=team, record_type__in=UNSCORED_TYPES, status__in=COUNTED, date__year=year)
        )
        item_scores = {item["record_type"]: Decimal(item["score"]) for item in result.breakdown}
        total = result.score
    else:
        records = ServiceRecord.objects.filter(team=team, status__in=COUNTED, date__year=year)
        records = records.exclude(pk__in=left_out_ids(records))  # counted by the team that wrote it first
        score = teams_scores([team.pk], year)[team.pk]
        item_scores = {i.record_type: i.score for i in score.items}
        total = score.total
    records = list(records.prefetch_related("participants").order_by("date", "id"))
    visits = [r for r in records if r.record_type == T.SERVICE_VISIT]
    rows = []
    for number, label, types, required in ITEMS:
        if number == 1:
            detail = (
                _("共 %(n)d 次：") % {"n": len(visits)} + "；".join(_record_line(r) for r in visits)
                if visits
                else ""
            )
            points = item_scores.get(T.SERVICE_VISIT)
        elif number == 2:
            person_times = sum(r.participants.count() for r in visits)
            detail = _("共 %(n)d 人次") % {"n": person_times} if person_times else ""
            points = None
        elif number == 3:
            served = list(dict.fromkeys(r.served_organisation for r in records if r.served_organisation))
            detail = "、".join(served)
            points = None
        else:
            mine = [r for r in records if r.record_type in types]
            detail = "；".join(_record_line(r) for r in mine)
            found = [item_scores[t] for t in types if t in item_scores]
            points = sum(found, Decimal("0")) if found else None
        rows.append(ArchiveRow(number, label, required, detail, points))
    cases = Case.objects.filter(team=team, year=year)
    highlights = "\n".join(f"{c.title}：{c.text}" for c in cases)
    photos = list(
        Evidence.objects.filter(record__in=records, content_type__in=IMAGE_TYPES).order_by("uploaded_at")[
            :MAX_PHOTOS
        ]
    )
    data = ArchiveData(team, year, _members_text(team), highlights, photos, rows, total)
    data.missing = archive_missing(data)
    return data


def archive_missing(data: ArchiveData) -> list[str]:
    """The first five entries of the form are required (表格前5项必填)."""
    missing = []
    if not data.members:
        missing.append(_("小分队成员"))
    # Everything missing at once, not one item per attempt.
    if not data.highlights:
        missing.append(_("工作亮点和特色（请填写本年度亮点与案例）"))
    if not data.photos:
        missing.append(_("工作亮点照片（请在本年度计分的服务记录中上传图片佐证）"))
    for row in data.rows[:3]:
        if not row.detail:
            missing.append(row.label)
    return missing


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _score_cell(value: Decimal | None):
    return float(value) if value is not None else None


def archive_xlsx(data: ArchiveData) -> bytes:
    """Appendix F laid out in one sheet: A 序号, B 项目, C 服务情况, D 量化得分."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"{data.year}年度"
    for col, width in zip("ABCD", (10, 30, 70, 12), strict=True):
        ws.column_dimensions[col].width = width
    ws.merge_cells("A1:D1")
    # Every cell that carries typed-in text goes through spreadsheet_safe: the title starts with the
    # team's name, the highlights with a case title.
    ws["A1"] = spreadsheet_safe(f"{data.team.name} {data.year} 年度工作情况归档表")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = CENTER
    ws.merge_cells("A2:D2")
    ws["A2"] = "说明：表格前5项必填，其他选填。"
    for row, label, text in (
        (3, "小分队成员\n（必填）", data.members),
        (4, "工作亮点和特色\n（必填，附照片）", data.highlights),
    ):
        ws.merge_cells(f"A{row}:B{row}")
        ws.merge_cells(f"C{row}:D{row}")
        ws[f"A{row}"], ws[f"C{row}"] = label, spreadsheet_safe(text)
        ws[f"A{row}"].alignment, ws[f"C{row}"].alignment = CENTER, WRAP
    ws.merge_cells("A5:D5")
    ws.row_dimensions[5].height = 110 if data.photos else 15
    _add_photos(ws, data.photos)
    header = 6
    for col, text in zip("ABCD", ("序号", "项目", "服务情况", "量化得分"), strict=True):
        ws[f"{col}{header}"] = text
        ws[f"{col}{header}"].font = Font(bold=True)
        ws[f"{col}{header}"].alignment = CENTER
    for offset, item in enumerate(data.rows, start=1):
        r = header + offset
        ws[f"A{r}"] = f"{item.number}\n（{'必填' if item.required else '选填'}）"
        ws[f"B{r}"], ws[f"C{r}"], ws[f"D{r}"] = (
            item.label,
            spreadsheet_safe(item.detail),
            _score_cell(item.score),
        )
        ws[f"A{r}"].alignment, ws[f"B{r}"].alignment, ws[f"C{r}"].alignment = CENTER, WRAP, WRAP
    last = header + len(data.rows) + 1
    ws.merge_cells(f"A{last}:C{last}")
    ws[f"A{last}"], ws[f"D{last}"] = "合计得分：", float(data.total)
    ws[f"A{last}"].font = Font(bold=True)
    ws[f"A{last + 1}"] = "量化加分项需提供佐证材料。"
    for row in ws.iter_rows(min_row=3, max_row=last, max_col=4):
        for cell in row:
            cell.border = BOX
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _add_photos(ws, photos: list[Evidence]) -> None:
    from openpyxl.drawing.image import Image as XLImage
    from PIL import Image as PILImage

    for index, evidence in enumerate(photos):
        try:
            with evidence.file.open("rb") as handle:
                picture = PILImage.open(io.BytesIO(handle.read()))
                picture.thumbnail((180, 140))
                out = io.BytesIO()
                picture.convert("RGB").save(out, format="PNG")
        except (OSError, ValueError):
            continue  # an unreadable image is left out rather than breaking the archive
        out.seek(0)
        image = XLImage(out)
        ws.add_image(image, f"{'ABCD'[min(index, 3)]}5" if index < 4 else "D5")


def archive_document(data: ArchiveData) -> Document:
    """Appendix F as a printable document (the same rows as the xlsx)."""
    images = []
    for evidence in data.photos:
        try:
            with evidence.file.open("rb") as handle:
                images.append(handle.read())
        except OSError:
            continue  # a photo whose file is gone is left out rather than breaking the archive
    blocks = [
        Table(
            header=["项目", "内容"],
            rows=[["小分队成员（必填）", data.members], ["工作亮点和特色（必填，附照片）", data.highlights]],
            widths=[25, 75],
        )
    ]
    if images:
        blocks.append(Photos(images, caption=_("工作亮点照片")))
    blocks.append(
        Table(
            header=["序号", "项目", "服务情况", "量化得分"],
            rows=[
                [
                    f"{item.number}（{'必填' if item.required else '选填'}）",
                    item.label,
                    item.detail,
                    "" if item.score is None else f"{item.score}",
                ]
                for item in data.rows
            ]
            + [["", "合计得分", "", f"{data.total}"]],
            widths=[12, 25, 50, 13],
        )
    )
    blocks.append(_("量化加分项需提供佐证材料。"))
    return Document(
        title=f"{data.team.name} {data.year} 年度工作情况归档表",
        lines=[_("说明：表格前5项必填，其他选填。")],
        blocks=blocks,
        sheet=f"{data.year}年度",
    )


def archive_pdf(data: ArchiveData) -> bytes:
    """The same form as a PDF, its Chinese font embedded (core.documents)."""
    return documents.pdf([archive_document(data)])


def zip_member_stem(text: str) -> str:
    """A name for a file inside the zip that no extractor can take for a path (zip slip): no slashes of
    either kind, no drive colon, no control characters."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]', "_", text).strip(" .") or "team"


def college_archives_zip(teams, year: int) -> tuple[bytes, list[tuple[str, list[str]]]]:
    """Every team's archive (xlsx + pdf) in one zip; teams that lack a required entry are listed,
    with what they lack, in 未归档清单.txt rather than archived incomplete."""
    buffer = io.BytesIO()
    skipped = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for team in teams:
            data = archive_data(team, year)
            if data.missing:
                skipped.append((team.name, data.missing))
                continue
            base = zip_member_stem(f"{year}_{team.name}")
            archive.writestr(f"{base}.xlsx", archive_xlsx(data))
            archive.writestr(f"{base}.pdf", archive_pdf(data))
        if skipped:
            lines = [f"{name}：缺少 {'、'.join(missing)}" for name, missing in skipped]
            archive.writestr("未归档清单.txt", "\n".join(lines))
    return buffer.getvalue(), skipped
