"""The import page: a college uploads an Appendix D batch, sees every problem by row, or the created
applications; the blank template it offers reads back as an empty batch."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from teams.importing import HEADER
from teams.models import Team
from tests.factories import CollegeAdminFactory, CollegeFactory, IndustryFactory, TeamMemberUserFactory
from tests.teams.test_import import GOOD_MEMBERS, member_enterprise, sheet

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def admin():
    IndustryFactory(code="3553", name="缝制机械制造")
    member_enterprise()
    return CollegeAdminFactory(college=CollegeFactory(name="智能制造学院"))


def _upload(content: bytes, name="申报表.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def test_a_college_imports_a_good_batch(client, admin):
    client.force_login(admin)
    rows = [[1, "赵小明·杰克缝制科技小分队", GOOD_MEMBERS, "3553", "缝制设备减振降噪", ""]]
    response = client.post(reverse("teams:import"), {"file": _upload(sheet(rows).getvalue())})
    assert response.status_code == 200
    team = Team.objects.get()
    assert (team.name, team.status, team.college) == ("赵小明·杰克缝制科技小分队", "submitted", admin.college)
    assert reverse("teams:detail", args=[team.pk]) in response.content.decode()


def test_a_bad_row_is_shown_by_row_and_nothing_is_saved(client, admin):
    client.force_login(admin)
    rows = [
        [1, "赵小明·杰克缝制科技小分队", GOOD_MEMBERS, "3553", "缝制设备减振降噪", ""],
        [2, "钱红·未知行业科技小分队", GOOD_MEMBERS.replace("队长：赵小明", "队长：钱红"), "9999", "x", ""],
    ]
    response = client.post(reverse("teams:import"), {"file": _upload(sheet(rows).getvalue())})
    assert response.status_code == 400
    page = response.content.decode()
    assert "第 5 行" in page and "未知的对接企业或行业“9999”" in page
    assert Team.objects.count() == 0


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("申报表.pdf", b"%PDF-1.4 fake", "请上传 .xlsx 格式的申报表"),
        ("申报表.xlsx", b"%PDF-1.4 a pdf named xlsx", "内容与扩展名不符"),
    ],
)
def test_a_file_that_is_no_workbook_is_refused_on_the_form(client, admin, name, content, message):
    client.force_login(admin)
    response = client.post(reverse("teams:import"), {"file": _upload(content, name)})
    assert response.status_code == 400 and message in response.content.decode()
    assert Team.objects.count() == 0


def test_the_blank_template_has_the_appendix_d_header_and_imports_as_empty(client, admin):
    client.force_login(admin)
    response = client.get(reverse("teams:import_template"))
    assert response["Content-Type"] == XLSX
    workbook = load_workbook(io.BytesIO(response.content))
    first = workbook.worksheets[0]
    assert [c.value for c in first[3]] == HEADER
    response = client.post(reverse("teams:import"), {"file": _upload(response.content)})
    assert response.status_code == 400 and "表中没有小分队数据" in response.content.decode()


@pytest.mark.parametrize("url", ["teams:import", "teams:import_template"])
def test_a_teacher_cannot_import_and_a_visitor_is_sent_to_sign_in(client, url):
    client.force_login(TeamMemberUserFactory())
    assert client.get(reverse(url)).status_code == 403
    client.logout()
    response = client.get(reverse(url))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
