"""accounts.scope: a user's role and organisation → one scope, and the rows each model's lookup paths reach
from it; the `may` object templates ask; and the archive, which platform administrators reach too."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.context_processors import permissions
from accounts.models import Role
from accounts.scope import (
    Kind,
    Lookup,
    ScopedQuerySet,
    ScopePaths,
    is_platform_admin,
    restrict,
    scope_of,
    users_of_kind,
)
from scoring.selectors import colleges_archivable_by, teams_for_archive
from teams.models import Call, CallQuerySet, Team, TeamQuerySet
from teams.selectors import teams_visible_to
from tests.factories import (
    AgencyFactory,
    CollegeAdminFactory,
    CollegeFactory,
    EnterpriseUserFactory,
    StoAdminFactory,
    UserFactory,
    build_valid_team,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    college = CollegeFactory()
    team = build_valid_team(college=college, status="active")
    other = build_valid_team(name_suffix="另一", status="active")
    return {
        "team": team,
        "other": other,
        "captain": team.members.get(role="captain").user,
        "college_admin": CollegeAdminFactory(college=college),
        "office": StoAdminFactory(university=college.university),
        "other_office": StoAdminFactory(),
        "enterprise": EnterpriseUserFactory(),
        "government": UserFactory(role=Role.GOV_VIEWER, agency=AgencyFactory()),
        "admin": UserFactory(role=Role.PLATFORM_ADMIN),
        "superuser": UserFactory(role=Role.TEAM_MEMBER, college=college, is_superuser=True),
    }


def test_each_role_has_one_kind_of_scope(world):
    from django.contrib.auth.models import AnonymousUser

    kinds = {name: scope_of(user).kind for name, user in world.items() if name not in {"team", "other"}}
    assert kinds == {
        "captain": Kind.MEMBER,
        "college_admin": Kind.COLLEGE,
        "office": Kind.UNIVERSITY,
        "other_office": Kind.UNIVERSITY,
        "enterprise": Kind.ENTERPRISE,
        "government": Kind.AGENCY,
        "admin": Kind.EVERYTHING,
        "superuser": Kind.EVERYTHING,
    }
    assert scope_of(AnonymousUser()).kind == Kind.NOTHING
    assert scope_of(world["government"]).region == world["government"].agency.region
    assert scope_of(world["captain"]).home_university_id == world["team"].college.university_id


def test_teams_each_scope_reaches(world):
    team, other = world["team"], world["other"]
    reach = {name: set(teams_visible_to(world[name])) for name in world if name not in {"team", "other"}}
    assert reach["captain"] == {team}
    assert reach["college_admin"] == {team}
    assert reach["office"] == {team}
    assert reach["other_office"] == set()
    assert reach["enterprise"] == reach["government"] == set()
    assert {team, other} <= reach["admin"] == reach["superuser"]


def test_a_model_manager_carries_its_paths(world):
    assert issubclass(TeamQuerySet, ScopedQuerySet)
    assert list(Team.objects.visible_to(world["college_admin"])) == [world["team"]]
    assert list(Team.objects.visible_to(world["other_office"])) == []


def test_a_path_through_many_rows_lists_each_row_once(world):
    team = world["team"]
    team.members.filter(role="core").update(user=world["captain"])  # the captain, four times a member
    assert list(teams_visible_to(world["captain"])) == [team]


def test_a_lookup_compares_with_another_key(world):
    call = Call.objects.create(
        university=world["team"].college.university,
        year=2026,
        title="2026 年度申报",
        requirements="按附录D填报",
        deadline=timezone.now() + timedelta(days=30),
    )
    for name in ("captain", "college_admin", "office", "admin"):
        assert list(restrict(Call.objects.all(), world[name], CallQuerySet.scope_paths)) == [call], name
    for name in ("other_office", "enterprise", "government"):
        assert list(restrict(Call.objects.all(), world[name], CallQuerySet.scope_paths)) == [], name
    only_the_office = ScopePaths(everything=None, university=Lookup("university", "home_university"))
    assert list(restrict(Call.objects.all(), world["admin"], only_the_office)) == []


def test_rows_administrators_do_not_see_stay_with_a_superusers_own_role(world):
    """Colleges' archives are for their college and office only; a superuser who is also a college's
    administrator keeps that college's."""
    college = world["team"].college
    assert list(colleges_archivable_by(world["admin"])) == []
    admin_of_college = CollegeAdminFactory(college=college, is_superuser=True)
    assert is_platform_admin(admin_of_college)
    assert list(colleges_archivable_by(admin_of_college)) == [college]


def test_users_of_a_kind(world):
    assert set(users_of_kind(Kind.UNIVERSITY)) == {world["office"], world["other_office"]}
    assert world["admin"] in users_of_kind(Kind.EVERYTHING)
    assert world["superuser"] not in users_of_kind(Kind.EVERYTHING)  # a teacher who is also a superuser


# --------------------------------------------------------------------------------------------- archive


def test_a_platform_administrator_reaches_a_teams_archive(world, client):
    team, admin = world["team"], world["admin"]
    assert team in teams_for_archive(admin)
    client.force_login(admin)
    assert client.get(reverse("scoring:archive", args=[team.pk, 2026])).status_code == 200
    api = APIClient()
    api.force_authenticate(admin)
    response = api.get(f"/api/v1/archives/{team.pk}/2026/")
    assert response.status_code == 200, response.content
    assert response.json()["team"]["id"] == team.pk


def test_an_outsider_does_not_reach_a_teams_archive(world, client):
    team = world["team"]
    assert team not in teams_for_archive(world["other_office"])
    client.force_login(world["other_office"])
    assert client.get(reverse("scoring:archive", args=[team.pk, 2026])).status_code == 404


# ------------------------------------------------------------------------------------------------ may


def _may(user):
    request = RequestFactory().get("/")
    request.user = user
    return permissions(request)["may"]


def test_may_answers_the_templates_questions(world):
    from django.contrib.auth.models import AnonymousUser

    anonymous = _may(AnonymousUser())
    assert not any(
        getattr(anonymous, q) for q in ("post_needs", "moderate_needs", "see_engagements", "see_dashboard")
    )
    assert _may(world["enterprise"]).post_needs and _may(world["enterprise"]).see_engagements
    government = _may(world["government"])
    assert government.see_dashboard and government.see_industry_map and not government.see_engagements
    office = _may(world["office"])
    assert office.moderate_needs and office.assign_needs and office.edit_rules and office.export_reports
    college = _may(world["college_admin"])
    assert college.review_college and college.see_dashboard and not college.see_industry_map
    captain = _may(world["captain"])
    assert captain.is_team_member and captain.see_assessments and not captain.see_dashboard
    admin = _may(world["admin"])
    assert admin.moderate_needs and admin.see_assignments and not admin.see_assessments


def test_the_page_header_asks_may(world, client):
    client.force_login(world["government"])
    html = client.get(reverse("demand:hall")).content.decode()
    assert reverse("dashboard:page") in html and reverse("engagements:engagements") not in html
    client.force_login(world["office"])
    html = client.get(reverse("demand:hall")).content.decode()
    assert html.count(f'href="{reverse("demand:moderation")}"') == 1
    assert reverse("teams:review_office") in html and reverse("reports:list") in html
