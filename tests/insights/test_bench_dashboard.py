"""The dashboard benchmark at a small size: its answers add up, and it leaves nothing behind.
(Speed is measured by running the command, never asserted here.)"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Enterprise
from demand.models import Need


@pytest.mark.django_db
def test_small_run_adds_up_and_rolls_back(reference_data):
    before = Need.objects.count()
    out = StringIO()
    call_command("bench_dashboard", needs=300, repeat=1, stdout=out)
    report = json.loads(out.getvalue())
    assert report["filled"]["needs"] == 300
    assert report["check"] == {"posted": 300, "regions_sum": 300, "matrix_total": 300, "funnel_posted": 300}
    assert set(report["queries_ms"]) >= {
        "summary",
        "matrix_section",
        "gap",
        "trend",
        "funnel",
        "regions_map_country",
    }
    assert Need.objects.count() == before
    assert not Enterprise.objects.filter(name__startswith="基准测试").exists()


@pytest.mark.django_db
def test_bad_arguments_are_refused_in_chinese(reference_data):
    with pytest.raises(CommandError, match="省级代码"):
        call_command("bench_dashboard", needs=10, region="3310")
    with pytest.raises(CommandError, match="正整数"):
        call_command("bench_dashboard", needs=0)
