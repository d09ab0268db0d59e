"""Appendix D as a college submits it: its teams of a call, filled, as xlsx and PDF (the Chinese font
embedded), for the college's administrator and its S&T office only."""

import datetime as dt
import io
from datetime import timedelta

import pypdfium2
import pytest
from django.utils import timezone
from openpyxl import load_workbook

from teams.models import Call, Team
from tests.factories import (
    CollegeAdminFactory,
    CollegeFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    UniversityFactory,
    build_valid_team,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch():
    university = UniversityFactory(name="台州学院")
    college = CollegeFactory(university=university, name="智能制造学院")
    other_college = CollegeFactory(university=university, name="人文学院")
    call = Call.objects.create(
        university=university,
        year=2026,
        title="2026 年科技小分队申报",
        requirements="按工作指引组建",
        deadline=timezone.now() + timedelta(days=10),
    )
    submitted = build_valid_team(college=college, name_suffix="泵业", status="submitted")
    draft = build_valid_team(college=college, name_suffix="草稿", status="draft")
    elsewhere = build_valid_team(college=other_college, name_suffix="文旅", status="submitted")
    Team.objects.filter(pk__in=[submitted.pk, draft.pk, elsewhere.pk]).update(
        call=call, service_content="=减振降噪诊断", service_foundation="已服务三年"
    )
    Team.objects.filter(pk=submitted.pk).update(filled_on=dt.date(2026, 3, 15))
    return university, college, call, submitted, draft, elsewhere


def test_the_college_prints_its_own_submitted_teams(client, batch):
    university, college, call, submitted, draft, elsewhere = batch
    client.force_login(CollegeAdminFactory(college=college))
    page = client.get("/teams/appendix-d/").content.decode()
    assert "2026 年科技小分队申报" in page and "智能制造学院" in page and "人文学院" not in page

    xlsx = client.get(f"/teams/appendix-d/{call.pk}/{college.pk}.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0] == 1]
    assert len(rows) == 1 and rows[0][1] == submitted.name  # the draft is not put forward
    assert rows[0][4] == "'=减振降噪诊断"  # typed text is never a formula
    assert "队长：赵小明（教授）" in rows[0][2]
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "二级学院（部门）：智能制造学院（盖章）" in cells and "填报日期：2026 年 3 月 15 日" in cells

    body = client.get(f"/teams/appendix-d/{call.pk}/{college.pk}.pdf").content
    text = "".join(p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(body)).replace("\n", "")
    assert "台州学院科技小分队成立申报表" in text.replace(" ", "") and "泵业" in text


def test_others_get_nothing(client, batch):
    university, college, call, submitted, draft, elsewhere = batch
    other_college_admin = CollegeAdminFactory(college=elsewhere.college)
    client.force_login(other_college_admin)
    assert client.get(f"/teams/appendix-d/{call.pk}/{college.pk}.pdf").status_code == 404
    client.force_login(TeamMemberUserFactory(college=college))
    assert client.get(f"/teams/appendix-d/{call.pk}/{college.pk}.pdf").status_code == 404
    client.force_login(StoAdminFactory())  # another university's office
    assert client.get(f"/teams/appendix-d/{call.pk}/{college.pk}.pdf").status_code == 404
    client.force_login(StoAdminFactory(university=university))
    assert client.get(f"/teams/appendix-d/{call.pk}/{college.pk}.pdf").status_code == 200
    assert client.get(f"/teams/appendix-d/{call.pk}/{college.pk}.doc").status_code == 404
    api = client.get(f"/api/v1/calls/{call.pk}/appendix-d/{college.pk}/", {"kind": "doc"})
    assert api.status_code == 400 and "kind" in api.json()["error"]["fields"]
    assert (
        client.get(f"/api/v1/calls/{call.pk}/appendix-d/{college.pk}/", {"kind": "xlsx"}).status_code == 200
    )
