# ruff: noqa: F811 - the tests take the imported `map_world` fixture by name
"""The industry map and report exports through the API: the same numbers, scoping and rules as the
pages, in the API's one error shape."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from accounts.models import Role
from demand.models import Need
from insights.models import ReportExport
from reference.models import Region
from tests.api.conftest import assert_error
from tests.factories import EnterpriseUserFactory, StoAdminFactory, UniversityFactory, UserFactory
from tests.insights.test_industry_map import _gov_viewer
from tests.insights.test_industry_map import world as map_world  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def test_the_map_answers_the_hand_counted_numbers(api, map_world):
    response = api(_gov_viewer("3310")).get("/api/v1/industry-map/")
    assert response.status_code == 200
    body = response.json()
    assert body["region"] == {"code": "3310", "name": "台州市", "level": 1}
    total = body["total"]
    assert (total["enterprises"], total["needs_posted"], total["needs_engaged"], total["teams_serving"]) == (
        5,
        6,
        4,
        3,
    )
    sections = {s["code"]: s for s in body["sections"]}
    assert list(sections) == ["C", "I"]
    c = sections["C"]
    assert (c["needs_unanswered"], c["coverage"], c["served"]) == (2, 0.6, "good")
    divisions = {d["code"]: d for d in c["children"]}
    assert [g["code"] for g in divisions["35"]["children"]] == ["351", "355"]
    assert divisions["29"]["served_label"] == "服务不足"
    assert "children" not in divisions["35"]["children"][0]


def test_the_map_refuses_another_city_and_unknown_codes(api, map_world):
    client = api(_gov_viewer("3301"))
    assert_error(client.get("/api/v1/industry-map/", {"region": "3310"}), 403, "permission_denied")
    assert client.get("/api/v1/industry-map/", {"region": "330102"}).status_code == 200
    assert_error(client.get("/api/v1/industry-map/", {"region": "999999"}), 400, fields=["region"])
    assert_error(api(EnterpriseUserFactory()).get("/api/v1/industry-map/"), 403, "permission_denied")
    assert_error(api().get("/api/v1/industry-map/"), 401, "not_authenticated")


def test_an_office_generates_lists_and_downloads_an_export(
    api, map_world, django_capture_on_commit_callbacks
):
    office = StoAdminFactory(university=UniversityFactory(region=Region.objects.get(code="3310")))
    client = api(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/report-exports/",
            {
                "kind": "problems",
                "period_from": str(timezone.localdate() - dt.timedelta(days=365)),
                "period_to": str(timezone.localdate()),
                "formats": ["jsonl"],
            },
            format="json",
        )
    assert response.status_code == 201, response.content
    # The task runs once the request's transaction commits (here: when the capture block ends).
    created = client.get(f"/api/v1/report-exports/{response.json()['id']}/").json()
    export = ReportExport.objects.get(pk=created["id"])
    # The office's university sits in 台州 and has no teams: the six published needs there, and the one
    # of the pending enterprise (the problem library does not ask about the enterprise).
    assert (created["status"], created["rows_count"], created["downloads"]["xlsx"]) == ("done", 7, None)
    assert export.university == office.university

    listed = client.get("/api/v1/report-exports/").json()
    assert [e["id"] for e in listed["results"]] == [export.pk]
    assert client.get(f"/api/v1/report-exports/{export.pk}/").json()["kind_label"] == "问题库"
    download = client.get(created["downloads"]["jsonl"])
    assert download.status_code == 200
    lines = b"".join(download.streaming_content).decode("utf-8").splitlines()
    taizhou = Need.objects.filter(region__code__startswith="3310", published_at__isnull=False).order_by("pk")
    assert [json.loads(line)["need_id"] for line in lines] == list(taizhou.values_list("pk", flat=True))
    assert_error(client.get(f"/api/v1/report-exports/{export.pk}/download/xlsx/"), 404, "not_found")


def test_the_api_rejects_bad_input_and_saves_nothing(api, map_world):
    client = api(UserFactory(role=Role.PLATFORM_ADMIN))
    bad = [
        ({"kind": "problems", "period_from": "2026-04-01", "period_to": "2026-03-01"}, "period_from"),
        ({"kind": "problems", "period_from": "2026-01-01", "period_to": "2026-03-01", "region_code": "99"}, "region_code"),
        ({"kind": "nope", "period_from": "2026-01-01", "period_to": "2026-03-01"}, "kind"),
        ({"kind": "problems", "period_from": "明天", "period_to": "2026-03-01"}, "period_from"),
        ({"kind": "problems", "period_from": "2026-01-01", "period_to": "2026-03-01", "formats": ["pdf"]}, "formats.0"),
    ]  # fmt: skip
    for body, field in bad:
        assert_error(client.post("/api/v1/report-exports/", body, format="json"), 400, fields=[field])
    assert ReportExport.objects.count() == 0


def test_only_offices_and_platform_admins_use_report_exports(api, map_world):
    for user in (EnterpriseUserFactory(), _gov_viewer("3310")):
        assert_error(api(user).get("/api/v1/report-exports/"), 403, "permission_denied")
        body = {"kind": "problems", "period_from": "2026-01-01", "period_to": "2026-03-01"}
        assert_error(api(user).post("/api/v1/report-exports/", body, format="json"), 403, "permission_denied")
    assert ReportExport.objects.count() == 0
    export = ReportExport.objects.create(
        kind="problems",
        period_from=dt.date(2026, 1, 1),
        period_to=dt.date(2026, 1, 2),
        university=UniversityFactory(),
    )
    assert_error(api(StoAdminFactory()).get(f"/api/v1/report-exports/{export.pk}/"), 404, "not_found")
    assert (
        api(UserFactory(role=Role.PLATFORM_ADMIN)).get(f"/api/v1/report-exports/{export.pk}/").status_code
        == 200
    )


def test_the_schema_documents_the_download_types(api):
    schema = api().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    download = schema["paths"]["/api/v1/report-exports/{id}/download/{fmt}/"]["get"]
    content = download["responses"]["200"]["content"]
    assert set(content) == {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/x-ndjson",
    }
    assert "/api/v1/industry-map/" in schema["paths"]


def test_the_map_takes_a_period_and_names_a_bad_date(api, map_world):
    Need.objects.filter(enterprise__industry__code="3553", published_at__isnull=False).update(
        published_at=timezone.make_aware(dt.datetime(2024, 3, 10, 9, 0))
    )
    client = api(_gov_viewer("3310"))
    body = client.get("/api/v1/industry-map/", {"date_to": "2024-12-31"}).json()
    assert (body["total"]["needs_posted"], body["total"]["needs_engaged"]) == (3, 2)
    assert_error(client.get("/api/v1/industry-map/", {"date_from": "昨天"}), 400, fields=["date_from"])
    assert_error(
        client.get("/api/v1/industry-map/", {"date_from": "2025-02-01", "date_to": "2025-01-01"}),
        400,
        fields=["date_to"],
    )
