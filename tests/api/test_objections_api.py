"""公示异议 through the API: anyone lodges one while the notice runs (as on the public notice page), the
S&T office alone reads them, with their authors' contacts, and answers them. Bad input is a 400 that
saves nothing; another university's office and everyone else learn nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.throttling import ScopedRateThrottle

from scoring.assessment import objection_lodge
from scoring.models import Assessment, Objection
from scoring.scores import ScoringError
from tests.api.conftest import assert_error
from tests.factories import (
    CollegeFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    UniversityFactory,
    build_valid_team,
)

pytestmark = pytest.mark.django_db
LODGE = {"author": "张三", "contact": "13800000000", "text": "<script>x</script>某项记录存疑"}


@pytest.fixture
def world(reference_data):
    university = UniversityFactory()
    college = CollegeFactory(university=university)
    team = build_valid_team(college=college, status="active")
    now = timezone.now()
    assessment = Assessment.objects.create(
        university=university,
        year=2026,
        status="notice",
        notice_start=now,
        notice_end=now + timedelta(days=5),
    )
    office = StoAdminFactory(university=university)
    teacher = TeamMemberUserFactory(college=college)
    lodged = objection_lodge(assessment=assessment, author="李四", contact="13911112222", text="保密异议内容")
    return assessment, team, office, teacher, lodged


def _url(assessment):
    return f"/api/v1/assessments/{assessment.pk}/objections/"


def test_anyone_lodges_an_objection_naming_a_team(api, world):
    assessment, team, office, _teacher, _lodged = world
    response = api().post(_url(assessment), {**LODGE, "team": team.pk}, format="json")
    assert response.status_code == 201, response.content
    objection = Objection.objects.get(pk=response.json()["id"])
    assert (objection.team, objection.author, objection.text) == (team, "张三", LODGE["text"])
    assert response.json()["team"] == {"id": team.pk, "name": team.name}


def test_the_office_lists_and_answers_them(api, world):
    assessment, _team, office, _teacher, lodged = world
    listed = api(office).get(_url(assessment)).json()
    assert [(o["id"], o["contact"]) for o in listed] == [(lodged.pk, "13911112222")]
    response = api(office).post(
        f"/api/v1/objections/{lodged.pk}/answer/", {"answer": "经核查属实。"}, format="json"
    )
    assert response.status_code == 200, response.content
    lodged.refresh_from_db()
    assert (lodged.answer, lodged.answered_by) == ("经核查属实。", office)
    assert response.json()["answered_at"]


def test_it_refuses_others_the_list_and_the_answer_without_a_hint(api, world):
    assessment, _team, _office, teacher, lodged = world
    outsider_office = StoAdminFactory()
    assert_error(api().get(_url(assessment)), 401)
    assert_error(api(teacher).get(_url(assessment)), 403, "permission_denied")
    assert_error(api(outsider_office).get(_url(assessment)), 404)
    for user, status in ((None, 401), (teacher, 404), (outsider_office, 404)):
        response = api(user).post(f"/api/v1/objections/{lodged.pk}/answer/", {"answer": "x"}, format="json")
        error = assert_error(response, status)
        assert "保密异议" not in str(error) and "13911112222" not in str(error)
    lodged.refresh_from_db()
    assert lodged.answered_at is None


def test_it_refuses_an_objection_outside_the_notice(api, world):
    assessment, _team, _office, _teacher, _lodged = world
    Assessment.objects.filter(pk=assessment.pk).update(notice_end=timezone.now() - timedelta(minutes=1))
    assert_error(api().post(_url(assessment), LODGE, format="json"), 409, "wrong_state")
    Assessment.objects.filter(pk=assessment.pk).update(status="open")
    assert_error(api().post(_url(assessment), LODGE, format="json"), 404)
    assert Objection.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"author": ""}, "author"),
        ({"contact": "  "}, "contact"),
        ({"text": "长" * 3001}, "text"),
        ({"team": "abc"}, "team"),
        ({"team": "OTHER"}, "team"),  # a team of another university is not under this notice
    ],
)
def test_it_rejects_bad_input_and_saves_nothing(api, world, change, field):
    assessment, _team, _office, _teacher, _lodged = world
    if change.get("team") == "OTHER":
        change = {"team": build_valid_team(status="active", name_suffix="外校").pk}
    response = api().post(_url(assessment), {**LODGE, **change}, format="json")
    assert_error(response, 400, fields=[field])
    assert Objection.objects.count() == 1


def test_an_empty_answer_is_refused_and_changes_nothing(api, world):
    _assessment, _team, office, _teacher, lodged = world
    response = api(office).post(f"/api/v1/objections/{lodged.pk}/answer/", {"answer": "  "}, format="json")
    assert_error(response, 400, fields=["answer"])
    lodged.refresh_from_db()
    assert lodged.answered_at is None and lodged.answer == ""


def test_the_service_names_what_is_too_long(world):
    assessment, *_rest = world
    with pytest.raises(ScoringError) as exc:
        objection_lodge(assessment=assessment, author="张" * 51, contact="138", text="存疑")
    assert (exc.value.field, exc.value.message) == ("author", "署名不能超过 50 字。")
    assert Objection.objects.count() == 1


def test_lodging_is_throttled_per_address(api, world, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "objections", "2/hour")
    assessment, *_rest = world
    for _ in range(2):
        assert api().post(_url(assessment), LODGE, format="json").status_code == 201
    assert_error(api().post(_url(assessment), LODGE, format="json"), 429, "throttled")
    assert api(world[2]).get(_url(assessment)).status_code == 200  # reading is not throttled
    assert Objection.objects.count() == 3
