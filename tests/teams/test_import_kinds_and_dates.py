"""The Appendix D import and issue 31: who each person is and a core member's 专业背景 read from the
members cell (older files still import), the call's deadline, and the form's 填报日期 kept, checked
and shown."""

from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from teams.errors import TeamsError
from teams.importing import ImportRejected, applications_import, parse_filled_on
from teams.models import Call, Member, MemberKind, Team
from tests.api.conftest import assert_error
from tests.factories import CollegeAdminFactory, CollegeFactory, IndustryFactory
from tests.teams.test_import import GOOD_MEMBERS, member_enterprise, sheet

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROW = [1, "赵小明·杰克缝制科技小分队", GOOD_MEMBERS, "3553", "缝制设备减振降噪", ""]


@pytest.fixture
def admin():
    IndustryFactory(code="3553", name="缝制机械制造")
    member_enterprise()
    return CollegeAdminFactory(college=CollegeFactory(name="智能制造学院"))


def _call(admin, *, deadline):
    return Call.objects.create(
        university=admin.college.university,
        year=2026,
        title="2026年申报",
        requirements="按指南",
        deadline=deadline,
    )


def test_kinds_come_from_the_roles_and_backgrounds_from_the_brackets(admin):
    applications_import(file=sheet([ROW]), by=admin)
    kinds = dict(Member.objects.values_list("name", "kind"))
    assert kinds["赵小明"] == kinds["钱红"] == kinds["李一"] == MemberKind.TEACHER
    assert (kinds["郑同学"], kinds["王工"]) == (MemberKind.STUDENT, MemberKind.ENTERPRISE)
    assert Member.objects.get(name="李一").background == "机械工程"


def test_kind_words_and_labelled_backgrounds_are_read(admin):
    members = GOOD_MEMBERS.replace(
        "李一（讲师，机械工程）", "李一（讲师，教师，专业背景：车辆工程）"
    ).replace("赵小明（教授，", "赵小明（教授，专业背景：机械设计，")
    applications_import(file=sheet([[*ROW[:2], members, *ROW[3:]]]), by=admin)
    assert Member.objects.get(name="李一").background == "车辆工程"
    captain = Member.objects.get(name="赵小明")
    assert (captain.background, captain.qualifying_project) == ("机械设计", "浙江省重点研发计划项目")


def test_a_core_member_without_background_or_of_the_wrong_kind_is_refused_by_row(admin):
    no_background = GOOD_MEMBERS.replace("李一（讲师，机械工程）", "李一（讲师）")
    student_core = GOOD_MEMBERS.replace("周二（副教授，控制工程）", "周二（副教授，学生，控制工程）")
    rows = [
        [*ROW[:2], no_background, *ROW[3:]],
        [2, "周二·缝制科技小分队", student_core.replace("赵小明", "周二"), "3553", "x", ""],
    ]
    with pytest.raises(ImportRejected) as exc:
        applications_import(file=sheet(rows), by=admin)
    by_row = {}
    for row, message in exc.value.errors:
        by_row.setdefault(row, []).append(message)
    assert any("核心成员“李一”应为具有相关专业背景的教师" in m for m in by_row[4])
    assert any("核心成员“周二”应为教师（当前：学生）" in m for m in by_row[5])
    assert Team.objects.count() == 0 and Member.objects.count() == 0


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (("填报日期：2026年3月1日",), date(2026, 3, 1)),
        (("填报日期： 2026 年 3 月 1 日",), date(2026, 3, 1)),
        (("填报日期：", "2026-03-01"), date(2026, 3, 1)),
        (("填报日期", datetime(2026, 3, 1, 0, 0)), date(2026, 3, 1)),
        (("填报日期：    年   月   日",), None),
        (None, None),
    ],
)
def test_the_fill_in_date_is_kept(admin, cells, expected):
    teams = applications_import(file=sheet([ROW], filled=cells), by=admin)
    assert Team.objects.get(pk=teams[0].pk).filled_on == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026年2月30日", "不是有效的日期"),
        ("三月一日", "无法识别"),
        ("2099年1月1日", "晚于今天"),
    ],
)
def test_a_wrong_fill_in_date_is_refused_and_nothing_is_saved(admin, text, message):
    with pytest.raises(ImportRejected) as exc:
        applications_import(file=sheet([ROW], filled=(f"填报日期：{text}",)), by=admin)
    assert any(message in m for _, m in exc.value.errors), exc.value.errors
    assert Team.objects.count() == 0


def test_a_fill_in_date_within_the_call_is_kept_and_one_after_its_deadline_refused(admin):
    call = _call(admin, deadline=timezone.now() + timedelta(days=30))
    today = timezone.localdate()
    applications_import(file=sheet([ROW], filled=(f"填报日期：{today.isoformat()}",)), by=admin, call=call)
    assert Team.objects.get().filled_on == today
    # An open call's deadline is never before today, so the rule is asked of the parser directly.
    day, problem = parse_filled_on([f"填报日期：{today.isoformat()}"], timezone.now() - timedelta(days=2))
    assert day is None and "晚于申报批次的截止日期" in problem


def test_an_import_into_a_closed_call_is_refused_and_nothing_is_saved(admin):
    call = _call(admin, deadline=timezone.now() - timedelta(hours=1))
    with pytest.raises(TeamsError) as exc:
        applications_import(file=sheet([ROW]), by=admin, call=call)
    assert (
        exc.value.code == "late" and "已于" in exc.value.message and "截止，不能再导入" in exc.value.message
    )
    assert Team.objects.count() == 0 and Member.objects.count() == 0


def test_the_page_refuses_a_closed_call_and_shows_the_fill_in_date(client, admin):
    client.force_login(admin)
    closed = _call(admin, deadline=timezone.now() - timedelta(hours=1))
    upload = SimpleUploadedFile("申报表.xlsx", sheet([ROW]).getvalue(), content_type=XLSX)
    response = client.post(reverse("teams:import"), {"file": upload, "call": closed.pk})
    assert response.status_code == 400
    assert "截止，不能再导入申报表" in response.content.decode()
    assert not Team.objects.exists()
    upload = SimpleUploadedFile("申报表.xlsx", sheet([ROW]).getvalue(), content_type=XLSX)
    assert client.post(reverse("teams:import"), {"file": upload}).status_code == 200
    team = Team.objects.get()
    page = client.get(reverse("teams:detail", args=[team.pk])).content.decode()
    assert "填报日期" in page and "2026年3月1日" in page


def test_the_api_refuses_a_closed_call_and_returns_the_fill_in_date(api, admin):
    closed = _call(admin, deadline=timezone.now() - timedelta(hours=1))
    upload = SimpleUploadedFile("申报表.xlsx", sheet([ROW]).getvalue(), content_type=XLSX)
    response = api(admin).post(
        "/api/v1/application-imports/", {"file": upload, "call": closed.pk}, format="multipart"
    )
    assert "截止" in assert_error(response, 400, "late")["message"]
    assert not Team.objects.exists()
    upload = SimpleUploadedFile("申报表.xlsx", sheet([ROW]).getvalue(), content_type=XLSX)
    created = api(admin).post("/api/v1/application-imports/", {"file": upload}, format="multipart")
    assert created.status_code == 201
    team = api(admin).get(f"/api/v1/teams/{created.json()['teams'][0]['id']}/").json()
    assert team["filled_on"] == "2026-03-01"
