"""Opening a year's assessment and revising a year's scoring table through the API, with the pages'
form and services: the S&T office does both; a teacher is refused; bad input is a 400 that saves
nothing; a frozen table stays as it is."""

import pytest

from scoring.models import Assessment, RuleSet
from scoring.scores import rules_for_year
from tests.api.conftest import assert_error
from tests.factories import CollegeFactory, StoAdminFactory, TeamMemberUserFactory

pytestmark = pytest.mark.django_db
OPEN = {
    "year": 2026,
    "spot_share": "0.2",
    "grade_mode": "threshold",
    "excellent_threshold": "60",
    "pass_threshold": "20",
    "excellent_quota": "0.15",
    "notice_days": 5,
}


@pytest.fixture
def office():
    return StoAdminFactory(university=CollegeFactory().university)


def test_the_office_opens_its_universitys_assessment_once(api, office):
    response = api(office).post("/api/v1/assessments/", OPEN, format="json")
    assert response.status_code == 201, response.content
    assessment = Assessment.objects.get()
    assert (assessment.university_id, assessment.year, assessment.status) == (
        office.university_id,
        2026,
        "open",
    )
    assert response.json()["id"] == assessment.pk
    assert_error(api(office).post("/api/v1/assessments/", OPEN, format="json"), 409, "duplicate")
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize(("user", "status"), [("anonymous", 401), ("teacher", 403)])
def test_others_cannot_open_one(api, user, status):
    client = api(None if user == "anonymous" else TeamMemberUserFactory())
    assert_error(client.post("/api/v1/assessments/", OPEN, format="json"), status)
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"year": 1999}, "year"),
        ({"spot_share": "1.5"}, "spot_share"),
        ({"grade_mode": "lottery"}, "grade_mode"),
        ({"excellent_threshold": "10", "pass_threshold": "20"}, "excellent_threshold"),
        ({"excellent_threshold": "12345678"}, "excellent_threshold"),  # more than the database holds
        ({"notice_days": 0}, "notice_days"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_opened(api, office, change, field):
    response = api(office).post("/api/v1/assessments/", {**OPEN, **change}, format="json")
    assert_error(response, 400, "validation_error", [field])
    assert not Assessment.objects.exists()


def test_everyone_signed_in_reads_a_years_table(api, office):
    body = api(TeamMemberUserFactory()).get("/api/v1/scoring-rules/2026/").json()
    assert body["year"] == 2026 and body["version"] == 1 and not body["frozen"]
    training = next(i for i in body["items"] if i["record_type"] == "training")
    assert training["label"] and training["points"]
    assert_error(api().get("/api/v1/scoring-rules/2026/"), 401)
    assert_error(api(office).get("/api/v1/scoring-rules/1999/"), 404)


def test_the_office_revises_the_table_as_a_new_version(api, office):
    before = rules_for_year(2026)[1]
    body = {"items": [{"record_type": "training", "points": "3.5", "cap": None}], "note": "提高培训分值"}
    response = api(office).post("/api/v1/scoring-rules/2026/revisions/", body, format="json")
    assert response.status_code == 201, response.content
    rule_set, rules = rules_for_year(2026, office.university_id)
    assert (rule_set.version, rule_set.note, str(rules["training"].points), rules["training"].cap) == (
        2, "提高培训分值", "3.50", None
    )  # fmt: skip
    assert rule_set.university_id == office.university_id
    assert before["training"].points != rules["training"].points
    assert rules["service_visit"] == before["service_visit"]  # what was not changed is carried over
    assert response.json()["version"] == 2 and response.json()["own"] is True
    # another university, and the platform's table, are unchanged
    assert rules_for_year(2026)[1] == before
    other = StoAdminFactory()
    assert api(other).get("/api/v1/scoring-rules/2026/").json()["version"] == 1


@pytest.mark.parametrize(
    "items",
    [
        [],
        [{"record_type": "magic", "points": "1"}],
        [{"record_type": "training", "points": "-1"}],
        [{"record_type": "training", "points": "1001"}],
        [{"record_type": "training", "points": "1"}, {"record_type": "training", "points": "2"}],
    ],
)
def test_bad_changes_are_refused_and_no_version_is_made(api, office, items):
    rules_for_year(2026)
    response = api(office).post("/api/v1/scoring-rules/2026/revisions/", {"items": items}, format="json")
    assert_error(response, 400, "validation_error")
    assert RuleSet.objects.filter(year=2026).count() == 1


def test_a_teacher_cannot_revise_and_a_frozen_table_stays(api, office):
    rules_for_year(2026)
    body = {"items": [{"record_type": "training", "points": "3"}]}
    assert_error(
        api(TeamMemberUserFactory()).post("/api/v1/scoring-rules/2026/revisions/", body, format="json"), 403
    )
    assert api(office).post("/api/v1/scoring-rules/2026/revisions/", body, format="json").status_code == 201
    RuleSet.objects.filter(year=2026, university=office.university).update(frozen=True)
    assert_error(
        api(office).post("/api/v1/scoring-rules/2026/revisions/", body, format="json"), 409, "frozen"
    )
    assert RuleSet.objects.filter(year=2026).count() == 2
