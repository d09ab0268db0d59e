"""The analysts' notebooks run top to bottom on the demo world in a separate kernel, and what they show
is what the project's own code computes on the same data."""

from collections import Counter
from datetime import datetime

import pytest
from django.utils import timezone

from demand.models import Need
from demo.services import demo_world_build
from engagements.models import Engagement
from insights import dashboard
from insights.dashboard_filters import POSTED_STATUSES, parse_filters, scope_of_region
from matching.engine.corpus import load_corpus
from matching.engine.evaluation import rank_corpus, sample_corpus
from matching.engine.metrics import summarize
from matching.models import Recommendation
from teams.models import Team
from tests.notebooks.harness import run_notebook, runner

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

MATCHING_PROBE = """{
    "params": [str(CORPUS_DIR), SAMPLE_NEEDS, WORKS_PER_TEAM, SEED],
    "methods": METHODS,
    "needs": [n.id for n in corpus.needs],
    "summary": summary.to_dict(orient="index"),
    "per_query_means": per_query.groupby("method")[METRICS].mean().to_dict(orient="index"),
    "outcomes": [len(outcome_labels), accepted],
    "signal_means": signal_means.to_dict(),
}"""


def _answered_engagements(accepted: int, declined: int):
    """Outcomes as the platform records them: accepted ones reached 已达成, declined ones were refused."""
    needs = Need.objects.filter(status=Need.Status.PUBLISHED).order_by("id")[: accepted + declined]
    teams = Team.objects.filter(status=Team.Status.ACTIVE).order_by("id")
    now = timezone.now()
    for i, need in enumerate(needs):
        ok = i < accepted
        Engagement.objects.create(
            need=need,
            team=teams[i % teams.count()],
            origin=Engagement.Origin.INVITATION,
            status=Engagement.Status.AGREED if ok else Engagement.Status.DECLINED,
            agreed_at=now if ok else None,
            ended_at=None if ok else now,
            match_signals={"dense": 0.9, "region": 1.0} if ok else {"dense": 0.3, "region": 0.0},
        )


def test_matching_quality_shows_the_engines_figures_and_the_platforms_outcomes(reference_data, tmp_path):
    # given: the demo world with three accepted and two declined engagements
    demo_world_build()
    _answered_engagements(accepted=3, declined=2)

    # when
    nb, probe = run_notebook("matching_quality", tmp_path, MATCHING_PROBE)

    # then: the notebook evaluated the sample its parameters name
    corpus_dir, sample_needs, works_per_team, seed = probe["params"]
    corpus = sample_corpus(
        load_corpus(corpus_dir), needs=sample_needs, works_per_team=works_per_team, seed=seed
    )
    assert probe["needs"] == [n.id for n in corpus.needs] and len(corpus.needs) == sample_needs
    assert set(probe["methods"]) == {"tfidf", "bm25", "dense", "hybrid"}
    # the lexical figures are exactly what the engine computes here (they need no model)
    lexical = rank_corpus(corpus, ["tfidf", "bm25"])
    for method, rankings in lexical.items():
        assert probe["summary"][method] == pytest.approx(summarize(rankings, corpus.qrels))
    # every figure is a proper score, and the per-need table is what the means were taken over
    for method, scores in probe["summary"].items():
        assert all(0.0 <= v <= 1.0 for v in scores.values()), method
        assert probe["per_query_means"][method] == pytest.approx(scores)
    assert probe["summary"]["dense"] != probe["summary"]["hybrid"]

    # the outcomes come from this test's database, through the kernel's own connection
    assert probe["outcomes"] == [5, 3]
    assert probe["signal_means"]["接受"] == pytest.approx({"语义相似": 0.9, "地区": 1.0})
    assert probe["signal_means"]["谢绝"] == pytest.approx({"语义相似": 0.3, "地区": 0.0})
    # four charts: methods, per need, per 门类, outcomes
    assert len(runner.figures(nb)) == 4


DEMAND_PROBE = """{
    "params": [REGION, PUBLIC_ONLY, FILTERS, LEVEL, UNANSWERED_DAYS, TOP_INDUSTRIES],
    "now": NOW.isoformat(),
    "summary": summary,
    "by_region": by_region,
    "drill": drill,
    "matrix": matrix,
    "cross_total": int(cross.to_numpy().sum()),
    "gap": gap_rows,
    "ranking": ranking,
    "trend": trend,
    "funnel": funnel_steps,
    "funnel_counts": funnel["count"].tolist(),
}"""


def _recommend(needs, score: float):
    team = Team.objects.filter(status=Team.Status.ACTIVE).order_by("id").first()
    for need in needs:
        Recommendation.objects.create(
            need=need, team=team, rank=1, score=score, explanation={}, model_version="t"
        )


def test_demand_and_gap_shows_the_dashboard_selectors_figures(reference_data, tmp_path):
    # given: the demo world, a third of its posted needs with a strong recommendation, a third a weak one
    demo_world_build()
    posted = Need.objects.filter(status__in=POSTED_STATUSES, published_at__isnull=False).order_by("id")
    total = posted.count()
    _recommend(posted[: total // 3], score=0.8)
    _recommend(posted[total // 3 : 2 * total // 3], score=0.3)

    # when
    nb, probe = run_notebook("demand_and_gap", tmp_path, DEMAND_PROBE)

    # then: every figure is the dashboard selector's answer for the notebook's parameters
    region, public_only, raw_filters, level, days, top = probe["params"]
    scope, filters = scope_of_region(region, public_only=public_only), parse_filters(raw_filters)
    now = datetime.fromisoformat(probe["now"])
    assert probe["summary"] == dashboard.dashboard_summary(scope, filters, now=now)
    assert probe["by_region"] == dashboard.needs_by_region(scope, filters, parent=region)
    assert probe["matrix"] == dashboard.region_industry_matrix(scope, filters, level=level)
    assert probe["gap"] == dashboard.supply_gap(scope, filters, level=level, unanswered_days=days, now=now)
    assert probe["ranking"] == dashboard.unanswered_ranking(
        scope, filters, level=level, unanswered_days=days, now=now
    )
    assert probe["trend"] == dashboard.monthly_trend(scope, filters, level=level, top=top)
    assert probe["funnel"] == dashboard.matching_funnel(scope, filters)["steps"]

    # and they count what is in the database, read independently here
    in_scope = posted.filter(region__code__startswith=region)
    assert probe["summary"]["posted"] == in_scope.count() > 100
    assert probe["cross_total"] == probe["matrix"]["total"] == in_scope.count()
    assert probe["summary"]["strong"] == in_scope.filter(recommendations__score__gte=0.5).count() > 0
    # (the demo dates each posted need's first recommendation, as the matcher stamps it)
    assert probe["funnel_counts"][:2] == [
        in_scope.count(),
        in_scope.filter(match_facts__first_recommended_at__isnull=False).count(),
    ]
    busiest = Counter(code[: len(region) + 2] for code in in_scope.values_list("region__code", flat=True))
    assert probe["drill"]["parent"] == busiest.most_common(1)[0][0]
    assert probe["drill"] == dashboard.needs_by_region(scope, filters, parent=probe["drill"]["parent"])
    # charts: regions, drill-down, matrix, gap, unanswered ranking, trend, funnel
    assert len(runner.figures(nb)) == 7
