"""6.1's work Appendix C does not score: 人才培养 (专业与课程建设, 双创实践, 社会实践) and 党建 are record
kinds like any other (form, API, list, evidence, review) and never score."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from scoring.scores import team_score
from teams.evidence import evidence_add
from teams.models import ACHIEVEMENT_TYPES, SCORED_TYPES, UNSCORED_TYPES, RecordType, ServiceRecord
from teams.records import record_create, record_transition
from tests.api.conftest import assert_error
from tests.factories import CollegeAdminFactory, build_valid_team
from tests.teams.test_records import PDF

pytestmark = pytest.mark.django_db
NEW_KINDS = ["talent_curriculum", "talent_innovation", "talent_practice", "party_building"]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    team = build_valid_team(status="active")
    return team, team.members.get(role="captain").user


def test_the_new_kinds_are_unscored_and_need_no_achievement_key():
    assert {str(k) for k in UNSCORED_TYPES} == set(NEW_KINDS)
    assert not UNSCORED_TYPES & SCORED_TYPES and not UNSCORED_TYPES & ACHIEVEMENT_TYPES
    assert len(SCORED_TYPES) == 15  # Appendix C's items


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_a_record_of_a_new_kind_goes_through_review_and_scores_nothing(world, kind):
    team, captain = world
    year = timezone.localdate().year
    record = record_create(
        team=team,
        by=captain,
        record_type=kind,
        date=timezone.localdate(),
        title="校企联合党日活动" if kind == "party_building" else "企业实境课程建设",
        served_organisation="台州某某有限公司",
        description="与企业党支部联合开展主题党日。",
    )
    evidence_add(record=record, by=captain, upload=SimpleUploadedFile("活动照片.pdf", PDF))
    record_transition(record=record, action="submit", by=captain)
    record_transition(record=record, action="approve", by=CollegeAdminFactory(college=team.college))
    assert ServiceRecord.objects.get(pk=record.pk).status == "approved"
    score = team_score(team, year)
    assert score.total == 0 and all(i.record_type != kind for i in score.items)


def test_the_form_the_list_and_its_filter_offer_the_new_kinds(client, world):
    team, captain = world
    client.force_login(captain)
    form = client.get(reverse("teams:record_create", args=[team.pk])).content.decode()
    for label in [
        "人才培养：专业与课程建设",
        "人才培养：双创实践",
        "人才培养：社会实践",
        "党建与思想教育活动",
    ]:
        assert label in form
    response = client.post(
        reverse("teams:record_create", args=[team.pk]),
        {
            "record_type": "talent_practice",
            "date": timezone.localdate().isoformat(),
            "title": "暑期科技下乡社会实践",
            "served_organisation": "某镇政府",
            "description": "组织学生赴乡镇企业开展社会实践。",
        },
    )
    assert response.status_code == 302
    listed = client.get(reverse("teams:record_list", args=[team.pk]), {"record_type": "talent_practice"})
    assert "暑期科技下乡社会实践" in listed.content.decode()
    other = client.get(reverse("teams:record_list", args=[team.pk]), {"record_type": "party_building"})
    assert "暑期科技下乡社会实践" not in other.content.decode()


def test_the_api_writes_and_filters_the_new_kinds(api, world):
    team, captain = world
    body = {
        "team": team.pk,
        "record_type": "party_building",
        "date": timezone.localdate().isoformat(),
        "title": "党建联建主题活动",
        "served_organisation": "台州某某有限公司党支部",
        "description": "校企党支部联建。",
    }
    created = api(captain).post("/api/v1/records/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["record_type_label"] == "党建与思想教育活动"
    uploaded = api(captain).post(
        f"/api/v1/records/{created.json()['id']}/evidence/",
        {"file": SimpleUploadedFile("联建协议.pdf", PDF)},
        format="multipart",
    )
    assert uploaded.status_code == 201
    listed = api(captain).get("/api/v1/records/", {"record_type": "party_building"}).json()
    assert [r["id"] for r in listed["results"]] == [created.json()["id"]]
    wrong = api(captain).post("/api/v1/records/", {**body, "record_type": "party"}, format="json")
    assert_error(wrong, 400, "validation_error", fields=["record_type"])
    assert ServiceRecord.objects.filter(record_type=RecordType.PARTY_BUILDING).count() == 1
