"""The analysts' notebooks run top to bottom on the demo world in a separate kernel, and what they show
is what the project's own code computes on the same data."""

import pytest
from django.utils import timezone

from demand.models import Need
from demo.services import demo_world_build
from matching.engine.corpus import load_corpus
from matching.engine.evaluation import rank_corpus, sample_corpus
from matching.engine.metrics import summarize
from matching.models import Engagement
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
