"""Importing an Appendix D batch through the API: the import page's form and service. A college's
administrator gets the created applications by row, or every problem by row and nothing saved; a
teacher, a visitor and a bad file are refused; the blank template is for the importers."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from teams.importing import HEADER
from teams.models import Call, Team
from tests.api.conftest import assert_error
from tests.factories import CollegeAdminFactory, CollegeFactory, IndustryFactory, TeamMemberUserFactory
from tests.teams.test_import import GOOD_MEMBERS, member_enterprise, sheet

pytestmark = pytest.mark.django_db
URL = "/api/v1/application-imports/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GOOD_ROW = [1, "赵小明·杰克缝制科技小分队", GOOD_MEMBERS, "3553", "缝制设备减振降噪", ""]


@pytest.fixture
def admin():
    IndustryFactory(code="3553", name="缝制机械制造")
    member_enterprise()
    return CollegeAdminFactory(college=CollegeFactory(name="智能制造学院"))


def _upload(content: bytes, name="申报表.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX)


def _post(client, rows=(GOOD_ROW,), college="智能制造学院", **extra):
    body = {"file": _upload(sheet(list(rows), college=college).getvalue()), **extra}
    return client.post(URL, body, format="multipart")


def test_a_college_imports_a_batch_and_gets_each_row_back(api, admin):
    call = Call.objects.create(
        university=admin.college.university, year=2026, title="2026年申报", requirements="按指南",
        deadline="2099-12-31T17:00:00+08:00",
    )  # fmt: skip
    response = _post(api(admin), call=call.pk)
    assert response.status_code == 201, response.content
    team = Team.objects.get()
    assert (team.status, team.college, team.call) == ("submitted", admin.college, call)
    assert response.json() == {
        "created": 1,
        "teams": [{"row": 4, "id": team.pk, "name": "赵小明·杰克缝制科技小分队", "status": "submitted"}],
    }


def test_every_bad_row_is_reported_by_row_and_nothing_is_saved(api, admin):
    rows = [
        GOOD_ROW,
        [2, "钱红·未知行业科技小分队", GOOD_MEMBERS.replace("队长：赵小明", "队长：钱红"), "9999", "x", ""],
    ]
    error = assert_error(_post(api(admin), rows), 400, "import_rejected", ["rows.5"])
    assert any("9999" in m for m in error["fields"]["rows.5"])
    assert not Team.objects.exists()


def test_a_sheet_of_another_college_is_refused_on_the_file(api, admin):
    error = assert_error(_post(api(admin), college="人文学院"), 400, "import_rejected", ["file"])
    assert "不是您所在的学院" in error["fields"]["file"][0]
    assert not Team.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"file": _upload(b"%PDF-1.4 fake", "申报表.pdf")}, "file", "请上传 .xlsx 格式的申报表"),
        ({"file": _upload(b"%PDF-1.4 a pdf named xlsx")}, "file", "内容与扩展名不符"),
        ({}, "file", ""),
    ],
)
def test_a_file_that_is_no_workbook_is_refused(api, admin, body, field, message):
    error = assert_error(api(admin).post(URL, body, format="multipart"), 400, "validation_error", [field])
    assert any(message in m for m in error["fields"][field])
    assert not Team.objects.exists()


def test_a_call_of_another_university_is_refused(api, admin):
    other = Call.objects.create(
        university=CollegeFactory().university, year=2026, title="外校批次", requirements="x",
        deadline="2099-12-31T17:00:00+08:00",
    )  # fmt: skip
    assert_error(_post(api(admin), call=other.pk), 400, "validation_error", ["call"])
    assert not Team.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("teacher", 403)])
def test_a_teacher_and_a_visitor_can_neither_import_nor_fetch_the_template(api, admin, who, status):
    client = api(None if who == "anonymous" else TeamMemberUserFactory(college=admin.college))
    assert_error(_post(client), status)
    assert_error(client.get(f"{URL}template/"), status)
    assert not Team.objects.exists()


def test_the_blank_template_has_the_appendix_d_header_and_imports_as_empty(api, admin):
    response = api(admin).get(f"{URL}template/")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert [c.value for c in load_workbook(io.BytesIO(response.content)).worksheets[0][3]] == HEADER
    upload = api(admin).post(URL, {"file": _upload(response.content)}, format="multipart")
    error = assert_error(upload, 400, "import_rejected")
    assert "表中没有小分队数据" in str(error["fields"])
