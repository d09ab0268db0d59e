"""Appendix D xlsx import: a good batch creates submitted applications; one bad row saves nothing."""

import io

import pytest
from openpyxl import Workbook

from teams.errors import TeamsError
from teams.importing import HEADER, ImportRejected, applications_import
from teams.models import Member, Team
from tests.factories import (
    CollegeAdminFactory,
    CollegeFactory,
    EnterpriseFactory,
    IndustryFactory,
    TeamMemberUserFactory,
)

pytestmark = pytest.mark.django_db

# 5.1: students as dynamic members and an enterprise engineer, whose enterprise is registered.
MEMBER_ENTERPRISE = "台州合作机电有限公司"
GOOD_MEMBERS = (
    "队长：赵小明（教授，省部级，浙江省重点研发计划项目）；副队长：钱红（副教授，科研）、孙立（讲师，产业对接）；"
    f"核心成员：李一（讲师，机械工程）、周二（副教授，控制工程）、吴三（讲师，材料工程）；动态成员：郑同学（研究生）；企业成员：王工（{MEMBER_ENTERPRISE}）"
)


def member_enterprise():
    """The registered enterprise GOOD_MEMBERS' engineer works at."""
    from accounts.models import Enterprise

    return Enterprise.objects.filter(name=MEMBER_ENTERPRISE).first() or EnterpriseFactory(
        name=MEMBER_ENTERPRISE
    )


def sheet(rows, college="智能制造学院", filled=("填报日期：2026年3月1日",)):
    wb = Workbook()
    ws = wb.active
    ws.append(["台州学院1139科技小分队成立申报表"])
    ws.append([f"二级学院（部门）：{college}（盖章）"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    if filled is not None:
        ws.append(list(filled))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def admin():
    IndustryFactory(code="3553", name="缝制机械制造")
    member_enterprise()
    return CollegeAdminFactory(college=CollegeFactory(name="智能制造学院"))


def test_a_good_batch_creates_submitted_applications(admin):
    enterprise = EnterpriseFactory(name="台州市杰克缝纫机有限公司")
    members = GOOD_MEMBERS + "、许工（台州市杰克缝纫机有限公司）"
    teams = applications_import(
        file=sheet(
            [
                [
                    1,
                    "赵小明•杰克缝制科技小分队",
                    members,
                    "3553、台州市杰克缝纫机有限公司",
                    "缝制设备减振降噪",
                    "已开展服务 3 项",
                ],
                [
                    2,
                    "钱红·缝制机械科技小分队",
                    GOOD_MEMBERS.replace("队长：赵小明", "队长：钱红").replace(
                        "副队长：钱红", "副队长：赵一"
                    ),
                    "缝制机械制造",
                    "智能控制",
                    "",
                ],
            ]
        ),
        by=admin,
    )
    assert [t.name for t in teams] == ["赵小明·杰克缝制科技小分队", "钱红·缝制机械科技小分队"]
    team = Team.objects.get(name="赵小明·杰克缝制科技小分队")
    assert team.status == "submitted" and team.college == admin.college
    assert list(team.served_enterprises.all()) == [enterprise]
    assert team.members.count() == 9  # GOOD_MEMBERS (8) and the second engineer
    captain = team.members.get(role="captain")
    assert (captain.title, captain.qualifying_level, captain.qualifying_project) == (
        "教授",
        "provincial",
        "浙江省重点研发计划项目",
    )
    assert team.members.get(role="enterprise", name="许工").enterprise == enterprise
    assert team.transitions.get().action == "import"


def test_one_bad_row_saves_nothing_and_every_problem_is_reported_by_row(admin):
    bad_members = GOOD_MEMBERS.replace("、吴三（讲师，材料工程）", "")  # only two core members
    with pytest.raises(ImportRejected) as exc:
        applications_import(
            file=sheet(
                [
                    [1, "赵小明·杰克缝制科技小分队", GOOD_MEMBERS, "3553", "缝制设备减振降噪", ""],
                    [
                        2,
                        "钱红·缝制机械科技小分队",
                        bad_members.replace("队长：赵小明", "队长：钱红"),
                        "3553",
                        "智能控制",
                        "",
                    ],
                    [
                        3,
                        "孙立·未知行业科技小分队",
                        GOOD_MEMBERS.replace("队长：赵小明", "队长：孙立"),
                        "9999",
                        "x",
                        "",
                    ],
                    [4, "周二科技小分队", GOOD_MEMBERS, "3553", "x", ""],
                ]
            ),
            by=admin,
        )
    rows = {row for row, _ in exc.value.errors}
    assert rows == {5, 6, 7}  # sheet rows: title, college, header, then data from row 4
    messages = " ".join(m for _, m in exc.value.errors)
    assert "核心成员应为 3 名以上" in messages
    assert "未知的对接企业或行业“9999”" in messages
    assert "队长姓名·行业（企业）名称科技小分队" in messages
    assert Team.objects.count() == 0 and Member.objects.count() == 0


def test_a_captain_with_a_horizontal_project_under_a_million_is_refused(admin):
    members = GOOD_MEMBERS.replace(
        "（教授，省部级，浙江省重点研发计划项目）", "（教授，横向，某企业委托项目，80万元）"
    )
    with pytest.raises(ImportRejected) as exc:
        applications_import(
            file=sheet([[1, "赵小明·杰克缝制科技小分队", members, "3553", "x", ""]]), by=admin
        )
    assert "100 万元以上横向项目" in exc.value.message


def test_a_sheet_for_another_college_is_refused(admin):
    with pytest.raises(ImportRejected) as exc:
        applications_import(
            file=sheet([[1, "赵小明·杰克缝制科技小分队", GOOD_MEMBERS, "3553", "x", ""]], college="人文学院"),
            by=admin,
        )
    assert "不是您所在的学院" in exc.value.message


def test_a_file_that_is_not_xlsx_is_refused(admin):
    with pytest.raises(ImportRejected) as exc:
        applications_import(file=io.BytesIO(b"not a workbook"), by=admin)
    assert ".xlsx" in exc.value.message


def test_a_teacher_cannot_import():
    with pytest.raises(TeamsError):
        applications_import(file=sheet([]), by=TeamMemberUserFactory())
