"""The lists' filters (django-filter FilterSets, accounts.api_filters): each narrows the list through the
app's selector, refuses a bad value with a 400 in the one error shape naming the parameter, and never
widens what the asker may see. The schema documents each parameter."""

import pytest

from demand.models import Need
from demand.services import need_create
from tests.api.conftest import assert_error
from tests.factories import EnterpriseUserFactory, IndustryFactory, RegionFactory, published_need

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def refused(response, parameter: str, words: str = "") -> str:
    """A 400 in the one error shape whose fields name `parameter`, its message containing `words`."""
    error = assert_error(response, 400, "validation_error", [parameter])
    message = " ".join(error["fields"][parameter])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    assert words in message, message
    return message


def parameters(api, path: str) -> dict[str, dict]:
    schema = api().get("/api/v1/schema/", {"format": "json"}, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    import json

    doc = json.loads(schema.content)
    return {p["name"]: p for p in doc["paths"][path]["get"]["parameters"] if p["in"] == "query"}


# ------------------------------------------------------------------------------------------------- needs

NEED = {
    "description": "注塑件翘曲变形超差，希望联合高校分析原因。",
    "industry": "3533",
    "service_types": ["diagnosis"],
}


@pytest.fixture
def enterprise():
    IndustryFactory(), RegionFactory()
    return EnterpriseUserFactory()


def test_the_hall_filters_by_status_and_type_through_the_selector(api, enterprise):
    open_need = published_need(enterprise_user=enterprise, title="高速平缝机减振降噪")
    training = published_need(
        enterprise_user=enterprise, title="数控车床操作培训", service_types=["training"]
    )
    Need.objects.filter(pk=training.pk).update(status=Need.Status.RESOLVED)
    assert ids(api().get("/api/v1/hall/", {"status": "resolved"})) == [training.pk]
    assert ids(api().get("/api/v1/hall/", {"service_type": "diagnosis"})) == [open_need.pk]
    assert ids(api().get("/api/v1/hall/", {"industry": "35", "q": "培训"})) == [training.pk]
    assert ids(api().get("/api/v1/hall/", {"industry": "36"})) == []


def test_the_hall_refuses_bad_values_naming_the_parameter(api, enterprise):
    refused(api().get("/api/v1/hall/", {"industry": "3x"}), "industry", "行业代码应为门类字母")
    refused(api().get("/api/v1/hall/", {"region": "3"}), "region", "地区代码应为 2、4 或 6 位数字")
    refused(api().get("/api/v1/hall/", {"status": "draft"}), "status")  # never a hall status
    refused(api().get("/api/v1/hall/", {"date_from": "明天"}), "date_from")
    refused(
        api().get("/api/v1/hall/", {"date_from": "2026-02-01", "date_to": "2026-01-01"}),
        "date_to",
        "结束日期",
    )
    refused(api().get("/api/v1/hall/", {"q": "平缝\x00机"}), "q", "空字符")


def test_the_needs_list_filters_by_state_only_within_what_the_asker_sees(api, enterprise):
    draft = need_create(by=enterprise, title="注塑件翘曲变形分析", **NEED)
    published = published_need(enterprise_user=enterprise)
    other = EnterpriseUserFactory()
    others_draft = need_create(by=other, title="另一企业的草稿需求", **NEED)

    assert ids(api(enterprise).get("/api/v1/needs/", {"status": "draft"})) == [draft.pk]
    assert ids(api(other).get("/api/v1/needs/", {"status": "draft"})) == [others_draft.pk]
    assert ids(api(other).get("/api/v1/needs/", {"status": "published"})) == [published.pk]  # the hall's
    assert ids(api(other).get("/api/v1/needs/", {"mine": "true", "status": "published"})) == []
    assert ids(api(enterprise).get("/api/v1/needs/", {"mine": "1", "q": "翘曲"})) == [draft.pk]
    refused(api(enterprise).get("/api/v1/needs/", {"mine": "maybe"}), "mine", "true 或 false")
    refused(api(enterprise).get("/api/v1/needs/", {"status": "nope"}), "status")


def test_the_schema_documents_the_needs_filters(api, db):
    hall = parameters(api, "/api/v1/hall/")
    assert {"q", "industry", "region", "service_type", "status", "date_from", "date_to", "ordering"} <= set(
        hall
    )
    assert hall["status"]["schema"]["enum"] == ["engaged", "published", "resolved"]
    assert "行业代码" in hall["industry"]["description"]
    needs = parameters(api, "/api/v1/needs/")
    assert needs["mine"]["schema"]["type"] == "boolean" and "draft" in needs["status"]["schema"]["enum"]
