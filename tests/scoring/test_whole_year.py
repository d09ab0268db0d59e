"""One university's whole year, through the API and the pages, as its people would walk it: a call,
applications through the college and the S&T office, service records with evidence (one shared between
two teams that share members, one approved after the draw), both strands' spot checks, the notice, an
objection and its answer, publication, a correction, and the archives. At the end the published totals,
the Appendix C sheets, the 公示 list and the Appendix F archives agree to the point."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from scoring.models import Assessment, AssessmentResult
from teams.models import Team
from tests.factories import (
    CollegeAdminFactory,
    CollegeFactory,
    HumAdminFactory,
    StoAdminFactory,
    UniversityFactory,
    build_valid_team,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
YEAR = timezone.localdate().year


def as_user(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def ok(response, status=200):
    assert response.status_code == status, response.content.decode()[:500]
    return response.json() if response["Content-Type"].startswith("application/json") else response


def captain_of(team):
    return team.members.get(role="captain").user


def record(
    team, *, title, day, organisation="台州某泵业有限公司", participants=None, record_type="service_visit"
):
    """A captain writes a record through the API, uploads its evidence and submits it."""
    captain = captain_of(team)
    body = {
        "team": team.pk,
        "record_type": record_type,
        "date": f"{YEAR}-{day}",
        "title": title,
        "served_organisation": organisation,
        "description": "现场调研并提出改进建议。",
    }
    if participants is not None:
        body["participants"] = participants
    created = ok(as_user(captain).post("/api/v1/records/", body, format="json"), 201)
    ok(
        as_user(captain).post(
            f"/api/v1/records/{created['id']}/evidence/",
            {"file": SimpleUploadedFile(f"{title}签到表.pdf", PDF)},
            format="multipart",
        ),
        201,
    )
    ok(as_user(captain).post(f"/api/v1/records/{created['id']}/submit/"))
    return created["id"]


def approve(record_id, college_admin):
    return ok(
        as_user(college_admin).post(f"/api/v1/records/{record_id}/review/", {"approve": True}, format="json")
    )


def test_one_universitys_whole_year(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    university = UniversityFactory()
    office = StoAdminFactory(university=university)
    humanities_office = HumAdminFactory(university=university)
    science_college = CollegeFactory(university=university, category="science")
    humanities_college = CollegeFactory(university=university, category="humanities")
    science_admin = CollegeAdminFactory(college=science_college)
    humanities_admin = CollegeAdminFactory(college=humanities_college)

    # --- a call, and three applications through the college and the S&T office ------------------------
    deadline = (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%d %H:%M")
    call = ok(
        as_user(office).post(
            "/api/v1/calls/",
            {
                "year": YEAR,
                "title": f"{YEAR} 年科技小分队申报",
                "requirements": "按工作指引组建",
                "deadline": deadline,
            },
            format="json",
        ),
        201,
    )
    pumps = build_valid_team(college=science_college, name_suffix="泵业")
    sewing = build_valid_team(college=science_college, name_suffix="缝制")  # shares its core teachers
    culture = build_valid_team(college=humanities_college, name_suffix="文旅")
    teams = (pumps, sewing, culture)
    Team.objects.filter(pk__in=[t.pk for t in teams]).update(call_id=call["id"])
    for team, college_admin in ((pumps, science_admin), (sewing, science_admin), (culture, humanities_admin)):
        ok(as_user(captain_of(team)).post(f"/api/v1/teams/{team.pk}/transitions/", {"action": "submit"}))
        ok(as_user(college_admin).post(f"/api/v1/teams/{team.pk}/review/", {"approve": True}, format="json"))
        body = ok(as_user(office).post(f"/api/v1/teams/{team.pk}/review/", {"approve": True}, format="json"))
        assert body["status"] == "active"

    # --- the year's records ---------------------------------------------------------------------------
    shared_teacher = pumps.members.filter(role="core").first()
    same_teacher_in_sewing = sewing.members.get(role="core", name=shared_teacher.name)
    approved = [
        record(pumps, title="泵体振动诊断", day="03-02", participants=[shared_teacher.pk]),
        record(pumps, title="泵业技术培训", day="03-09", record_type="training"),
        # The same visit, recorded by the sewing team too: the same teacher took part in both.
        record(sewing, title="同一次泵业走访", day="03-02", participants=[same_teacher_in_sewing.pk]),
        record(sewing, title="缝制设备调试", day="04-11", organisation="台州某缝制设备有限公司"),
        record(culture, title="文旅街区调研", day="05-20", organisation="台州某文旅集团"),
        record(culture, title="非遗讲座", day="06-01", organisation="台州某文旅集团", record_type="training"),
    ]
    for record_id in approved[:4]:
        approve(record_id, science_admin)
    for record_id in approved[4:]:
        approve(record_id, humanities_admin)
    late = record(sewing, title="抽样后才审核的走访", day="07-07", organisation="台州某机床厂")

    # --- the assessment: both strands, the notice, an objection, publication -------------------------------
    assessment = ok(
        as_user(office).post(
            "/api/v1/assessments/",
            {"year": YEAR, "spot_share": "1", "grade_mode": "threshold", "excellent_threshold": "3",
             "pass_threshold": "1.5", "excellent_quota": "0.15", "notice_days": 5, "late_approvals": "next_year",
             # the teams began serving today (this test's year is compressed into one day): assess them
             "new_team_days": 0},
            format="json",
        ),
        201,
    )  # fmt: skip
    pk = assessment["id"]
    # The shared visit counts once: for the pumps team, who wrote it first.
    preview = {
        r["team"]["id"]: r["score"] for r in ok(as_user(office).get(f"/api/v1/assessments/{pk}/provisional/"))
    }
    assert preview == {pumps.pk: "3.50", sewing.pk: "1.50", culture.pk: "3.50"}  # a visit 1.5, a training 2
    ok(as_user(office).post(f"/api/v1/assessments/{pk}/spot-draw/", {"seed": 2026}, format="json"))
    ok(as_user(humanities_office).post(f"/api/v1/assessments/{pk}/spot-draw/", {"seed": 2026}, format="json"))
    approve(late, science_admin)  # after the draw: not in this year's set (carried to the next)
    checks = ok(as_user(office).get(f"/api/v1/assessments/{pk}/spot-checks/"))
    assert {c["record"]["id"] for c in checks} == set(approved)
    for check in checks:
        by = office if check["category"] == "science" else humanities_office
        rejected = check["record"]["id"] == approved[5]  # the 非遗 lecture's evidence does not hold
        body = {"upheld": False, "reason": "签到表与讲座不符"} if rejected else {"upheld": True}
        ok(as_user(by).post(f"/api/v1/spot-checks/{check['id']}/decide/", body, format="json"))
    ok(as_user(office).post(f"/api/v1/assessments/{pk}/notice-begin/"))
    client.force_login(office)  # the office sees the late record, kept out of this year
    page = client.get(f"/assessment/{pk}/").content.decode()
    assert "名单确定后审核通过的记录（1，不计入本年度）" in page and "抽样后才审核的走访" in page
    client.logout()

    # The public notice (a page, no login): the fixed scores and the material behind them.
    page = client.get(f"/assessment/{pk}/notice/").content.decode()
    assert "泵体振动诊断签到表.pdf" in page and "抽样后才审核的走访" not in page
    lodged = client.post(
        f"/assessment/{pk}/notice/",
        {"author": "张三", "contact": "zhang@example.com", "text": "缝制队的调试记录存疑", "team": sewing.pk},
    )
    assert lodged.status_code == 302
    (objection,) = ok(as_user(office).get(f"/api/v1/assessments/{pk}/objections/"))
    ok(
        as_user(office).post(
            f"/api/v1/objections/{objection['id']}/answer/", {"answer": "经核查属实。"}, format="json"
        )
    )
    Assessment.objects.filter(pk=pk).update(notice_end=timezone.now() - timedelta(minutes=1))  # five days on
    ok(as_user(office).post(f"/api/v1/assessments/{pk}/publish/"))

    # --- a correction after publication ------------------------------------------------------------------
    correction = ok(
        as_user(office).post(
            f"/api/v1/assessments/{pk}/corrections/",
            {"reason": "复核发现缝制设备调试记录重复填报", "remove": [approved[3]]},
            format="json",
        ),
        201,
    )
    assert correction["before"][sewing.name]["score"] == "1.50"
    assert correction["after"][sewing.name]["score"] == "0.00"

    # --- everything agrees to the point ------------------------------------------------------------------
    published = {r.team_id: r for r in AssessmentResult.objects.filter(assessment_id=pk)}
    assert {t: str(r.score) for t, r in published.items()} == {
        pumps.pk: "3.50",  # visit + training
        sewing.pk: "0.00",  # its repeat of the shared visit left out, its own visit corrected away
        culture.pk: "1.50",  # the lecture rejected at the spot check
    }
    public = {r["team"]["id"]: r["score"] for r in ok(as_user().get(f"/api/v1/assessments/{pk}/notice/"))}
    assert public == {t: str(r.score) for t, r in published.items()}

    sheets = ok(as_user(office).get(f"/api/v1/assessments/{pk}/appendix-c/", {"kind": "xlsx"}))
    book = load_workbook(io.BytesIO(sheets.content))
    listing = ok(as_user().get(f"/api/v1/assessments/{pk}/notice-list/", {"kind": "xlsx"}))
    listed = load_workbook(io.BytesIO(listing.content)).active
    listed_rows = {
        row[1]: row for row in listed.iter_rows(values_only=True) if row and row[1] in {t.name for t in teams}
    }
    for team in teams:
        result = published[team.pk]
        sheet = book[team.name[:28]]
        cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
        assert f"总分 {result.score} 分" in " ".join(map(str, cells))
        # The sheet's items add up to the total, each after its cap.
        item_rows = [row for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)]
        assert sum((Decimal(str(row[6])) for row in item_rows), Decimal("0")) == result.score
        assert Decimal(str(listed_rows[team.name][4])) == result.score
        archive = ok(as_user(captain_of(team)).get(f"/api/v1/archives/{team.pk}/{YEAR}/"))
        assert Decimal(archive["total"]) == result.score
        scored_rows = [Decimal(row["score"]) for row in archive["rows"] if row["score"] is not None]
        assert sum(scored_rows, Decimal("0")) == result.score
    # The results notice names the correction; the late record waits for next year.
    notice = ok(as_user().get(f"/api/v1/assessments/{pk}/results-notice/", {"kind": "xlsx"}))
    cells = [
        str(c)
        for row in load_workbook(io.BytesIO(notice.content)).active.iter_rows(values_only=True)
        for c in row
        if c
    ]
    assert any("复核发现缝制设备调试记录重复填报" in c for c in cells)
    page = client.get(f"/assessment/{pk}/notice/").content.decode()
    assert "复核发现缝制设备调试记录重复填报" in page
