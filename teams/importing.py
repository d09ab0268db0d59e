"""Import an application batch from an xlsx laid out like Appendix D (科技小分队申报表).

Layout: a title row, a row "二级学院（部门）：<college>", the header row
序号 | 小分队名称 | 小分队成员 | 对接企业/行业 | 服务内容 | 现有服务基础和已开展服务项目, one row per team, and
optionally "填报日期" at the end. The members cell lists roles, e.g.

    队长：赵小明（教授，省部级，浙江省重点研发计划项目）；副队长：钱红（副教授，科研）、孙立（讲师，产业对接）；
    核心成员：李一（讲师）、周二（副教授）、吴三（讲师）；动态成员：郑同学（研究生）；企业成员：王工（台州某某有限公司）

Each person's brackets may also say who they are (教师、学生 or 企业人员; left out, the role's kind: files
written before kinds import as they did) and their 专业背景, written "专业背景：机械工程" or, for a core
member, as the second item after the title: 核心成员：李一（讲师，机械工程）.

The closing line "填报日期：2026年3月5日" is kept as the application's fill-in date; it must be a real
date, not in the future and not after the call's deadline. A call whose deadline has passed takes no
import at all.

Every row is checked against the same rules as the pages; if any row is wrong nothing is saved and
every problem is reported with its row number.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from accounts.models import College, Enterprise
from accounts.scope import is_college_admin, is_sto_admin
from reference.models import Industry
from teams import rules
from teams.errors import TeamsError
from teams.models import ROLE_KINDS, Call, Member, MemberKind, MemberRole, Team, TeamTransition
from teams.permissions import application_importer

HEADER = ["序号", "小分队名称", "小分队成员", "对接企业/行业", "服务内容", "现有服务基础和已开展服务项目"]
ROLE_WORDS = {
    "队长": MemberRole.CAPTAIN,
    "副队长": MemberRole.DEPUTY,
    "核心成员": MemberRole.CORE,
    "动态成员": MemberRole.DYNAMIC,
    "企业成员": MemberRole.ENTERPRISE,
}
LEVEL_WORDS = {"国家级": "national", "省部级": "provincial", "横向": "horizontal"}
FOCUS_WORDS = {"科研": "research", "产业对接": "industry"}
STUDENT_WORDS = {"研究生": "graduate", "本科生": "undergraduate"}
KIND_WORDS = {label: value for value, label in MemberKind.choices}  # 教师、学生、企业人员
_BACKGROUND = re.compile(r"^(?:专业背景|专业|背景)[：:]\s*(?P<text>.+)$")
_FILLED_ON = re.compile(r"填报日期[：:]?(?P<text>.*)$")
_CHINESE_DATE = re.compile(r"^(?P<y>\d{4})\s*[年\-/.]\s*(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})\s*日?$")
_PERSON = re.compile(r"^(?P<name>[^（(]+?)\s*(?:[（(](?P<attrs>[^）)]*)[）)])?$")
_AMOUNT = re.compile(r"^(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>万元|万|元)$")
MAX_ROWS = 500


class ImportRejected(TeamsError):
    """The batch was refused; `errors` lists (row number, message) for every problem found."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("；".join(f"第 {row} 行：{msg}" for row, msg in errors), code="import_rejected")


@dataclass
class Row:
    number: int
    name: str
    members: list[dict] = field(default_factory=list)
    industries: list[Industry] = field(default_factory=list)
    enterprises: list[Enterprise] = field(default_factory=list)
    service_content: str = ""
    service_foundation: str = ""


def _cell(value) -> str:
    return "" if value is None else str(value).strip()


def _amount_yuan(text: str) -> Decimal | None:
    match = _AMOUNT.match(text.replace(",", ""))
    if not match:
        return None
    try:
        number = Decimal(match.group("n"))
    except InvalidOperation:
        return None
    return number * 10000 if match.group("unit").startswith("万") else number


def parse_person(role: str, text: str, enterprises_by_name: dict) -> dict:
    match = _PERSON.match(text.strip())
    if not match:
        raise ValueError(_("无法识别成员“%(text)s”") % {"text": text})
    attrs = [a.strip() for a in re.split(r"[，,]", match.group("attrs") or "") if a.strip()]
    person = {"name": match.group("name").strip(), "role": role, "kind": ROLE_KINDS[role]}
    # Who they are and their background, where the file says so; the rest reads as it always did.
    kinds = [KIND_WORDS[a] for a in attrs if a in KIND_WORDS]
    if kinds:
        person["kind"] = kinds[0]
    backgrounds = [m.group("text").strip() for a in attrs if (m := _BACKGROUND.match(a))]
    if backgrounds:
        person["background"] = backgrounds[0][:100]
    attrs = [a for a in attrs if a not in KIND_WORDS and not _BACKGROUND.match(a)]
    if role == MemberRole.CAPTAIN:
        person["title"] = attrs[0] if attrs else ""
        level = next((a for a in attrs if a in LEVEL_WORDS), "")
        person["qualifying_level"] = LEVEL_WORDS.get(level, "")
        rest = [a for a in attrs[1:] if a not in LEVEL_WORDS]
        amounts = [_amount_yuan(a) for a in rest]
        person["qualifying_amount_yuan"] = next((a for a in amounts if a is not None), None)
        person["qualifying_project"] = "，".join(
            a for a, amt in zip(rest, amounts, strict=True) if amt is None
        )
    elif role == MemberRole.DEPUTY:
        person["title"] = next((a for a in attrs if a not in FOCUS_WORDS), "")
        person["deputy_focus"] = next((FOCUS_WORDS[a] for a in attrs if a in FOCUS_WORDS), "")
    elif role == MemberRole.CORE:
        person["title"] = attrs[0] if attrs else ""
        if len(attrs) > 1 and "background" not in person:
            person["background"] = attrs[1][:100]
    elif role == MemberRole.DYNAMIC:
        level = next((STUDENT_WORDS[a] for a in attrs if a in STUDENT_WORDS), "")
        if not level:
            raise ValueError(_("动态成员“%(name)s”需注明研究生或本科生") % {"name": person["name"]})
        person["student_level"] = level
    elif role == MemberRole.ENTERPRISE:
        enterprise = enterprises_by_name.get(attrs[0] if attrs else "")
        if enterprise is None:
            raise ValueError(
                _("企业成员“%(name)s”的所在企业“%(ent)s”未在平台注册")
                % {"name": person["name"], "ent": attrs[0] if attrs else ""}
            )
        person["enterprise"] = enterprise
    return person


def parse_members(text: str, enterprises_by_name: dict) -> list[dict]:
    people = []
    for segment in re.split(r"[；;\n]+", text):
        if not segment.strip():
            continue
        role_word, sep, names = segment.partition("：") if "：" in segment else segment.partition(":")
        role = ROLE_WORDS.get(role_word.strip())
        if not sep or role is None:
            raise ValueError(
                _(
                    "成员应写作“角色：姓名（职称…）”，角色为队长、副队长、核心成员、动态成员或企业成员：“%(s)s”"
                )
                % {"s": segment.strip()}
            )
        for person in re.split(r"[、]", names):
            if person.strip():
                people.append(parse_person(role, person, enterprises_by_name))
    return people


def parse_served(text: str, enterprises_by_name: dict) -> tuple[list[Industry], list[Enterprise]]:
    industries, enterprises = [], []
    for token in re.split(r"[、，,；;\n]+", text):
        token = token.strip()
        if not token:
            continue
        industry = (
            Industry.objects.filter(code=token.upper()).first() or Industry.objects.filter(name=token).first()
        )
        if industry:
            industries.append(industry)
        elif token in enterprises_by_name:
            enterprises.append(enterprises_by_name[token])
        else:
            raise ValueError(
                _("未知的对接企业或行业“%(t)s”（行业请写 GB/T 4754 代码或名称，企业须已在平台注册）")
                % {"t": token}
            )
    if not industries and not enterprises:
        raise ValueError(_("请填写对接企业/行业"))
    return industries, enterprises


def _find_header(rows: list[tuple]) -> tuple[int, str]:
    college_name = ""
    for index, row in enumerate(rows):
        cells = [_cell(c) for c in row]
        joined = "".join(cells)
        if "二级学院" in joined and ("：" in joined or ":" in joined):
            college_name = (
                re.split(r"[：:]", joined, maxsplit=1)[1]
                .replace("（盖章）", "")
                .replace("(盖章)", "")
                .strip()
            )
        if cells[: len(HEADER)] == HEADER:
            return index, college_name
    raise ImportRejected([(0, _("未找到表头：%(h)s") % {"h": " | ".join(HEADER)})])


def parse_filled_on(cells: list, deadline: datetime | None = None) -> tuple[date | None, str | None]:
    """The form's 填报日期 from its closing row: (the date or None when left blank, a problem or None).
    The date may sit after the label in the same cell ("填报日期：2026年3月5日") or in a cell of its own
    (a date Excel stores as such, or typed as text)."""
    text = ""
    for index, value in enumerate(cells):
        cell = _cell(value)
        found = _FILLED_ON.search(cell)
        if found is None:
            continue
        rest = [found.group("text")] + list(cells[index + 1 :])
        stored = next((v for v in rest if isinstance(v, datetime | date)), None)
        if stored is not None:
            day = stored.date() if isinstance(stored, datetime) else stored
            return _check_filled_on(day, deadline)
        text = "".join(_cell(v) for v in rest).strip()
        break
    # The blank form's "    年   月   日": nothing filled in.
    if not re.sub(r"[\s年月日]", "", text):
        return None, None
    match = _CHINESE_DATE.match(text)
    if match is None:
        return None, _("填报日期“%(t)s”无法识别，请写作“2026年3月5日”或“2026-03-05”") % {"t": text}
    try:
        day = date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    except ValueError:
        return None, _("填报日期“%(t)s”不是有效的日期") % {"t": text}
    return _check_filled_on(day, deadline)


def _check_filled_on(day: date, deadline: datetime | None) -> tuple[date | None, str | None]:
    if day > timezone.localdate():
        return None, _("填报日期 %(d)s 晚于今天") % {"d": day.isoformat()}
    if deadline is not None and day > timezone.localdate(deadline):
        return None, _("填报日期 %(d)s 晚于申报批次的截止日期 %(end)s") % {
            "d": day.isoformat(),
            "end": timezone.localdate(deadline).isoformat(),
        }
    return day, None


def read_rows(file, call: Call | None = None) -> tuple[str, list[Row], date | None]:
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not an xlsx
        raise ImportRejected([(0, _("无法读取文件：请上传 .xlsx 格式的申报表"))]) from exc
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    header_index, college_in_sheet = _find_header(rows)
    enterprises_by_name = {e.name: e for e in Enterprise.objects.filter(status=Enterprise.Status.APPROVED)}
    parsed, errors, filled_on = [], [], None
    for offset, raw in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = [_cell(c) for c in raw] + [""] * len(HEADER)
        if any("填报日期" in c for c in cells):
            filled_on, problem = parse_filled_on(list(raw), call.deadline if call else None)
            if problem:
                errors.append((offset, problem))
            continue
        if not any(cells[1:6]):
            continue
        if len(parsed) + len(errors) >= MAX_ROWS:
            errors.append((offset, _("一次最多导入 %(n)d 支小分队") % {"n": MAX_ROWS}))
            break
        row = Row(
            number=offset,
            name=rules.normalise_name(cells[1]),
            service_content=cells[4],
            service_foundation=cells[5],
        )
        try:
            row.members = parse_members(cells[2], enterprises_by_name)
            row.industries, row.enterprises = parse_served(cells[3], enterprises_by_name)
        except ValueError as exc:
            errors.append((offset, str(exc)))
            continue
        problems = rules.team_violations(row.name, [rules.MemberFacts(**_facts(m)) for m in row.members])
        if not row.service_content:
            problems.append(_("请填写服务内容。"))
        if Team.objects.filter(name=row.name).exists() or any(p.name == row.name for p in parsed):
            problems.append(_("已有同名小分队“%(name)s”。") % {"name": row.name})
        errors.extend((offset, p) for p in problems)
        parsed.append(row)
    if errors:
        raise ImportRejected(errors)
    if not parsed:
        raise ImportRejected([(header_index + 2, _("表中没有小分队数据"))])
    return college_in_sheet, parsed, filled_on


def _facts(member: dict) -> dict:
    keys = {
        "name",
        "role",
        "title",
        "deputy_focus",
        "qualifying_project",
        "qualifying_level",
        "qualifying_amount_yuan",
        "kind",
        "background",
    }
    return {k: v for k, v in member.items() if k in keys}


def college_for(by, college_name: str) -> College:
    if is_college_admin(by):
        if college_name and college_name != by.college.name:
            raise ImportRejected([(0, _("申报表的二级学院“%(c)s”不是您所在的学院") % {"c": college_name})])
        return by.college
    if is_sto_admin(by) and college_name:
        college = College.objects.filter(university_id=by.university_id, name=college_name).first()
        if college:
            return college
    raise ImportRejected([(0, _("请由学院管理员导入，或由科技处选择本校的二级学院"))])


@transaction.atomic
def applications_import(*, file, by, call: Call | None = None) -> list[Team]:
    """Create one submitted application per row, or nothing at all. Each team returned carries
    `import_row`, the spreadsheet row it came from."""
    if not application_importer(by):
        raise TeamsError(_("只有学院或科技处管理员可以导入申报表。"), code="forbidden")
    if call is not None and timezone.now() > call.deadline:
        raise TeamsError(
            _("申报批次“%(call)s”已于 %(deadline)s 截止，不能再导入申报表。")
            % {
                "call": call.title,
                "deadline": timezone.localtime(call.deadline).strftime("%Y-%m-%d %H:%M"),
            },
            code="late",
            field="call",
        )
    college_name, rows, filled_on = read_rows(file, call)
    college = college_for(by, college_name)
    teams = []
    for row in rows:
        team = Team.objects.create(
            name=row.name,
            college=college,
            category=college.category,
            work_mode="discipline",
            theme="other",
            status=Team.Status.SUBMITTED,
            call=call,
            filled_on=filled_on,
            service_content=row.service_content,
            service_foundation=row.service_foundation,
        )
        team.industries.set(row.industries)
        team.served_enterprises.set(row.enterprises)
        Member.objects.bulk_create([Member(team=team, **m) for m in row.members])
        TeamTransition.objects.create(
            team=team,
            action="import",
            from_status=Team.Status.DRAFT,
            to_status=Team.Status.SUBMITTED,
            actor=by,
            comment=_("由申报表第 %(n)d 行导入") % {"n": row.number},
        )
        team.import_row = row.number
        teams.append(team)
    return teams


def blank_workbook() -> bytes:
    """An empty Appendix D form to fill in, with a second sheet that explains the members cell by example
    (only the first sheet is imported, so the example can never become a team)."""
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "申报表"
    sheet.append(["科技小分队成立申报表"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["二级学院（部门）：               （盖章）"])
    sheet.append(HEADER)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    sheet.append([1])
    sheet.append(["填报日期：    年   月   日"])
    for column, width in zip("ABCDEF", (6, 28, 60, 24, 36, 36), strict=True):
        sheet.column_dimensions[column].width = width
    guide = workbook.create_sheet("填写说明")
    guide.append(["栏目", "写法", "示例"])
    guide.append(
        [
            "二级学院",
            "第 2 行冒号后写学院全称（学院管理员导入时须为本学院）",
            "二级学院（部门）：智能制造学院",
        ]
    )
    guide.append(["小分队名称", "队长姓名·行业（企业）名称科技小分队", "赵小明·迈得医疗科技小分队"])
    guide.append(
        [
            "小分队成员",
            "按角色分段，分号隔开；括号内写职称，队长另写项目级别与项目名称（或横向金额），副队长写科研或产业对接，"
            "核心成员在职称后写专业背景（必填），动态成员写研究生或本科生，企业成员写所在企业全称；"
            "任何成员可另写“专业背景：…”，人员类别（教师、学生、企业人员）不写时按角色确定",
            "队长：赵小明（教授，省部级，浙江省重点研发计划项目，专业背景：机械工程）；副队长：钱红（副教授，科研）、"
            "孙立（讲师，产业对接）；核心成员：李一（讲师，机械工程）、周二（副教授，控制工程）、吴三（讲师，材料工程）；"
            "动态成员：郑同学（研究生）；企业成员：王工（企业全称）",
        ]
    )
    guide.append(
        [
            "对接企业/行业",
            "国民经济行业代码或名称、平台已登记的企业全称，顿号隔开",
            "3585、台州某某医疗器械有限公司",
        ]
    )
    guide.append(
        [
            "填报日期",
            "最后一行“填报日期：”后写实际填报日期，不能晚于今天和申报批次截止日期",
            "填报日期：2026年3月5日",
        ]
    )
    for column, width in zip("ABC", (16, 60, 80), strict=True):
        guide.column_dimensions[column].width = width
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
