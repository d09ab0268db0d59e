"""Saved searches (订阅) through the API: the same service and checks as the feed page. Any member of the
team manages them; anybody else gets a 404 and learns nothing; bad input is a 400 that saves nothing."""

import pytest

from matching.models import SavedSearch
from matching.saved_searches import saved_search_create
from tests.api.conftest import assert_error
from tests.factories import EnterpriseUserFactory
from tests.matching.test_views import make_world

pytestmark = pytest.mark.django_db
URL = "/api/v1/saved-searches/"
BODY = {
    "name": "平缝机减振",
    "query": "平缝机  振动",
    "industry_prefix": "35",
    "region_prefix": "331000",
    "service_type": "diagnosis",
    "min_score": 0.3,
    "frequency": "immediate",
}


@pytest.fixture
def world(reference_data):
    w = make_world()
    w.search = saved_search_create(team=w.team, by=w.captain, name="保密订阅泵类", query="泵")
    return w


def test_a_member_creates_lists_and_reads_the_teams_searches(api, world):
    client = api(world.member)
    response = client.post(URL, {**BODY, "team": world.team.pk}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    search = SavedSearch.objects.get(pk=body["id"])
    assert (search.team, search.owner, search.query, search.region_prefix) == (
        world.team, world.member, "平缝机 振动", "3310"
    )  # fmt: skip
    assert body["team_name"] == world.team.name and body["frequency"] == "immediate"
    listed = client.get(URL).json()
    assert listed["count"] == 2  # the captain's too: any member manages the team's searches
    assert client.get(f"{URL}?team={world.other_team.pk}").json()["count"] == 0
    assert client.get(f"{URL}{world.search.pk}/").json()["name"] == "保密订阅泵类"


def test_a_member_pauses_changes_and_deletes_a_search(api, world):
    client = api(world.member)
    response = client.patch(f"{URL}{world.search.pk}/", {"active": False, "min_score": 0.5}, format="json")
    assert response.status_code == 200, response.content
    world.search.refresh_from_db()
    assert (world.search.active, world.search.min_score, world.search.name) == (False, 0.5, "保密订阅泵类")
    assert client.delete(f"{URL}{world.search.pk}/").status_code == 204
    assert not SavedSearch.objects.filter(pk=world.search.pk).exists()


@pytest.mark.parametrize("who", ["other_captain", "enterprise", "anonymous"])
def test_it_refuses_anyone_outside_the_team_without_a_hint(api, world, who):
    people = {"other_captain": world.other_captain, "enterprise": EnterpriseUserFactory(), "anonymous": None}
    user = people[who]
    client = api(user)
    status = 401 if user is None else 404
    listed = client.get(URL)
    if user is None:
        assert_error(listed, 401, "not_authenticated")
    else:
        assert listed.json()["count"] == 0
    for response in (
        client.get(f"{URL}{world.search.pk}/"),
        client.patch(f"{URL}{world.search.pk}/", {"active": False}, format="json"),
        client.delete(f"{URL}{world.search.pk}/"),
        client.post(URL, {**BODY, "team": world.team.pk}, format="json"),
    ):
        assert_error(response, status)
        assert "保密订阅" not in response.content.decode()
    world.search.refresh_from_db()
    assert world.search.active and SavedSearch.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "  ", "不能为空"),
        ("industry_prefix", "3", "门类字母或 2–4 位数字代码"),
        ("industry_prefix", "9999", "未知的行业代码"),
        ("region_prefix", "990000", "未知的地区代码"),
        ("min_score", 2, "1"),
        ("frequency", "hourly", "不是合法选项"),
        ("service_type", "magic", "不是合法选项"),
        ("query", " ".join("词" * 11), "关键词最多 10 个"),
        ("team", "abc", "整数"),
    ],
)
def test_it_rejects_bad_input_and_saves_nothing(api, world, field, value, message):
    body = {**BODY, "team": world.team.pk, field: value}
    response = api(world.member).post(URL, body, format="json")
    error = assert_error(response, 400, fields=[field])
    assert any(message in m for m in error["fields"][field]), error
    assert SavedSearch.objects.count() == 1


def test_a_bad_change_is_refused_and_changes_nothing(api, world):
    response = api(world.captain).patch(
        f"{URL}{world.search.pk}/", {"name": "新名称", "region_prefix": "990000"}, format="json"
    )
    assert_error(response, 400, fields=["region_prefix"])
    world.search.refresh_from_db()
    assert (world.search.name, world.search.region_prefix) == ("保密订阅泵类", "")


def test_the_list_filters_by_team_and_state_and_refuses_bad_parameters(api, world):
    client = api(world.captain)
    saved_search_create(team=world.team, by=world.captain, name="第二个订阅")
    client.patch(f"{URL}{world.search.pk}/", {"active": False}, format="json")
    assert [s["id"] for s in client.get(URL, {"active": "false"}).json()["results"]] == [world.search.pk]
    assert client.get(URL, {"team": world.team.pk, "active": "true"}).json()["count"] == 1
    assert_error(client.get(URL, {"team": "abc"}), 400, "validation_error", ["team"])
    assert_error(client.get(URL, {"active": "maybe"}), 400, "validation_error", ["active"])
