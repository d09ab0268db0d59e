"""Needs and the demand hall through the API: the same services and selectors as the pages."""

import pytest

from accounts.models import Role
from demand.models import Need
from demand.selectors import HIDDEN_NAME
from tests.api.conftest import assert_error
from tests.factories import (
    EnterpriseUserFactory,
    IndustryFactory,
    RegionFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    UserFactory,
    published_need,
)

pytestmark = pytest.mark.django_db
NEW = {
    "title": "高速平缝机减振降噪",
    "description": "我司高速平缝机在4000针/分钟以上时机头振动偏大，希望联合高校减振优化。",
    "industry": "3553",
    "service_types": ["diagnosis", "rd"],
    "budget_min": "5.00",
    "budget_max": "20.00",
}


@pytest.fixture
def owner():
    IndustryFactory(), RegionFactory()
    return EnterpriseUserFactory()


@pytest.fixture
def colleague(owner):
    return EnterpriseUserFactory(enterprise=owner.enterprise)


@pytest.fixture
def outsider():
    return EnterpriseUserFactory()


def test_an_enterprise_drafts_a_need(api, owner):
    response = api(owner).post("/api/v1/needs/", NEW, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    need = Need.objects.get(pk=body["id"])
    assert need.status == Need.Status.DRAFT and need.created_by == owner
    assert body["is_mine"] and body["enterprise"]["id"] == owner.enterprise_id
    assert body["region"]["code"] == owner.enterprise.region.code  # the enterprise's, by default
    assert need.events.get().action == "create"


def test_it_drafts_and_submits_in_one_request(api, owner):
    body = api(owner).post("/api/v1/needs/", {**NEW, "submit": True}, format="json").json()
    assert body["status"] == Need.Status.SUBMITTED


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "短"}, "title"),
        ({"industry": "9999"}, "industry"),
        ({"service_types": ["nope"]}, "service_types"),
        ({"service_types": []}, "service_types"),
        ({"budget_min": "30", "budget_max": "10"}, "budget_min"),
        ({"duration_months": 0}, "duration_months"),
        ({"expected_start": "2026-13-40"}, "expected_start"),
    ],
)
def test_it_rejects_a_bad_need_and_saves_nothing(api, owner, change, field):
    response = api(owner).post("/api/v1/needs/", {**NEW, **change, "submit": True}, format="json")
    error = assert_error(response, 400, fields=[field])
    assert error["code"] in {"validation_error", "invalid"}
    assert not Need.objects.exists()


def test_only_enterprise_users_post_needs(api):
    assert_error(
        api(TeamMemberUserFactory()).post("/api/v1/needs/", NEW, format="json"), 403, "permission_denied"
    )
    assert not Need.objects.exists()


def test_a_draft_is_seen_by_its_enterprise_only(api, owner, colleague, outsider):
    draft_id = api(owner).post("/api/v1/needs/", NEW, format="json").json()["id"]
    for user in (owner, colleague):
        assert api(user).get(f"/api/v1/needs/{draft_id}/").status_code == 200
        assert [n["id"] for n in api(user).get("/api/v1/needs/").json()["results"]] == [draft_id]
    assert_error(api(outsider).get(f"/api/v1/needs/{draft_id}/"), 404, "not_found")
    listing = api(outsider).get("/api/v1/needs/").json()
    assert listing["count"] == 0 and listing["results"] == []
    assert_error(api(outsider).post(f"/api/v1/needs/{draft_id}/submit/"), 404)
    assert Need.objects.get(pk=draft_id).status == Need.Status.DRAFT


def test_the_lifecycle_through_the_api(api, owner):
    need_id = api(owner).post("/api/v1/needs/", NEW, format="json").json()["id"]
    assert api(owner).post(f"/api/v1/needs/{need_id}/submit/").json()["status"] == "submitted"
    sto = StoAdminFactory()
    queue = api(sto).get("/api/v1/needs/moderation/").json()
    assert [n["id"] for n in queue["results"]] == [need_id]
    refused = api(sto).post(f"/api/v1/needs/{need_id}/moderate/", {"approve": False}, format="json")
    assert_error(refused, 400, "comment_required")
    published = api(sto).post(f"/api/v1/needs/{need_id}/moderate/", {"approve": True}, format="json")
    assert published.json()["status"] == "published"
    # Published: what teams responded to is fixed (demand.services says so, for the page too).
    fixed = api(owner).patch(f"/api/v1/needs/{need_id}/", {"title": "另一个标题的需求"}, format="json")
    assert_error(fixed, 409, "wrong_state")
    edited = api(owner).patch(f"/api/v1/needs/{need_id}/", {"budget_max": "25"}, format="json")
    assert edited.json()["budget_max"] == "25.00"
    events = api(owner).get(f"/api/v1/needs/{need_id}/events/").json()
    assert [e["action"] for e in events] == ["create", "submit", "publish", "edit"]
    assert_error(
        api(owner).post(f"/api/v1/needs/{need_id}/close/", {}, format="json"), 400, fields=["reason"]
    )
    closed = api(owner).post(f"/api/v1/needs/{need_id}/close/", {"reason": "问题已自行解决"}, format="json")
    assert closed.json()["status"] == "closed" and closed.json()["close_reason"] == "问题已自行解决"


def test_the_moderation_queue_is_for_moderators(api, owner):
    assert_error(api(owner).get("/api/v1/needs/moderation/"), 403, "permission_denied")


def test_an_enterprise_may_not_moderate(api, owner):
    need_id = api(owner).post("/api/v1/needs/", {**NEW, "submit": True}, format="json").json()["id"]
    response = api(owner).post(f"/api/v1/needs/{need_id}/moderate/", {"approve": True}, format="json")
    assert_error(response, 403, "permission_denied")
    assert Need.objects.get(pk=need_id).status == Need.Status.SUBMITTED


def test_the_hall_is_public_and_hides_an_unnamed_enterprise(api, owner):
    named = published_need(enterprise_user=owner)
    unnamed = published_need(title="注塑件翘曲变形分析", show_enterprise=False)
    api(owner).post("/api/v1/needs/", NEW, format="json")  # a draft: never in the hall
    body = api().get("/api/v1/hall/").json()
    assert body["count"] == 2
    by_id = {n["id"]: n for n in body["results"]}
    assert by_id[named.pk]["enterprise_display"] == owner.enterprise.name
    assert by_id[unnamed.pk]["enterprise_display"] == HIDDEN_NAME
    assert by_id[unnamed.pk]["enterprise"] is None
    assert unnamed.enterprise.name not in str(body)


def test_the_hall_filters_and_rejects_bad_filters(api, owner):
    need = published_need(enterprise_user=owner)
    assert api().get("/api/v1/hall/", {"q": "平缝机", "industry": "35"}).json()["count"] == 1
    assert api().get("/api/v1/hall/", {"q": "不存在的词"}).json()["count"] == 0
    assert api().get("/api/v1/hall/", {"region": "33"}).json()["results"][0]["id"] == need.pk
    assert_error(api().get("/api/v1/hall/", {"industry": "3x"}), 400, "validation_error", ["industry"])
    assert_error(
        api().get("/api/v1/hall/", {"date_from": "2026-02-01", "date_to": "2026-01-01"}),
        400,
        fields=["date_to"],
    )


def test_pages_beyond_the_end_and_the_page_size_cap(api, owner):
    for i in range(3):
        published_need(enterprise_user=owner, title=f"第{i}个测试需求标题")
    page = api().get("/api/v1/hall/", {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert_error(api().get("/api/v1/hall/", {"page": 9}), 404, "not_found")
    assert len(api().get("/api/v1/hall/", {"page_size": 100000}).json()["results"]) == 3


def test_mine_lists_only_the_asking_enterprise_needs(api, owner, outsider):
    published_need(enterprise_user=outsider)
    mine = published_need(enterprise_user=owner, title="本企业的已发布需求")
    body = api(owner).get("/api/v1/needs/", {"mine": "true"}).json()
    assert [n["id"] for n in body["results"]] == [mine.pk]
    assert api(owner).get("/api/v1/needs/").json()["count"] == 2  # the hall's plus its own


def test_a_platform_admin_sees_every_state(api, owner):
    api(owner).post("/api/v1/needs/", NEW, format="json")
    assert api(UserFactory(role=Role.PLATFORM_ADMIN)).get("/api/v1/needs/").json()["count"] == 1


def test_attachments_are_uploaded_checked_and_served_only_to_those_who_see_the_need(
    api, owner, outsider, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.teams.test_records import PDF

    settings.MEDIA_ROOT = tmp_path
    need_id = api(owner).post("/api/v1/needs/", NEW, format="json").json()["id"]
    url = f"/api/v1/needs/{need_id}/attachments/"
    fake = SimpleUploadedFile("图纸.pdf", b"MZ\x90\x00 not a pdf")
    assert_error(api(owner).post(url, {"file": fake}, format="multipart"), 400)
    created = api(owner).post(url, {"file": SimpleUploadedFile("图纸.pdf", PDF)}, format="multipart")
    assert created.status_code == 201, created.content
    download = f"/api/v1/attachments/{created.json()['id']}/download/"
    assert b"".join(api(owner).get(download).streaming_content) == PDF
    assert_error(api(outsider).get(download), 404)
    assert_error(api(outsider).get(url), 404)
    assert [a["original_name"] for a in api(owner).get(url).json()] == ["图纸.pdf"]


def test_lists_are_ordered_on_request(api, owner):
    cheap = published_need(enterprise_user=owner, title="预算较低的需求标题", budget_max="5")
    dear = published_need(enterprise_user=owner, title="预算较高的需求标题", budget_max="50")
    ids = lambda r: [n["id"] for n in r.json()["results"]]  # noqa: E731
    assert ids(api().get("/api/v1/hall/", {"ordering": "-budget_max"})) == [dear.pk, cheap.pk]
    assert ids(api().get("/api/v1/hall/", {"ordering": "budget_max"})) == [cheap.pk, dear.pk]
    assert ids(api(owner).get("/api/v1/needs/", {"ordering": "budget_max"})) == [cheap.pk, dear.pk]
    # an unknown field is ignored: the default order (newest first) stays
    assert ids(api().get("/api/v1/hall/", {"ordering": "enterprise__name"})) == [dear.pk, cheap.pk]
