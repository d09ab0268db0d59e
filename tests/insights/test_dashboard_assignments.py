"""The dashboard's 指派 figure on the hand-made world: per team counts and median response hours,
counted by the database, scoped and filtered like every other figure, shown and exported alike.

Assignments (hours from assignment to the team's answer):
  team A: n1 accepted after 10 h, n3 declined after 30 h, n4 escalated (no answer)
  team B: n2 accepted after 2 h, n9 pending
  out of scope: n7 (杭州) accepted after 1 h, team B; n8 (a draft, never published) pending, team A
In 台州: A 3 assigned (1/1/1/0), median 20 h; B 2 assigned (1/0/0/1), median 2 h; all: 5, median 10 h.
Industry 3441 (n3, n4 only): A 2 assigned, median 30 h.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import Role
from engagements.models import Assignment
from insights.dashboard import assignment_response
from insights.dashboard_filters import parse_filters
from reference.models import Region
from teams.models import Team
from tests.factories import AgencyFactory, CollegeFactory, UserFactory
from tests.insights.conftest import at

pytestmark = pytest.mark.django_db


def assign(need, team, status, hours=None):
    created = at(6, 1)
    row = Assignment.objects.create(need=need, team=team, status=status, deadline=created + timedelta(days=3))
    Assignment.objects.filter(pk=row.pk).update(
        created_at=created, responded_at=None if hours is None else created + timedelta(hours=hours)
    )


@pytest.fixture
def assignments(dashboard_world):
    n = dashboard_world
    a = Team.objects.get(name="测试·缝制科技小分队")
    b = Team.objects.create(
        name="测试·泵阀科技小分队",
        college=CollegeFactory(),
        work_mode="enterprise_centre",
        theme="smart_manufacturing",
        category="science",
    )
    assign(n[1], a, "accepted", 10)
    assign(n[3], a, "declined", 30)
    assign(n[4], a, "escalated")
    assign(n[2], b, "accepted", 2)
    assign(n[9], b, "pending")
    assign(n[7], b, "accepted", 1)
    assign(n[8], a, "pending")
    return a, b


def test_counts_and_medians_per_team_in_scope(assignments, taizhou):
    a, b = assignments
    data = assignment_response(taizhou)
    by_team = {row["team"]: row for row in data["rows"]}
    assert [row["team"] for row in data["rows"]] == [a.pk, b.pk]  # busiest first
    assert {k: by_team[a.pk][k] for k in ("assigned", "accepted", "declined", "escalated", "pending")} == {
        "assigned": 3, "accepted": 1, "declined": 1, "escalated": 1, "pending": 0,
    }  # fmt: skip
    assert by_team[a.pk]["median_hours"] == 20.0
    assert by_team[a.pk]["accept_rate"] == 0.3333  # rates carry four decimals, like the gap figures
    assert (by_team[b.pk]["assigned"], by_team[b.pk]["pending"], by_team[b.pk]["median_hours"]) == (2, 1, 2.0)
    total = data["total"]
    assert (total["assigned"], total["accepted"], total["median_hours"]) == (5, 2, 10.0)


def test_filters_narrow_it_like_the_other_figures(assignments, taizhou):
    a, _ = assignments
    data = assignment_response(taizhou, parse_filters({"industry": "3441"}))
    assert [(r["team"], r["assigned"], r["median_hours"]) for r in data["rows"]] == [(a.pk, 2, 30.0)]


def test_page_shows_it_and_the_export_holds_the_same_rows(client, assignments):
    client.force_login(
        UserFactory(role=Role.GOV_VIEWER, agency=AgencyFactory(region=Region.objects.get(code="3310")))
    )
    page = client.get(reverse("dashboard:page"))
    table = page.context["tables"]["assignments"]
    assert table.rows[-1] == ["合计", 5, 2, 1, 1, 1, 40.0, 10.0]
    assert 'data-table="assignments"' in page.content.decode()
    response = client.get(reverse("dashboard:export", args=["assignments", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == table.headers
    assert rows[1:] == [[str(v) for v in row] for row in table.rows]


def test_another_city_viewer_sees_none_of_them(client, assignments):
    client.force_login(
        UserFactory(role=Role.GOV_VIEWER, agency=AgencyFactory(region=Region.objects.get(code="3301")))
    )
    page = client.get(reverse("dashboard:page"))
    table = page.context["tables"]["assignments"]
    assert [row[0] for row in table.rows] == ["测试·泵阀科技小分队", "合计"]  # only n7, in 杭州
    assert table.rows[-1][1] == 1
