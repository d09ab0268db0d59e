"""The industry-map benchmark runs, prints JSON and leaves nothing behind (timings are not asserted)."""

import io
import json

import pytest
from django.core.management import call_command

from accounts.models import Enterprise
from demand.models import Need

pytestmark = pytest.mark.django_db


def test_the_benchmark_prints_json_and_rolls_back(reference_data):
    out = io.StringIO()
    call_command("bench_industry_map", enterprises=30, needs_per_enterprise=2, teams=3, repeat=1, stdout=out)
    result = json.loads(out.getvalue())
    assert (result["enterprises"], result["needs"]) == (30, 60)
    assert result["problems_rows"] == 60  # all published within the last year, whole country
    assert result["projects_rows"] == result["engagements"]
    assert result["map_queries"] == 13  # 3 measure groups × (3 levels + total) + the names
    assert Enterprise.objects.count() == 0 and Need.objects.count() == 0
