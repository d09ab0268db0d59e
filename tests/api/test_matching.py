"""Recommendations both ways and engagements through the API (matching.selectors and
engagements.services, as the pages use them)."""

import pytest

from demand.selectors import HIDDEN_NAME
from engagements.models import Engagement
from matching.models import Recommendation
from tests.api.conftest import assert_error
from tests.factories import EnterpriseUserFactory, TeamMemberUserFactory, build_valid_team, published_need

pytestmark = pytest.mark.django_db

EXPLANATION = {
    "total": 0.82,
    "contributions": {"dense": 0.5, "lexical": 0.2, "industry": 0.12},
    "matched_keywords": ["减振", "平缝机"],
    "reasons": ["同属缝制机械制造业"],
}


@pytest.fixture
def world():
    owner = EnterpriseUserFactory(phone="13900000001", email="owner@example.com")
    need = published_need(enterprise_user=owner, show_enterprise=False)
    team = build_valid_team(status="active")
    captain = team.members.get(role="captain").user
    captain.phone = "13700000002"
    captain.save()
    Recommendation.objects.create(
        need=need, team=team, rank=1, score=0.82, explanation=EXPLANATION, model_version="t"
    )
    return {
        "owner": owner,
        "colleague": EnterpriseUserFactory(enterprise=owner.enterprise),
        "outsider": EnterpriseUserFactory(),
        "need": need,
        "team": team,
        "captain": captain,
        "other_teacher": TeamMemberUserFactory(),
    }


def test_the_enterprise_sees_its_needs_recommended_teams_with_reasons(api, world):
    need, team = world["need"], world["team"]
    body = api(world["owner"]).get(f"/api/v1/needs/{need.pk}/recommendations/").json()
    assert [r["team"]["id"] for r in body] == [team.pk]
    assert body[0]["explained"]["matched_keywords"] == ["减振", "平缝机"]
    assert [f["key"] for f in body[0]["explained"]["factors"]] == ["dense", "lexical", "industry"]
    for who in ("outsider", "captain"):
        assert_error(api(world[who]).get(f"/api/v1/needs/{need.pk}/recommendations/"), 404)


def test_a_team_sees_the_needs_recommended_to_it_without_the_hidden_name(api, world):
    need, team = world["need"], world["team"]
    body = api(world["captain"]).get(f"/api/v1/teams/{team.pk}/recommendations/").json()
    assert body["count"] == 1 and body["results"][0]["need"]["id"] == need.pk
    assert body["results"][0]["enterprise_display"] == HIDDEN_NAME
    assert need.enterprise.name not in str(body)
    assert_error(api(world["other_teacher"]).get(f"/api/v1/teams/{team.pk}/recommendations/"), 404)
    bad = api(world["captain"]).get(f"/api/v1/teams/{team.pk}/recommendations/", {"min_score": "2"})
    assert_error(bad, 400, "validation_error", fields=["min_score"])


def test_invite_accept_start_complete(api, world):
    need, team, owner, captain = world["need"], world["team"], world["owner"], world["captain"]
    created = api(owner).post(
        "/api/v1/engagements/",
        {"origin": "invitation", "need": need.pk, "team": team.pk, "message": "请评估"},
        format="json",
    )
    assert created.status_code == 201, created.content
    engagement_id = created.json()["id"]
    assert created.json()["contacts"] is None  # not before agreement
    duplicate = api(owner).post(
        "/api/v1/engagements/", {"origin": "invitation", "need": need.pk, "team": team.pk}, format="json"
    )
    assert_error(duplicate, 409, "duplicate")
    # The enterprise does not accept its own invitation; the team does, with a scope.
    assert_error(
        api(owner).post(f"/api/v1/engagements/{engagement_id}/accept/", {"scope": "x"}, format="json"), 403
    )
    assert_error(
        api(captain).post(f"/api/v1/engagements/{engagement_id}/accept/", {}, format="json"),
        400,
        fields=["scope"],
    )
    accepted = api(captain).post(
        f"/api/v1/engagements/{engagement_id}/accept/", {"scope": "三个月内完成分析"}, format="json"
    )
    body = accepted.json()
    assert body["status"] == "agreed" and "13900000001" in str(body["contacts"])
    assert body["enterprise_name"] == need.enterprise.name  # a party, once agreed
    assert api(captain).post(f"/api/v1/engagements/{engagement_id}/start/").json()["status"] == "in_service"
    assert_error(
        api(owner).post(f"/api/v1/engagements/{engagement_id}/complete/", {"rating": 9}, format="json"),
        400,
        fields=["rating"],
    )
    done = api(owner).post(
        f"/api/v1/engagements/{engagement_id}/complete/", {"rating": 5, "comment": "很好"}, format="json"
    )
    assert done.json()["status"] == "completed" and done.json()["rating"] == 5
    need.refresh_from_db()
    assert need.status == "resolved"


def test_interest_is_declared_by_a_captain_and_declined_by_the_enterprise(api, world):
    need, team, owner, captain = world["need"], world["team"], world["owner"], world["captain"]
    empty = api(captain).post(
        "/api/v1/engagements/", {"origin": "interest", "need": need.pk, "team": team.pk}, format="json"
    )
    assert "方案" in assert_error(empty, 400)["message"]
    assert_error(
        api(world["other_teacher"]).post(
            "/api/v1/engagements/",
            {"origin": "interest", "need": need.pk, "team": team.pk, "message": "方案"},
            format="json",
        ),
        403,
        "permission_denied",
    )
    created = api(captain).post(
        "/api/v1/engagements/",
        {"origin": "interest", "need": need.pk, "team": team.pk, "message": "先到厂调研"},
        format="json",
    )
    engagement_id = created.json()["id"]
    assert created.json()["enterprise_name"] == HIDDEN_NAME
    declined = api(owner).post(
        f"/api/v1/engagements/{engagement_id}/decline/", {"reason": "已找到合作方"}, format="json"
    )
    assert declined.json()["status"] == "declined"


def test_engagements_are_hidden_from_outsiders(api, world):
    need, team = world["need"], world["team"]
    engagement = Engagement.objects.create(
        need=need, team=team, origin="invitation", created_by=world["owner"]
    )
    for who in ("owner", "colleague", "captain"):
        assert api(world[who]).get(f"/api/v1/engagements/{engagement.pk}/").status_code == 200
        assert api(world[who]).get("/api/v1/engagements/").json()["count"] == 1
    for who in ("outsider", "other_teacher"):
        assert_error(api(world[who]).get(f"/api/v1/engagements/{engagement.pk}/"), 404)
        assert api(world[who]).get("/api/v1/engagements/").json()["count"] == 0
        assert_error(
            api(world[who]).post(
                f"/api/v1/engagements/{engagement.pk}/cancel/", {"reason": "x"}, format="json"
            ),
            404,
        )
    engagement.refresh_from_db()
    assert engagement.status == "proposed"


def test_an_outsider_cannot_invite_for_someone_elses_need(api, world):
    need, team = world["need"], world["team"]
    response = api(world["outsider"]).post(
        "/api/v1/engagements/", {"origin": "invitation", "need": need.pk, "team": team.pk}, format="json"
    )
    assert_error(response, 404)
    assert not Engagement.objects.exists()


def test_a_record_written_against_an_engagement_is_linked_or_not_saved_at_all(api, world):
    from engagements.models import EngagementRecord
    from teams.models import ServiceRecord

    need, team, captain = world["need"], world["team"], world["captain"]
    engagement = Engagement.objects.create(
        need=need, team=team, origin="invitation", created_by=world["owner"]
    )
    record = {
        "record_type": "service_visit",
        "date": "2026-03-01",
        "title": "赴企业开展减振诊断",
        "served_organisation": "某企业",
        "description": "现场测试。",
    }
    early = api(captain).post(f"/api/v1/engagements/{engagement.pk}/records/", record, format="json")
    assert_error(early, 409, "wrong_state")
    assert not ServiceRecord.objects.exists()  # the record and its link: both or neither
    Engagement.objects.filter(pk=engagement.pk).update(status="agreed")
    made = api(captain).post(f"/api/v1/engagements/{engagement.pk}/records/", record, format="json")
    assert made.status_code == 201, made.content
    saved = ServiceRecord.objects.get(pk=made.json()["id"])
    assert saved.served_enterprise == need.enterprise and saved.team == team
    assert EngagementRecord.objects.get(record=saved).engagement_id == engagement.pk
    assert_error(
        api(world["owner"]).post(f"/api/v1/engagements/{engagement.pk}/records/", record, format="json"), 403
    )
