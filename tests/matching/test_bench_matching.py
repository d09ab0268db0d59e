"""bench_matching: the ranking and embedding figures it prints, and the sizes it refuses."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.matching.test_embeddings import MODEL


def test_bench_matching_prints_its_figures_and_refuses_bad_sizes():
    if not (MODEL / "modules.json").exists():
        pytest.skip("默认模型未构建")
    out = StringIO()
    call_command(
        "bench_matching", "--portraits", "300", "--queries", "5", "--embed-texts", "12", "--json", stdout=out
    )
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert figures["portraits"] == 300 and figures["queries"] == 5
    assert 0 < figures["raw_scan_p50_ms"] and 0 < figures["rank_p50_ms"] <= figures["rank_p95_ms"]
    assert figures["embed_per_s"] > 0
    assert figures["int8_prefilter"] is False  # 300 portraits: the plain scan
    for bad in (["--portraits", "0"], ["--embed-texts", "8"]):
        with pytest.raises(CommandError):
            call_command("bench_matching", *bad)
