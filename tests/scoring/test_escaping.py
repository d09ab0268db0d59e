"""Hostile text in a team's highlights and cases: stored exactly as typed, shown escaped on the archive
page and in the office's list of cases."""

import pytest
from django.urls import reverse

from scoring.models import Case
from tests.hostile_text import SCRIPT, SQL, assert_escaped
from tests.teams.test_views import as_user, build_world

pytestmark = pytest.mark.django_db


def test_a_cases_texts_round_trip_and_are_escaped(client):
    world = build_world()
    response = as_user(client, world.owner).post(
        reverse("scoring:case_add", args=[world.team.pk]), {"year": 2026, "title": SCRIPT, "text": SQL}
    )
    assert response.status_code == 302
    case = Case.objects.get(team=world.team)
    assert (case.title, case.text) == (SCRIPT, SQL)
    archive = reverse("scoring:archive", args=[world.team.pk, 2026])
    for user, url in (
        (world.owner, archive),
        (world.office, archive),
        (world.office, reverse("scoring:cases")),
    ):
        html = as_user(client, user).get(url).content.decode()
        assert_escaped(html, SCRIPT)
    assert_escaped(as_user(client, world.owner).get(archive).content.decode(), SQL)
