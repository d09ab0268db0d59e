"""Hostile text in a team's application, portrait and service records: stored exactly as typed and
shown escaped on every page that shows it, to the team and to its reviewers."""

import pytest
from django.db import connection
from django.urls import reverse

from teams.models import ServiceRecord, Team
from tests.hostile_text import IMG, SCRIPT, SQL, assert_escaped
from tests.teams.test_records import record_data
from tests.teams.test_views import as_user, build_world, edit_data, set_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def test_the_application_texts_round_trip_and_are_escaped(client, world):
    response = as_user(client, world.owner).post(
        reverse("teams:edit", args=[world.team.pk]),
        edit_data(service_content=SQL, description=SCRIPT, service_foundation=IMG),
    )
    assert response.status_code == 302
    team = Team.objects.get(pk=world.team.pk)
    assert (team.service_content, team.description, team.service_foundation) == (SQL, SCRIPT, IMG)
    for user in (world.owner, world.college_admin, world.office):
        for url in (reverse("teams:detail", args=[team.pk]), reverse("teams:edit", args=[team.pk])):
            if url.endswith("/edit/") and user != world.owner:
                continue
            html = as_user(client, user).get(url).content.decode()
            assert_escaped(html, SQL, SCRIPT)
    assert "demand_need" in connection.introspection.table_names()


def test_a_service_records_texts_round_trip_and_are_escaped(client, world):
    set_status(world.team, Team.Status.ACTIVE)
    response = as_user(client, world.member).post(
        reverse("teams:record_create", args=[world.team.pk]),
        record_data(world.team, title=SCRIPT, served_organisation=IMG, description=SQL),
    )
    assert response.status_code == 302
    record = ServiceRecord.objects.get(team=world.team)
    assert (record.title, record.served_organisation, record.description) == (SCRIPT, IMG, SQL)
    pages = [
        reverse("teams:record_list", args=[world.team.pk]),
        reverse("teams:record_detail", args=[record.pk]),
    ]
    for user in (world.member, world.college_admin):
        for url in pages:
            html = as_user(client, user).get(url).content.decode()
            assert_escaped(html, SCRIPT)
    detail = as_user(client, world.college_admin).get(pages[1]).content.decode()
    assert_escaped(detail, SQL, IMG)
