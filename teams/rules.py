"""The guideline's composition rules for a team (组织架构 · 科技小分队, and 运行机制 on naming).

Each rule returns Chinese messages for what a draft breaks; an empty list means it may be submitted.
The rules read plain values so the page, the API and the import all ask the same questions.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from teams.models import ROLE_KINDS, MemberKind, MemberRole

# 队长姓名·行业（企业）名称科技小分队, with the separators people actually type.
NAME_SEPARATORS = "·•・‧∙"
NAME_PATTERN = re.compile(
    rf"^(?P<captain>[^{NAME_SEPARATORS}\s]{{2,20}})[{NAME_SEPARATORS}](?P<served>\S.*?)科技小分队$"
)

# 副高级及以上职称 across the series a university and its partner enterprises use.
SENIOR_TITLES = {
    "教授", "副教授", "研究员", "副研究员", "正高级工程师", "教授级高级工程师", "高级工程师",
    "正高级实验师", "高级实验师", "主任医师", "副主任医师", "主任药师", "副主任药师", "研究馆员", "副研究馆员",
    "正高级经济师", "高级经济师", "正高级会计师", "高级会计师", "编审", "副编审", "正高级讲师", "高级讲师",
}  # fmt: skip

# 主持过省部级及以上科研项目（或百万以上横向项目）.
QUALIFYING_LEVELS = {"national": _("国家级"), "provincial": _("省部级")}
HORIZONTAL_MINIMUM_YUAN = Decimal("1000000")


@dataclass(frozen=True)
class MemberFacts:
    name: str
    role: str  # teams.models.MemberRole value
    title: str = ""
    deputy_focus: str = ""
    qualifying_project: str = ""
    qualifying_level: str = ""  # "national" / "provincial" / "" when the project is horizontal
    qualifying_amount_yuan: Decimal | None = None
    # Who the person is, to catch one person entered twice: the platform account when linked, else "".
    account: str = ""
    # teams.models.MemberKind value; "" (a row written without one) counts as its role's kind.
    kind: str = ""
    background: str = ""  # 专业背景


# A stated background says something: at least two characters that are not spaces or punctuation.
_WORDY = re.compile(r"[\w\u3400-\u9fff]")


def member_violations(member: MemberFacts) -> list[str]:
    """What one member's own entry breaks (5.1): the kind its role asks for, and a core member's stated
    专业背景. Checked for the whole team at submission and import, and for the member on every change."""
    problems = []
    expected = ROLE_KINDS.get(member.role)
    kind = member.kind or expected
    if expected and kind != expected:
        problems.append(
            _("%(role)s“%(name)s”应为%(kind)s（当前：%(current)s）。")
            % {
                "role": MemberRole(member.role).label,
                "name": member.name.strip(),
                "kind": MemberKind(expected).label,
                "current": MemberKind(kind).label if kind in MemberKind.values else kind,
            }
        )
    if member.role == MemberRole.CORE and len(_WORDY.findall(member.background or "")) < 2:
        problems.append(
            _("核心成员“%(name)s”应为具有相关专业背景的教师，请填写其专业背景。")
            % {"name": member.name.strip()}
        )
    return problems


def captain_violations(captain: MemberFacts) -> list[str]:
    """The captain's qualifications (5.1): 副高级 or higher, and has led a provincial or national
    project (or a horizontal one over 1,000,000 yuan). That a captain is a teacher is member_violations'."""
    problems = []
    if captain.title not in SENIOR_TITLES:
        problems.append(
            _("队长应具有副高级及以上职称（当前：%(title)s）。") % {"title": captain.title or _("未填写")}
        )
    if not captain_qualifies(captain):
        problems.append(_("队长应主持过省部级及以上科研项目，或主持过 100 万元以上横向项目。"))
    return problems


def normalise_name(name: str) -> str:
    """One canonical separator, so 王强•泵业 and 王强·泵业 count as the same name for uniqueness."""
    name = (name or "").strip()
    for sep in NAME_SEPARATORS:
        name = name.replace(sep, "·")
    return name


def name_violations(name: str, captain_name: str | None) -> list[str]:
    match = NAME_PATTERN.match((name or "").strip())
    if not match:
        return [_("小分队名称应为“队长姓名·行业（企业）名称科技小分队”，如“赵小明·迈得医疗科技小分队”。")]
    if captain_name and match.group("captain") != captain_name.strip():
        return [
            _("小分队名称中的姓名“%(in_name)s”与队长“%(captain)s”不一致。")
            % {"in_name": match.group("captain"), "captain": captain_name}
        ]
    return []


def captain_qualifies(captain: MemberFacts) -> bool:
    if captain.qualifying_level in QUALIFYING_LEVELS and captain.qualifying_project.strip():
        return True
    amount = captain.qualifying_amount_yuan
    return (
        bool(captain.qualifying_project.strip()) and amount is not None and amount >= HORIZONTAL_MINIMUM_YUAN
    )


def composition_violations(members: list[MemberFacts]) -> list[str]:
    problems = []
    captains = [m for m in members if m.role == "captain"]
    deputies = [m for m in members if m.role == "deputy"]
    cores = [m for m in members if m.role == "core"]
    if len(captains) != 1:
        problems.append(_("小分队应有且仅有 1 名队长（当前 %(n)d 名）。") % {"n": len(captains)})
    for captain in captains:
        problems.extend(captain_violations(captain))
    if not 1 <= len(deputies) <= 2:
        problems.append(_("副队长应为 1～2 名（当前 %(n)d 名）。") % {"n": len(deputies)})
    for deputy in deputies:
        if deputy.deputy_focus not in {"research", "industry"}:
            problems.append(_("副队长“%(name)s”应注明分工：科研或产业对接。") % {"name": deputy.name})
    if (
        len(deputies) == 2
        and deputies[0].deputy_focus == deputies[1].deputy_focus
        and deputies[0].deputy_focus
    ):
        problems.append(_("两名副队长应分别负责科研和产业对接，不能分工相同。"))
    if len(cores) < 3:
        problems.append(_("核心成员应为 3 名以上教师（当前 %(n)d 名）。") % {"n": len(cores)})
    if not any(m.role == "dynamic" for m in members):
        problems.append(_("应有在学的研究生或本科生作为动态成员。"))
    if not any(m.role == "enterprise" for m in members):
        problems.append(_("应有企业科技骨干作为企业成员。"))
    for member in members:
        problems.extend(member_violations(member))
    for name in repeated_people(members):
        problems.append(_("成员“%(name)s”重复登记，一人只能登记一次。") % {"name": name})
    return problems


def folded(text: str) -> str:
    """Widths folded (NFKC) and every space removed: 李 一 and 李一 are one name."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def same_person(a: MemberFacts, b: MemberFacts) -> bool:
    """The same account; or, where either entry has no account, the same folded name. Two accounts with
    one name are two people."""
    if a.account and b.account:
        return a.account == b.account
    return bool(folded(a.name)) and folded(a.name) == folded(b.name)


def repeated_people(members: list[MemberFacts]) -> list[str]:
    """People entered more than once (same_person)."""
    repeated = []
    for i, a in enumerate(members):
        if any(same_person(a, b) for b in members[:i]) and a.name.strip() not in repeated:
            repeated.append(a.name.strip())
    return repeated


def team_violations(name: str, members: list[MemberFacts]) -> list[str]:
    captain = next((m for m in members if m.role == "captain"), None)
    return name_violations(name, captain.name if captain else None) + composition_violations(members)
