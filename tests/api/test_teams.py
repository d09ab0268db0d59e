"""Teams, members, portraits, service records, evidence and reviews through the API: the pages' forms,
services and selectors, so the same rules and messages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from teams.models import Member, MemberRole, RecordTransition, ServiceRecord, Team
from tests.api.conftest import assert_error
from tests.factories import (
    CollegeAdminFactory,
    CollegeFactory,
    IndustryFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    build_valid_team,
)
from tests.teams.test_records import PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    IndustryFactory()
    college = CollegeFactory()
    team = build_valid_team(college=college)
    captain = team.members.get(role=MemberRole.CAPTAIN).user
    member = TeamMemberUserFactory(college=college)
    Member.objects.create(
        team=team,
        user=member,
        name=member.real_name,
        role=MemberRole.CORE,
        title="讲师",
        background="机械工程",
    )
    return {
        "team": team,
        "captain": captain,
        "member": member,
        "same_college_teacher": TeamMemberUserFactory(college=college),
        "college_admin": CollegeAdminFactory(college=college),
        "sto": StoAdminFactory(university=college.university),
        "outsider": TeamMemberUserFactory(),
        "other_college_admin": CollegeAdminFactory(),
    }


CREATE = {
    "name": "孙立·泵业科技小分队",
    "work_mode": "enterprise_centre",
    "theme": "smart_manufacturing",
    "captain_title": "教授",
    "qualifying_project": "浙江省重点研发计划项目",
    "qualifying_level": "provincial",
}


def test_a_teacher_forms_a_draft_and_becomes_its_captain(api, world):
    teacher = TeamMemberUserFactory(real_name="孙立", college=world["team"].college)
    response = api(teacher).post("/api/v1/teams/", CREATE, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["my_role"] == "captain"
    assert body["problems"]  # a fresh draft still lacks members: the page's list of what to fix
    assert Team.objects.get(pk=body["id"]).members.get().user == teacher


def test_a_bad_draft_is_refused_with_the_forms_messages_and_nothing_saved(api, world):
    teacher = TeamMemberUserFactory(college=world["team"].college)
    before = Team.objects.count()
    response = api(teacher).post(
        "/api/v1/teams/", {**CREATE, "theme": "nope", "captain_title": ""}, format="json"
    )
    assert_error(response, 400, "validation_error", fields=["theme", "captain_title"])
    assert Team.objects.count() == before


def test_only_teachers_form_teams(api, world):
    assert_error(api(world["college_admin"]).post("/api/v1/teams/", CREATE, format="json"), 403)


@pytest.mark.parametrize(
    ("who", "sees"),
    [("captain", True), ("member", True), ("college_admin", True), ("sto", True),
     ("same_college_teacher", False), ("outsider", False), ("other_college_admin", False)],
)  # fmt: skip
def test_a_team_is_seen_by_its_people_only(api, world, who, sees):
    team = world["team"]
    response = api(world[who]).get(f"/api/v1/teams/{team.pk}/")
    listing = api(world[who]).get("/api/v1/teams/").json()
    if sees:
        assert response.status_code == 200 and [t["id"] for t in listing["results"]] == [team.pk]
    else:
        assert_error(response, 404, "not_found")
        assert listing["count"] == 0 and team.name not in str(listing)


def test_the_captain_edits_the_portrait_fields_with_codes_as_lists(api, world):
    team = world["team"]
    response = api(world["captain"]).patch(
        f"/api/v1/teams/{team.pk}/",
        {"industries": ["3553"], "keywords": ["减振降噪", "伺服控制"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["keywords"] == ["减振降噪", "伺服控制"]
    bad = api(world["captain"]).patch(f"/api/v1/teams/{team.pk}/", {"industries": ["ZZ99"]}, format="json")
    assert_error(bad, 400, "validation_error", fields=["industries"])
    assert "ZZ99" in bad.json()["error"]["fields"]["industries"][0]


def test_a_plain_member_may_not_edit(api, world):
    team = world["team"]
    assert_error(
        api(world["member"]).patch(f"/api/v1/teams/{team.pk}/", {"description": "x"}, format="json"), 403
    )
    team.refresh_from_db()
    assert team.description == ""


def test_the_application_flow_through_submit_and_both_reviews(api, world):
    team = world["team"]
    submitted = api(world["captain"]).post(
        f"/api/v1/teams/{team.pk}/transitions/", {"action": "submit"}, format="json"
    )
    assert submitted.json()["status"] == "submitted", submitted.content
    queue = api(world["college_admin"]).get("/api/v1/reviews/teams/").json()
    assert [t["id"] for t in queue["results"]] == [team.pk]
    assert api(world["outsider"]).get("/api/v1/reviews/teams/").json()["count"] == 0
    no_comment = api(world["college_admin"]).post(
        f"/api/v1/teams/{team.pk}/review/", {"approve": False}, format="json"
    )
    assert_error(no_comment, 400, "comment_required")
    assert_error(
        api(world["sto"]).post(f"/api/v1/teams/{team.pk}/review/", {"approve": True}, format="json"), 409
    )
    approved = api(world["college_admin"]).post(
        f"/api/v1/teams/{team.pk}/review/", {"approve": True}, format="json"
    )
    assert approved.json()["status"] == "college_approved"
    active = api(world["sto"]).post(f"/api/v1/teams/{team.pk}/review/", {"approve": True}, format="json")
    assert active.json()["status"] == "active"
    history = api(world["captain"]).get(f"/api/v1/teams/{team.pk}/history/").json()
    assert [h["action"] for h in history] == ["submit", "college_approve", "office_approve"]


def test_a_draft_breaking_the_rules_is_not_submitted(api, world):
    team = world["team"]
    team.members.filter(role=MemberRole.CORE).exclude(user=world["member"]).delete()
    response = api(world["captain"]).post(
        f"/api/v1/teams/{team.pk}/transitions/", {"action": "submit"}, format="json"
    )
    assert "核心成员" in assert_error(response, 400, "rules")["message"]
    team.refresh_from_db()
    assert team.status == "draft"


def test_members_are_added_and_removed_by_managers(api, world):
    team = world["team"]
    added = api(world["captain"]).post(
        "/api/v1/members/",
        {"team": team.pk, "name": "郑五", "role": "dynamic", "student_level": "graduate"},
        format="json",
    )
    assert added.status_code == 201, added.content
    missing = api(world["captain"]).post(
        "/api/v1/members/", {"team": team.pk, "name": "王六", "role": "dynamic"}, format="json"
    )
    assert_error(missing, 400, "invalid")
    assert_error(
        api(world["outsider"]).post(
            "/api/v1/members/", {"team": team.pk, "name": "x", "role": "core"}, format="json"
        ),
        404,
    )
    member_id = added.json()["id"]
    assert_error(api(world["member"]).delete(f"/api/v1/members/{member_id}/"), 403)
    assert api(world["captain"]).delete(f"/api/v1/members/{member_id}/").status_code == 204
    assert not Member.objects.filter(pk=member_id).exists()


def test_portraits_are_public_and_only_of_serving_teams(api, world):
    team = world["team"]
    assert api().get("/api/v1/portraits/").json()["count"] == 0
    assert_error(api().get(f"/api/v1/portraits/{team.pk}/"), 404)
    Team.objects.filter(pk=team.pk).update(status="active")
    body = api().get(f"/api/v1/portraits/{team.pk}/").json()
    assert body["name"] == team.name and body["member_counts"]["队长"] == 1
    assert "phone" not in str(body) and world["captain"].username not in str(body)


RECORD = {
    "record_type": "service_visit",
    "date": "2026-03-01",
    "title": "赴企业开展减振诊断",
    "served_organisation": "台州市测试机械有限公司",
    "description": "现场测试机头振动并提出改进建议。",
}


def test_a_record_goes_from_draft_to_college_approval(api, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    team = world["team"]
    created = api(world["member"]).post("/api/v1/records/", {**RECORD, "team": team.pk}, format="json")
    assert created.status_code == 201, created.content
    record_id = created.json()["id"]
    assert_error(api(world["member"]).post(f"/api/v1/records/{record_id}/submit/"), 400, "evidence_required")
    upload = api(world["member"]).post(
        f"/api/v1/records/{record_id}/evidence/",
        {"file": SimpleUploadedFile("签到表.pdf", PDF)},
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    evidence_id = upload.json()["id"]
    assert api(world["member"]).get(f"/api/v1/evidence/{evidence_id}/download/").getvalue() == PDF
    assert_error(api(world["outsider"]).get(f"/api/v1/evidence/{evidence_id}/download/"), 404)
    assert api(world["member"]).post(f"/api/v1/records/{record_id}/submit/").json()["status"] == "submitted"
    queue = api(world["college_admin"]).get("/api/v1/reviews/records/").json()
    assert [r["id"] for r in queue["results"]] == [record_id]
    assert_error(
        api(world["captain"]).post(f"/api/v1/records/{record_id}/review/", {"approve": True}, format="json"),
        403,
    )
    approved = api(world["college_admin"]).post(
        f"/api/v1/records/{record_id}/review/", {"approve": True}, format="json"
    )
    assert approved.json()["status"] == "approved"
    assert RecordTransition.objects.filter(record_id=record_id).count() == 3


def test_a_bad_record_is_refused_and_nothing_saved(api, world):
    team = world["team"]
    bad = api(world["member"]).post(
        "/api/v1/records/", {**RECORD, "team": team.pk, "record_type": "paper", "date": "no"}, format="json"
    )
    assert_error(bad, 400, "validation_error", fields=["date"])
    needs_key = api(world["member"]).post(
        "/api/v1/records/", {**RECORD, "team": team.pk, "record_type": "paper"}, format="json"
    )
    assert "成果标识" in assert_error(needs_key, 400, "invalid")["message"]
    too_much = api(world["member"]).post(
        "/api/v1/records/",
        {
            **RECORD,
            "team": team.pk,
            "record_type": "horizontal_project",
            "achievement_key": "HT-1",
            "amount_wan": "1e15",
        },
        format="json",
    )
    error = assert_error(too_much, 400, "validation_error", fields=["amount_wan"])
    assert "请确认单位是万元" in error["fields"]["amount_wan"][0]
    assert not ServiceRecord.objects.exists()


def test_records_are_hidden_from_outsiders(api, world):
    team = world["team"]
    record_id = (
        api(world["member"]).post("/api/v1/records/", {**RECORD, "team": team.pk}, format="json").json()["id"]
    )
    assert_error(api(world["outsider"]).get(f"/api/v1/records/{record_id}/"), 404)
    assert api(world["outsider"]).get("/api/v1/records/").json()["count"] == 0
    assert_error(
        api(world["outsider"]).post("/api/v1/records/", {**RECORD, "team": team.pk}, format="json"), 404
    )
    assert api(world["college_admin"]).get("/api/v1/records/", {"team": team.pk}).json()["count"] == 1


def test_the_office_publishes_calls_and_closes_rectifications(api, world):
    team, sto = world["team"], world["sto"]
    call = {
        "year": 2026,
        "title": "2026年度科技小分队申报",
        "requirements": "按指南申报",
        "deadline": "2099-12-31 17:00",
    }
    assert api(sto).post("/api/v1/calls/", call, format="json").status_code == 201
    assert_error(api(world["captain"]).post("/api/v1/calls/", call, format="json"), 403)
    assert_error(
        api(sto).post("/api/v1/calls/", {**call, "deadline": "明天"}, format="json"), 400, fields=["deadline"]
    )
    assert api(world["captain"]).get("/api/v1/calls/").json()["count"] == 1  # the teachers of its university
    assert api(world["outsider"]).get("/api/v1/calls/").json()["count"] == 0
    Team.objects.filter(pk=team.pk).update(status="active")
    opened = api(sto).post(
        f"/api/v1/teams/{team.pk}/rectifications/",
        {"reason": "服务记录不足", "measure": "补充服务", "responsible": "赵小明", "deadline": "2099-01-01"},
        format="json",
    )
    assert opened.json()["status"] == "rectifying", opened.content
    rectification = team.rectifications.get()
    url = f"/api/v1/rectifications/{rectification.pk}/close/"
    assert_error(api(world["outsider"]).post(url, {"outcome": "完成"}, format="json"), 404)
    assert_error(api(sto).post(url, {}, format="json"), 400, fields=["outcome"])
    assert api(sto).post(url, {"outcome": "已补充三次服务"}, format="json").json()["status"] == "active"
