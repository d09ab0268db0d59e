"""Assignments (指派) through the API: the same services and selectors as the pages, the one error shape."""

from datetime import timedelta

import pytest
from django.utils import timezone

from engagements.models import Assignment
from matching.models import Recommendation
from teams.models import Member, MemberRole
from tests.api.conftest import assert_error
from tests.factories import StoAdminFactory, TeamMemberUserFactory, build_valid_team, published_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    team = build_valid_team(status="active")
    office = StoAdminFactory(university=team.college.university)
    need = published_need()
    return team, office, need, team.members.get(role="captain").user


def _deadline(days=2):
    return (timezone.now() + timedelta(days=days)).isoformat()


def test_office_assigns_and_the_captain_accepts(api, world):
    team, office, need, captain = world
    response = api(office).post(
        "/api/v1/assignments/", {"need": need.pk, "team": team.pk, "deadline": _deadline()}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["team"]["id"], body["overdue"]) == ("pending", team.pk, False)
    listed = api(captain).get("/api/v1/assignments/").json()
    assert [a["id"] for a in listed["results"]] == [body["id"]]
    accepted = api(captain).post(
        f"/api/v1/assignments/{body['id']}/accept/", {"scope": "到厂调研"}, format="json"
    )
    assert accepted.status_code == 200 and accepted.json()["engagement"] is not None


def test_refusals_use_the_error_shape(api, world):
    team, office, need, captain = world
    assert_error(
        api(captain).post(
            "/api/v1/assignments/", {"need": need.pk, "team": team.pk, "deadline": _deadline()}, format="json"
        ),
        403,
        "permission_denied",
    )
    assert_error(
        api(office).post(
            "/api/v1/assignments/",
            {"need": need.pk, "team": team.pk, "deadline": _deadline(-1)},
            format="json",
        ),
        400,
        "invalid",
    )
    assert_error(
        api(office).post("/api/v1/assignments/", {"need": need.pk, "team": team.pk}, format="json"),
        400,
        "validation_error",
        fields=["deadline"],
    )
    assert not Assignment.objects.exists()
    made = (
        api(office)
        .post(
            "/api/v1/assignments/", {"need": need.pk, "team": team.pk, "deadline": _deadline()}, format="json"
        )
        .json()
    )
    assert_error(
        api(captain).post(f"/api/v1/assignments/{made['id']}/decline/", {}, format="json"),
        400,
        fields=["reason"],
    )
    plain = TeamMemberUserFactory(college=team.college)
    Member.objects.create(team=team, user=plain, name="郑四", role=MemberRole.CORE, title="讲师")
    assert_error(
        api(plain).post(f"/api/v1/assignments/{made['id']}/accept/", {"scope": "x"}, format="json"),
        403,
        "permission_denied",
    )
    assert_error(api(StoAdminFactory()).get(f"/api/v1/assignments/{made['id']}/"), 404, "not_found")
    Assignment.objects.filter(pk=made["id"]).update(deadline=timezone.now() - timedelta(minutes=1))
    assert_error(
        api(captain).post(f"/api/v1/assignments/{made['id']}/accept/", {"scope": "x"}, format="json"),
        409,
        "wrong_state",
    )
    overdue = api(office).get("/api/v1/assignments/?overdue=true").json()
    assert [a["id"] for a in overdue["results"]] == [made["id"]] and overdue["results"][0]["overdue"]
    withdrawn = api(office).post(
        f"/api/v1/assignments/{made['id']}/withdraw/", {"reason": "改派他队"}, format="json"
    )
    assert withdrawn.json()["status"] == "withdrawn"


def test_candidates_show_ranking_and_load_to_operators_only(api, world):
    team, office, need, captain = world
    Recommendation.objects.create(
        need=need, team=team, rank=1, score=0.7, explanation={"reasons": ["行业相同"]}, model_version="t"
    )
    rows = api(office).get(f"/api/v1/needs/{need.pk}/assignment-candidates/").json()
    assert rows[0]["team"]["id"] == team.pk and rows[0]["reasons"] == ["行业相同"]
    assert (rows[0]["open_engagements"], rows[0]["pending_assignments"]) == (0, 0)
    assert_error(
        api(captain).get(f"/api/v1/needs/{need.pk}/assignment-candidates/"), 403, "permission_denied"
    )


def test_the_handler_is_named_and_figures_are_given(api, world):
    team, office, need, captain = world
    handler = TeamMemberUserFactory(college=team.college)
    member = Member.objects.create(team=team, user=handler, name="孙对接", role=MemberRole.CORE, title="讲师")
    url = f"/api/v1/teams/{team.pk}/assignment-handler/"
    assert_error(api(handler).put(url, {"member": member.pk}, format="json"), 403, "permission_denied")
    assert_error(api(captain).put(url, {"member": 999999}, format="json"), 400, fields=["member"])
    assert_error(api(StoAdminFactory()).put(url, {"member": member.pk}, format="json"), 404, "not_found")
    named = api(captain).put(url, {"member": member.pk}, format="json").json()
    assert named["handler"] == {"id": member.pk, "name": "孙对接"}
    team.refresh_from_db()
    assert team.assignment_handler == member
    made = (
        api(office)
        .post(
            "/api/v1/assignments/", {"need": need.pk, "team": team.pk, "deadline": _deadline()}, format="json"
        )
        .json()
    )
    assert (
        api(handler).post(f"/api/v1/assignments/{made['id']}/decline/", {"reason": "任务已满"}).status_code
        == 200
    )
    rows = api(office).get("/api/v1/assignment-stats/").json()
    assert [(r["team"]["id"], r["declined"], r["accept_rate"]) for r in rows] == [(team.pk, 1, 0.0)]
    assert rows[0]["median_response_hours"] is not None
    assert api(StoAdminFactory()).get("/api/v1/assignment-stats/").json() == []
