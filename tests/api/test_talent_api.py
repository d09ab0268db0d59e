"""人岗匹配 through the API: profile, openings, applications and the rankings with reasons."""

from datetime import timedelta

import pytest
from django.utils import timezone

from talent.models import Application, Opening, StudentProfile
from tests.api.conftest import assert_error
from tests.factories import EnterpriseUserFactory, TeamMemberUserFactory
from tests.talent.talent_world import *  # noqa: F403 - the fixtures team, captain, enterprise, students
from tests.talent.talent_world import THIS_YEAR, discipline, make_opening

pytestmark = pytest.mark.django_db


def test_a_student_saves_a_profile(api):
    user = TeamMemberUserFactory()
    body = {
        "level": "graduate",
        "major": "机械工程",
        "discipline": "机械工程",
        "year": THIS_YEAR - 1,
        "hours_per_week": 12,
        "skills": ["MATLAB", "振动测试"],
    }
    assert_error(api(user).get("/api/v1/students/profile/"), 404, "not_found")
    assert_error(
        api(user).put("/api/v1/students/profile/", {**body, "hours_per_week": 0}, format="json"), 400
    )
    assert_error(
        api(user).put("/api/v1/students/profile/", {**body, "discipline": "不存在的学科"}, format="json"),
        400,
        fields=["discipline"],
    )
    assert not StudentProfile.objects.exists()
    discipline("机械工程")
    saved = api(user).put("/api/v1/students/profile/", body, format="json")
    assert saved.status_code == 200 and saved.json()["discipline"] == "机械工程"
    assert_error(api(EnterpriseUserFactory()).put("/api/v1/students/profile/", body, format="json"), 403)


def test_openings_rankings_and_an_internship_accepted(api, team, captain, students, enterprise):
    created = api(captain).post(
        "/api/v1/openings/",
        {
            "team": team.pk,
            "kind": "internship",
            "enterprise": enterprise.pk,
            "title": "缝纫机减振测试实习",
            "description": "在企业参与高速平缝机振动测试与模态分析。",
            "skills": ["MATLAB", "振动测试"],
            "slots": 1,
            "hours_per_week": 10,
            "deadline": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    opening_id = created.json()["id"]
    ranked = api(captain).get(f"/api/v1/openings/{opening_id}/ranked-students/").json()
    assert ranked[0]["student"]["name"] == "王振"
    assert "专业对口：机械工程" in ranked[0]["explanation"]["reasons"]
    assert sum(ranked[0]["explanation"]["contributions"].values()) == pytest.approx(
        ranked[0]["score"], abs=1e-5
    )
    mech = students["mech"].user
    assert_error(api(mech).get(f"/api/v1/openings/{opening_id}/ranked-students/"), 403, "permission_denied")
    mine = api(mech).get("/api/v1/students/profile/ranked-openings/").json()
    assert mine[0]["opening"]["id"] == opening_id and mine[0]["explanation"]["matched_keywords"]
    applied = api(mech).post(
        f"/api/v1/openings/{opening_id}/apply/", {"statement": "做过振动测试"}, format="json"
    )
    assert applied.status_code == 201
    assert_error(api(mech).post(f"/api/v1/openings/{opening_id}/apply/", {}, format="json"), 409, "duplicate")
    application_id = applied.json()["id"]
    assert_error(api(mech).post(f"/api/v1/applications/{application_id}/accept/"), 403, "permission_denied")
    assert_error(api(captain).post(f"/api/v1/applications/{application_id}/decline/", {}, format="json"), 400)
    assert_error(api(captain).post(f"/api/v1/applications/{application_id}/accept/"), 400)
    accepted = (
        api(captain)
        .post(
            f"/api/v1/applications/{application_id}/accept/",
            {"agreement_number": "TZXY-SX-01"},
            format="json",
        )
        .json()
    )
    assert accepted["status"] == "accepted" and accepted["record"] is not None
    assert Opening.objects.get(pk=opening_id).status == "filled"
    assert Application.objects.get().record.record_type == "agreement_internship"


def test_openings_of_other_teams_closed_are_a_404(api, team, captain):
    opening = make_opening(team, captain)
    outsider = TeamMemberUserFactory()
    assert api(outsider).get(f"/api/v1/openings/{opening.pk}/").status_code == 200
    api(captain).post(f"/api/v1/openings/{opening.pk}/close/")
    assert_error(api(outsider).get(f"/api/v1/openings/{opening.pk}/"), 404, "not_found")
    assert_error(
        api(outsider).post(
            "/api/v1/openings/",
            {"team": team.pk, "kind": "project_role", "title": "x", "description": "y", "slots": 1,
             "hours_per_week": 5, "deadline": timezone.localdate().isoformat()},
            format="json",
        ),
        403,
        "permission_denied",
    )  # fmt: skip
