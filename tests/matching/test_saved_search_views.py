"""Saved searches (订阅) on the feed page: create with validation shown on the form, pause, resume,
delete; any member of the team manages them, nobody else can."""

import pytest
from django.urls import reverse

from demand.models import Need
from matching.errors import MatchingError
from matching.models import SavedSearch
from matching.saved_search_notify import search_matches
from matching.saved_searches import saved_search_create, saved_search_delete, saved_search_update
from reference.models import Region
from reference.selectors import industry_get
from tests.factories import EnterpriseUserFactory
from tests.matching.test_views import make_world

pytestmark = pytest.mark.django_db

FORM = {
    "name": "平缝机减振",
    "query": "平缝机  振动",
    "industry_prefix": "35",
    "region_prefix": "331000",
    "service_type": "diagnosis",
    "min_score": "0.3",
    "frequency": "immediate",
}


@pytest.fixture
def world(reference_data):
    return make_world()


def _create(client, world, **overrides):
    return client.post(reverse("engagements:search_create", args=[world.team.pk]), {**FORM, **overrides})


def test_a_member_creates_a_saved_search(client, world):
    client.force_login(world.member)
    response = _create(client, world)
    search = SavedSearch.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"?team={world.team.pk}#searches")
    assert (search.team, search.owner, search.active) == (world.team, world.member, True)
    assert (search.query, search.industry_prefix, search.region_prefix) == ("平缝机 振动", "35", "3310")
    assert (search.service_type, search.min_score, search.frequency) == ("diagnosis", 0.3, "immediate")
    html = client.get(reverse("engagements:feed")).content.decode()
    assert "平缝机减振" in html and "技术诊断" in html and "已创建订阅" in html


def test_the_list_names_the_industry_and_region_and_a_letter_subscribes_to_a_category(client, world):
    client.force_login(world.member)
    assert _create(client, world, industry_prefix="c").status_code == 302
    assert SavedSearch.objects.get().industry_prefix == "C"
    html = client.get(reverse("engagements:feed")).content.decode()
    assert "行业 C 制造业" in html and "地区 浙江省台州市" in html


def test_a_category_letter_covers_the_industries_under_it(world):
    region = Region.objects.get(code="3310")
    sewing = Need(title="平缝机振动", description="", industry=industry_get("3553"), region=region)
    farm = Need(title="稻谷种植", description="", industry=industry_get("0111"), region=region)
    for prefix, matched in (("C", {"平缝机振动"}), ("A", {"稻谷种植"}), ("35", {"平缝机振动"}), ("", None)):
        search = SavedSearch(industry_prefix=prefix, min_score=0)
        found = {n.title for n in (sewing, farm) if search_matches(search, n, None)}
        assert found == (matched or {"平缝机振动", "稻谷种植"}), prefix


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "  ", "该字段是必填项"),
        ("industry_prefix", "3", "门类字母或 2–4 位数字代码"),
        ("industry_prefix", "CC", "门类字母或 2–4 位数字代码"),
        ("industry_prefix", "Z", "未知的行业代码"),
        ("industry_prefix", "9999", "未知的行业代码"),
        ("region_prefix", "990000", "未知的地区代码"),
        ("region_prefix", "abc", "未知的地区代码"),
        ("min_score", "2", "小于或等于1"),
        ("frequency", "hourly", "选择一个有效的选项"),
        ("service_type", "magic", "选择一个有效的选项"),
        ("query", " ".join("词" * 11), "关键词最多 10 个"),
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_saved(client, world, field, value, message):
    client.force_login(world.captain)
    response = _create(client, world, **{field: value})
    assert response.status_code == 400 and message in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_pause_resume_and_delete_by_any_member_of_the_team(client, world):
    client.force_login(world.captain)
    _create(client, world)
    search = SavedSearch.objects.get()
    client.force_login(world.member)  # not the one who created it
    client.post(reverse("engagements:search_toggle", args=[search.pk]))
    search.refresh_from_db()
    assert not search.active
    assert "已暂停" in client.get(reverse("engagements:feed")).content.decode()
    client.post(reverse("engagements:search_toggle", args=[search.pk]))
    search.refresh_from_db()
    assert search.active
    client.post(reverse("engagements:search_delete", args=[search.pk]))
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize("who", ["other_team_captain", "enterprise"])
def test_nobody_outside_the_team_manages_its_saved_searches(client, world, who):
    client.force_login(world.captain)
    _create(client, world)
    search = SavedSearch.objects.get()
    client.force_login(world.other_captain if who == "other_team_captain" else EnterpriseUserFactory())
    assert client.post(reverse("engagements:search_toggle", args=[search.pk])).status_code == 404
    assert client.post(reverse("engagements:search_delete", args=[search.pk])).status_code == 404
    assert _create(client, world, name="冒名订阅").status_code == 404
    search.refresh_from_db()
    assert search.active and SavedSearch.objects.count() == 1
    if who == "other_team_captain":
        assert list(client.get(reverse("engagements:feed")).context["searches"]) == []


def test_state_changes_are_post_only(client, world):
    client.force_login(world.captain)
    _create(client, world)
    search = SavedSearch.objects.get()
    assert client.get(reverse("engagements:search_toggle", args=[search.pk])).status_code == 405
    assert client.get(reverse("engagements:search_delete", args=[search.pk])).status_code == 405
    assert client.get(reverse("engagements:search_create", args=[world.team.pk])).status_code == 405


def test_the_services_refuse_outsiders_and_bad_values(world):
    with pytest.raises(MatchingError) as refused:
        saved_search_create(team=world.team, by=world.other_captain, name="外人")
    assert refused.value.code == "forbidden"
    search = saved_search_create(team=world.team, by=world.captain, name="订阅", min_score="0.5")
    for bad in ({"min_score": "abc"}, {"min_score": float("nan")}, {"name": ""}, {"owner": 1}):
        with pytest.raises(MatchingError):
            saved_search_update(search=search, by=world.captain, **bad)
    with pytest.raises(MatchingError):
        saved_search_update(search=search, by=world.other_captain, active=False)
    with pytest.raises(MatchingError):
        saved_search_delete(search=search, by=world.other_captain)
    search.refresh_from_db()
    assert (search.name, search.min_score, search.active) == ("订阅", 0.5, True)
