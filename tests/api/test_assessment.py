"""Scores, assessments (the public notice included) and archives through the API."""

import pytest

from scoring.assessment import assessment_open
from scoring.models import Assessment
from tests.api.conftest import assert_error
from tests.factories import CollegeAdminFactory, StoAdminFactory, TeamMemberUserFactory, humanities_office_of
from tests.scoring.test_assessment import world  # noqa: F401 - the assessment tests' fixture

pytestmark = pytest.mark.django_db


def test_a_teams_score_for_those_who_see_its_records(api, world):  # noqa: F811
    office, science, _humanities, _records = world
    body = api(office).get("/api/v1/scores/", {"team": science.pk, "year": 2026}).json()
    assert body["total"] == "7.50" and body["items"][0]["record_type"] == "service_visit"
    captain = science.members.get(role="captain").user
    assert api(captain).get("/api/v1/scores/", {"team": science.pk, "year": 2026}).status_code == 200
    assert_error(api(TeamMemberUserFactory()).get("/api/v1/scores/", {"team": science.pk, "year": 2026}), 404)
    assert_error(api(office).get("/api/v1/scores/", {"team": science.pk}), 400, "validation_error", ["year"])


def test_the_assessment_flow_and_who_sees_the_ranking(api, world):  # noqa: F811
    office, science, _humanities, _records = world
    assessment = assessment_open(
        by=office, year=2026, spot_share="0.4", pass_threshold="5", excellent_threshold="7"
    )
    captain = science.members.get(role="captain").user
    assert [a["id"] for a in api(captain).get("/api/v1/assessments/").json()["results"]] == [assessment.pk]
    # Before the scores are fixed the office previews them; nobody else does.
    preview = api(office).get(f"/api/v1/assessments/{assessment.pk}/provisional/").json()
    assert [r["rank"] for r in preview] == [1, 2]
    assert {r["team"]["id"] for r in preview} == {science.pk, _humanities.pk}
    row = next(r for r in preview if r["team"]["id"] == science.pk)
    assert (row["score"], row["grade"], row["grade_label"]) == ("7.50", "excellent", "优秀")
    assert api(captain).get(f"/api/v1/assessments/{assessment.pk}/provisional/").json() == []
    # A college's admin previews the college's own teams only, with their rank in the university.
    college_preview = api(CollegeAdminFactory(college=_humanities.college)).get(
        f"/api/v1/assessments/{assessment.pk}/provisional/"
    )
    assert [(r["team"]["id"], r["rank"]) for r in college_preview.json()] == [
        (_humanities.pk, next(r["rank"] for r in preview if r["team"]["id"] == _humanities.pk))
    ]
    assert api(StoAdminFactory()).get("/api/v1/assessments/").json()["count"] == 0
    assert_error(
        api(captain).post(f"/api/v1/assessments/{assessment.pk}/spot-draw/"), 403, "permission_denied"
    )
    assert api(office).post(f"/api/v1/assessments/{assessment.pk}/spot-draw/").status_code == 200
    # The notice waits for the humanities office's strand.
    waiting = assert_error(
        api(office).post(f"/api/v1/assessments/{assessment.pk}/notice-begin/"), 409, "pending"
    )
    assert "人文类尚未抽样" in waiting["message"]
    humanities_office = humanities_office_of(office.university)
    drawn = api(humanities_office).post(f"/api/v1/assessments/{assessment.pk}/spot-draw/").json()
    assert {d["category"] for d in drawn["draws"]} == {"science", "humanities"}
    assert_error(api(office).post(f"/api/v1/assessments/{assessment.pk}/notice-begin/"), 409, "pending")
    assert_error(api().get(f"/api/v1/assessments/{assessment.pk}/notice/"), 404)
    checks = api(office).get(f"/api/v1/assessments/{assessment.pk}/spot-checks/").json()
    assert len(checks) == assessment.spot_checks.count() > 0
    assert api(captain).get(f"/api/v1/assessments/{assessment.pk}/spot-checks/").json() == []
    first = checks[0]["id"]
    assert_error(
        api(captain).post(f"/api/v1/spot-checks/{first}/decide/", {"upheld": True}, format="json"), 404
    )
    science_check = next(c for c in checks if c["category"] == "science")["id"]
    no_reason = api(office).post(
        f"/api/v1/spot-checks/{science_check}/decide/", {"upheld": False}, format="json"
    )
    assert "原因" in assert_error(no_reason, 400)["message"]
    humanities_check = next(c for c in checks if c["category"] == "humanities")["id"]
    wrong_office = api(office).post(
        f"/api/v1/spot-checks/{humanities_check}/decide/", {"upheld": True}, format="json"
    )
    assert "对应的科研管理部门" in assert_error(wrong_office, 403)["message"]
    for check in checks:
        by = office if check["category"] == "science" else humanities_office
        decided = api(by).post(f"/api/v1/spot-checks/{check['id']}/decide/", {"upheld": True}, format="json")
        assert decided.json()["result"] == "upheld"
    assert api(office).post(f"/api/v1/assessments/{assessment.pk}/notice-begin/").json()["status"] == "notice"
    assert api(office).get(f"/api/v1/assessments/{assessment.pk}/provisional/").json() == []  # fixed now
    notice = api().get(f"/api/v1/assessments/{assessment.pk}/notice/").json()
    assert {r["team"]["id"] for r in notice} == {science.pk, _humanities.pk}
    assert "breakdown" not in str(notice)
    result_id = next(r["id"] for r in notice if r["team"]["id"] == science.pk)
    assert api(captain).get(f"/api/v1/results/{result_id}/").json()["breakdown"]
    assert_error(api(TeamMemberUserFactory()).get(f"/api/v1/results/{result_id}/"), 404)
    ranking = api(captain).get(f"/api/v1/assessments/{assessment.pk}/results/").json()
    assert ranking["count"] == 2
    assert Assessment.objects.get(pk=assessment.pk).status == "notice"


def test_the_archive_and_its_download(api, world):  # noqa: F811
    office, science, _humanities, _records = world
    body = api(office).get(f"/api/v1/archives/{science.pk}/2026/").json()
    assert body["team"]["id"] == science.pk and body["rows"]
    assert_error(api(TeamMemberUserFactory()).get(f"/api/v1/archives/{science.pk}/2026/"), 404)
    assert_error(
        api(office).get(f"/api/v1/archives/{science.pk}/2026/download/", {"kind": "doc"}),
        400,
        fields=["kind"],
    )
    download = api(office).get(f"/api/v1/archives/{science.pk}/2026/download/", {"kind": "xlsx"})
    if body["missing"]:
        assert "必填项缺失" in assert_error(download, 400)["message"]
    else:
        assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd.openxml")


def test_a_spot_draw_with_a_seed_draws_what_that_seed_draws_on_the_page(api, world):  # noqa: F811
    from scoring.assessment import spot_population, spot_sample

    office, *_ = world
    assessment = assessment_open(by=office, year=2026, spot_share="0.5")
    expected = spot_sample(spot_population(assessment, "science"), assessment.spot_share, 11)
    body = api(office).post(f"/api/v1/assessments/{assessment.pk}/spot-draw/", {"seed": 11}, format="json")
    assert body.status_code == 200 and body.json()["spot_seed"] == 11
    drawn = sorted(assessment.spot_checks.values_list("record_id", flat=True))
    assert drawn == sorted(r for ids in expected.values() for r in ids) and drawn


def test_a_spot_draw_without_a_seed_records_the_one_it_drew_with(api, world):  # noqa: F811
    office, *_ = world
    assessment = assessment_open(by=office, year=2026)
    body = api(office).post(f"/api/v1/assessments/{assessment.pk}/spot-draw/").json()
    assert isinstance(body["spot_seed"], int) and body["status"] == "spot_check"


@pytest.mark.parametrize(
    "seed, message", [(-1, "非负整数"), ("abc", "非负整数"), (1.5, "非负整数"), (2**63, "过大")]
)
def test_a_bad_spot_draw_seed_is_refused_and_draws_nothing(api, world, seed, message):  # noqa: F811
    office, *_ = world
    assessment = assessment_open(by=office, year=2026)
    response = api(office).post(
        f"/api/v1/assessments/{assessment.pk}/spot-draw/", {"seed": seed}, format="json"
    )
    error = assert_error(response, 400, "validation_error", ["seed"])
    assert message in str(error)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.OPEN and assessment.spot_seed is None
    assert not assessment.spot_checks.exists()
