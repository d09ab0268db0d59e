"""The pickers' trees, a level at a time (reference/views.py), and the filters that name and pre-select
a code (reference/templatetags/pickers.py)."""

import pytest
from django.template import Context, Template
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_region_json_gives_provinces_then_children(client, reference_data):
    provinces = client.get(reverse("reference:regions")).json()["items"]
    assert {"code": "33", "name": "浙江省"} in provinces and all(len(p["code"]) == 2 for p in provinces)
    cities = client.get(reverse("reference:regions"), {"parent": "33"}).json()["items"]
    assert {"code": "3310", "name": "台州市"} in cities
    counties = client.get(reverse("reference:regions"), {"parent": "3310"}).json()["items"]
    assert {"code": "331081", "name": "温岭市"} in counties
    assert client.get(reverse("reference:regions"), {"parent": "x'; --"}).json()["items"] == []


def test_industry_json_gives_sections_then_children(client, reference_data):
    sections = client.get(reverse("reference:industries")).json()["items"]
    assert {"code": "C", "name": "制造业"} in sections
    divisions = [
        i["code"] for i in client.get(reverse("reference:industries"), {"parent": "C"}).json()["items"]
    ]
    assert "35" in divisions and "13" in divisions and "01" not in divisions


def test_codes_typed_by_hand_are_named_as_the_field_lists_them(client, reference_data):
    industries = client.get(reverse("reference:industries"), {"codes": "3553，3584、99 3553"}).json()
    assert industries == {
        "items": [
            {"code": "3553", "name": "3553 缝制机械制造"},
            {"code": "3584", "name": "3584 医疗、外科及兽医用器械制造"},
        ],
        "unknown": ["99"],
    }
    regions = client.get(reverse("reference:regions"), {"codes": "331002, 3310, 3399"}).json()
    assert [i["name"] for i in regions["items"]] == ["浙江省台州市椒江区", "浙江省台州市"]
    assert regions["unknown"] == ["3399"]
    assert client.get(reverse("reference:regions"), {"codes": ""}).json() == {"items": [], "unknown": []}


def test_a_list_of_codes_too_long_to_be_a_form_is_refused(client, reference_data):
    from reference.views import MAX_CODES

    codes = ",".join(str(3000 + i) for i in range(MAX_CODES + 1))
    response = client.get(reverse("reference:industries"), {"codes": codes})
    assert response.status_code == 400
    assert response.json() == {"error": f"一次最多查询 {MAX_CODES} 个代码。"}
    assert client.get(reverse("reference:industries"), {"codes": codes[:-5]}).status_code == 200


def test_the_filters_name_a_code_and_give_its_chain(reference_data):
    page = Template(
        "{% load pickers %}{{ i|industry_label }}|{{ r|region_label }}|{{ i|industry_chain|join:',' }}|"
        "{{ r|region_chain|join:',' }}|{{ bad|industry_label }}|{{ bad|region_chain|join:',' }}"
    ).render(Context({"i": "3553", "r": "331002", "bad": "99"}))
    assert page == "3553 缝制机械制造|浙江省台州市椒江区|C,35,355,3553|33,3310,331002|99|"


def test_a_field_of_several_codes_is_listed_by_name(reference_data):
    page = Template(
        "{% load pickers %}{% for c, n in i|industry_labels %}{{ c }}={{ n }};{% endfor %}|"
        "{% for c, n in r|region_labels %}{{ c }}={{ n }};{% endfor %}"
    ).render(Context({"i": "3553，3584 3553, ZZ", "r": "331002、331000"}))
    assert (
        page
        == "3553=3553 缝制机械制造;3584=3584 医疗、外科及兽医用器械制造;ZZ=ZZ;|331002=浙江省台州市椒江区;331000=浙江省台州市;"
    )
