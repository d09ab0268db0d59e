"""Odd input to the API answers 4xx in the one error shape, never a 500, and changes nothing."""

import pytest

from teams.models import ServiceRecord, Team
from tests.api.conftest import assert_error
from tests.factories import EnterpriseUserFactory, IndustryFactory, TeamMemberUserFactory, build_valid_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    IndustryFactory()
    return build_valid_team(status="active")


@pytest.fixture
def captain(team):
    return team.members.get(role="captain").user


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/teams/?q=a%00b",
        "/api/v1/portraits/?q=%00",
        "/api/v1/portraits/?industry=3%00",
        "/api/v1/hall/?q=%00",
    ],
)
def test_a_nul_character_in_a_query_is_a_400(api, captain, url):
    assert_error(api(captain).get(url), 400, "validation_error")


@pytest.mark.parametrize("code", ["%00", "３５", "A" * 40])
def test_odd_reference_codes_are_404s(api, db, code):
    assert_error(api().get(f"/api/v1/industries/{code}/"), 404)
    assert_error(api().get(f"/api/v1/regions/{code}/"), 404)


@pytest.mark.parametrize("team_value", ["²", "١٢", "9" * 40, -1, True, None, [1], {"a": 1}])
def test_odd_ids_in_a_body_are_404s(api, captain, team_value):
    body = {"team": team_value, "name": "郑五", "role": "core"}
    response = api(captain).post("/api/v1/members/", body, format="json")
    assert_error(response, 404)


@pytest.mark.parametrize("body", [[], "text", 12, [{"team": 1}]])
def test_a_body_that_is_not_an_object_is_a_400(api, captain, team, body):
    before = Team.objects.get(pk=team.pk).updated_at
    response = api(captain).patch(f"/api/v1/teams/{team.pk}/", body, format="json")
    assert response.status_code == 400, response.content
    assert_error(response, 400)
    assert Team.objects.get(pk=team.pk).updated_at == before
    assert_error(api(EnterpriseUserFactory()).post("/api/v1/needs/", body, format="json"), 400)


# A huge id alone reaches the database query (with "x" beside it, Django refuses "x" first); SQLite
# cannot hold an integer past 2**63 - 1 and once failed with a 500 there.
@pytest.mark.parametrize("participants", [[10**30, "x"], [10**30], [2**63], [-(2**70)]])
def test_huge_member_ids_in_a_record_are_refused(api, captain, team, participants):
    body = {
        "team": team.pk,
        "record_type": "service_visit",
        "date": "2026-03-01",
        "title": "赴企业开展服务",
        "served_organisation": "某企业",
        "description": "现场服务",
        "participants": participants,
    }
    assert_error(api(captain).post("/api/v1/records/", body, format="json"), 400, fields=["participants"])
    assert not ServiceRecord.objects.exists()


def test_an_odd_team_id_in_a_query_is_a_400_rather_than_a_failure(api, team):
    response = api(TeamMemberUserFactory()).get("/api/v1/records/", {"team": "²"})
    assert_error(response, 400, "validation_error", ["team"])  # a 400 naming it, never a 500
