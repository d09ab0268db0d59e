"""The case library (案例库) and a college's archive zip through the API, with the pages' services and
selectors: a team's members write cases, the team, its college and its office read them, the office
marks the exemplary ones; the college's administrator and its office download the zip. Everyone else
gets a 404 that says nothing; bad input is a 400 that saves nothing."""

import io
import zipfile

import pytest

from scoring.assessment import case_create
from scoring.models import Case
from tests.api.conftest import assert_error
from tests.factories import CollegeAdminFactory, StoAdminFactory, TeamMemberUserFactory
from tests.hostile_text import SCRIPT, SQL
from tests.scoring.test_views import world  # noqa: F401 - the assessment pages' fixture

pytestmark = pytest.mark.django_db
CASE = {"year": 2026, "title": "高速平缝机减振改造", "text": "为企业完成机头减振，噪声下降 6 分贝。"}


@pytest.fixture
def case(world):  # noqa: F811
    _university, _college, team, _office = world
    return case_create(
        team=team, by=team.members.get(role="captain").user, year=2025, title="保密旧案例", text="内容"
    )


def test_a_member_adds_a_case_and_the_college_and_office_read_it(api, world, case):  # noqa: F811
    _university, college, team, office = world
    captain = team.members.get(role="captain").user
    response = api(captain).post("/api/v1/cases/", {**CASE, "team": team.pk}, format="json")
    assert response.status_code == 201, response.content
    created = Case.objects.get(pk=response.json()["id"])
    assert (created.team, created.created_by, created.year, created.exemplary) == (team, captain, 2026, False)
    for reader in (captain, CollegeAdminFactory(college=college), office):
        listed = api(reader).get("/api/v1/cases/").json()
        assert listed["count"] == 2
    assert api(office).get("/api/v1/cases/", {"year": 2025}).json()["results"][0]["id"] == case.pk
    assert api(office).get(f"/api/v1/cases/{created.pk}/").json()["team"] == {
        "id": team.pk,
        "name": team.name,
    }


def test_the_office_marks_a_case_exemplary_and_only_the_office(api, world, case):  # noqa: F811
    _university, college, team, office = world
    captain = team.members.get(role="captain").user
    refused = api(captain).post(f"/api/v1/cases/{case.pk}/exemplary/", {"exemplary": True}, format="json")
    assert_error(refused, 403, "permission_denied")
    response = api(office).post(f"/api/v1/cases/{case.pk}/exemplary/", {"exemplary": True}, format="json")
    assert response.status_code == 200 and response.json()["exemplary"] is True
    assert api(office).get("/api/v1/cases/", {"exemplary": "true"}).json()["count"] == 1


def test_it_refuses_outsiders_cases_without_a_hint(api, world, case):  # noqa: F811
    _university, _college, team, _office = world
    for user, status in ((None, 401), (TeamMemberUserFactory(), 404), (StoAdminFactory(), 404)):
        client = api(user)
        if user is not None:
            assert client.get("/api/v1/cases/").json()["count"] == 0
        for response in (
            client.get(f"/api/v1/cases/{case.pk}/"),
            client.post("/api/v1/cases/", {**CASE, "team": team.pk}, format="json"),
            client.post(f"/api/v1/cases/{case.pk}/exemplary/", {"exemplary": True}, format="json"),
        ):
            assert "保密旧案例" not in str(assert_error(response, status))
    case.refresh_from_db()
    assert Case.objects.count() == 1 and not case.exemplary


def test_a_college_admin_who_sees_the_team_but_is_no_member_may_not_write_its_cases(api, world):  # noqa: F811
    _university, college, team, _office = world
    response = api(CollegeAdminFactory(college=college)).post(
        "/api/v1/cases/", {**CASE, "team": team.pk}, format="json"
    )
    assert_error(response, 403, "permission_denied")
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": " "}, "title"),
        ({"text": "长" * 5001}, "text"),
        ({"year": 1999}, "year"),
        ({"team": "x"}, "team"),
    ],
)
def test_it_rejects_bad_case_input_and_saves_nothing(api, world, change, field):  # noqa: F811
    _university, _college, team, _office = world
    captain = team.members.get(role="captain").user
    response = api(captain).post("/api/v1/cases/", {**CASE, "team": team.pk, **change}, format="json")
    assert_error(response, 400, fields=[field])
    assert not Case.objects.exists()


@pytest.mark.parametrize(("name", "value"), [("year", "abc"), ("team", "0"), ("exemplary", "maybe")])
def test_a_bad_list_filter_is_a_400(api, world, name, value):  # noqa: F811
    assert_error(api(world[3]).get("/api/v1/cases/", {name: value}), 400, "validation_error", [name])


@pytest.mark.parametrize("who", ["college", "office"])
def test_the_college_and_its_office_download_the_colleges_archive_zip(api, world, who):  # noqa: F811
    _university, college, team, office = world
    user = CollegeAdminFactory(college=college) if who == "college" else office
    response = api(user).get(f"/api/v1/archives/colleges/{college.pk}/2026/download/")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == ["未归档清单.txt"]  # the team lacks its highlights: listed, not archived incomplete


@pytest.mark.parametrize("who", ["anonymous", "member", "other_college", "other_office"])
def test_others_get_no_colleges_archive_zip(api, world, who):  # noqa: F811
    _university, college, team, _office = world
    user = {
        "anonymous": None,
        "member": team.members.get(role="captain").user,
        "other_college": CollegeAdminFactory(),
        "other_office": StoAdminFactory(),
    }[who]
    response = api(user).get(f"/api/v1/archives/colleges/{college.pk}/2026/download/")
    assert_error(response, 401 if user is None else 404)
    assert college.name not in response.content.decode()


def test_a_year_out_of_range_is_a_404(api, world):  # noqa: F811
    _university, college, _team, office = world
    assert_error(api(office).get(f"/api/v1/archives/colleges/{college.pk}/1999/download/"), 404)


def test_hostile_text_in_a_case_is_stored_as_typed(api, world):  # noqa: F811
    _university, _college, team, office = world
    captain = team.members.get(role="captain").user
    response = api(captain).post(
        "/api/v1/cases/", {**CASE, "team": team.pk, "title": SCRIPT, "text": SQL}, format="json"
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.title, case.text) == (SCRIPT, SQL)
    assert api(office).get(f"/api/v1/cases/{case.pk}/").json()["text"] == SQL
    assert response["Content-Type"] == "application/json"  # never rendered as HTML
