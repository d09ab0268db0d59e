"""Reference lookups: public, one level of a tree at a time, or by name."""

import pytest

from tests.api.conftest import assert_error


@pytest.fixture
def ref(reference_data):
    return reference_data


def test_regions_list_the_provinces_then_the_children_of_a_code(api, ref):
    provinces = api().get("/api/v1/regions/", {"page_size": 100}).json()
    assert provinces["count"] >= 31
    assert {"code": "33", "name": "浙江省"}.items() <= next(
        r for r in provinces["results"] if r["code"] == "33"
    ).items()
    cities = api().get("/api/v1/regions/", {"parent": "33", "page_size": 100}).json()["results"]
    assert "3310" in [c["code"] for c in cities] and all(c["parent"] == "33" for c in cities)
    # a padded code means the same region, as on the pages
    assert api().get("/api/v1/regions/", {"parent": "330000"}).json()["count"] == len(cities)


def test_a_malformed_parent_finds_nothing_rather_than_failing(api, ref):
    assert api().get("/api/v1/regions/", {"parent": "3x"}).json()["count"] == 0


def test_industries_by_parent_and_by_name(api, ref):
    divisions = api().get("/api/v1/industries/", {"parent": "C", "page_size": 100}).json()
    assert "35" in [i["code"] for i in divisions["results"]]
    found = api().get("/api/v1/industries/", {"q": "缝制机械"}).json()["results"]
    assert found and all("缝制机械" in i["name"] for i in found)


def test_one_industry_and_one_region(api, ref):
    assert api().get("/api/v1/industries/3553/").json()["name"] == "缝制机械制造"
    assert api().get("/api/v1/regions/331000/").json()["code"] == "3310"
    assert_error(api().get("/api/v1/industries/ZZZZ/"), 404, "not_found")


def test_disciplines_by_scheme(api, ref):
    body = api().get("/api/v1/disciplines/", {"scheme": "csl", "page_size": 100}).json()
    assert body["count"] == 67
    assert_error(api().get("/api/v1/disciplines/", {"scheme": "nope"}), 400, "validation_error", ["scheme"])


def test_service_types(api, db):
    values = [c["value"] for c in api().get("/api/v1/service-types/").json()]
    assert "diagnosis" in values


def test_a_too_long_query_is_a_400(api, db):
    assert_error(api().get("/api/v1/industries/", {"q": "长" * 51}), 400, "validation_error", ["q"])
