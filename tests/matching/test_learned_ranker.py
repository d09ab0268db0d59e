"""The learned ranker: fusion weights learned from engagement outcomes, used only when they beat the
weights in use on held-out outcomes, and still explained factor by factor."""

import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone

from engagements.matching_facts import ranker_outcomes
from engagements.models import Engagement
from engagements.services import engagement_decline, engagement_invite
from matching import services
from matching.engine.ranker import DEFAULT_WEIGHTS, LearnedRanker, fuse
from matching.learning import active_weights, ranker_train
from matching.models import RankerWeights, Recommendation
from tests.factories import EnterpriseUserFactory, build_valid_team, published_need


def _region_driven_outcomes(n: int, seed: int = 1):
    """Enterprises here accept teams near them and ignore the industry fit the defaults weigh most."""
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for _ in range(n):
        row = {f: float(rng.random()) for f in ("dense", "lexical", "industry", "region")}
        rows.append(row)
        labels.append(int(row["region"] + 0.1 * rng.standard_normal() > 0.5))
    return rows, labels


def test_learned_weights_find_the_signal_that_decides_and_beat_the_defaults():
    rows, labels = _region_driven_outcomes(200)
    comparison, learned = LearnedRanker.compare(rows, labels, DEFAULT_WEIGHTS)
    assert comparison.beats and comparison.auc_learned > comparison.auc_current
    assert max(learned.weights, key=learned.weights.get) == "region"
    assert sum(learned.weights.values()) == pytest.approx(1.0)
    # a learned ranking explains itself the same way: contributions add up to the score
    score, contributions = fuse(rows[0], learned.weights)
    assert sum(contributions.values()) == pytest.approx(score)


def test_weights_that_already_decide_well_are_not_replaced():
    rows, labels = _region_driven_outcomes(200)
    comparison, _ = LearnedRanker.compare(rows, labels, {"region": 1.0})
    assert not comparison.beats


@pytest.mark.parametrize(
    "labels, reason",
    [([1, 0] * 9, "结果不足"), ([1] * 30, "接受与谢绝")],
)
def test_too_few_or_one_sided_outcomes_learn_nothing(labels, reason):
    rows = [{"dense": 0.5, "region": 0.5}] * len(labels)
    comparison, learned = LearnedRanker.compare(rows, labels, DEFAULT_WEIGHTS)
    assert not comparison.beats and learned is None and reason in comparison.reason


@pytest.mark.django_db
def test_an_invitation_keeps_the_matchers_signals_for_the_pair():
    owner = EnterpriseUserFactory()
    need, team = published_need(enterprise_user=owner), build_valid_team(status="active")
    signals = {"dense": 0.8, "lexical": 0.4, "industry": 1.0}
    Recommendation.objects.create(
        need=need, team=team, rank=1, score=0.7, explanation={"signals": signals}, model_version="t"
    )
    engagement = engagement_invite(need=need, team=team, by=owner)
    assert engagement.match_signals == signals
    captain = team.members.get(role="captain").user
    engagement_decline(engagement=engagement, by=captain, reason="本学期任务已满")
    assert ranker_outcomes() == ([signals], [0])


@pytest.mark.django_db
def test_training_activates_better_weights_and_the_ranker_uses_them():
    need, team = published_need(), build_valid_team(status="active")
    rows, labels = _region_driven_outcomes(60)
    for row, label in zip(rows, labels, strict=True):
        Engagement.objects.create(
            need=need,
            team=team,
            origin="invitation",
            status="completed" if label else "declined",
            agreed_at=timezone.now() if label else None,
            match_signals=row,
        )
    # an engagement still waiting for an answer is no outcome
    Engagement.objects.create(need=need, team=build_valid_team(status="active", name_suffix="飞跃缝纫机"),
                              origin="interest", match_signals=rows[0])  # fmt: skip
    assert len(ranker_outcomes()[0]) == 60

    out = StringIO()
    call_command("train_ranker", stdout=out)
    result = json.loads(out.getvalue())
    assert result["active"] and result["outcomes"] == 60
    row = RankerWeights.objects.get()
    assert active_weights() == (row.pk, row.weights)
    services.reset_index_cache()
    index, _ = services.team_index()  # the real model embeds the portraits
    assert index.weights == row.weights

    # trained again on the same outcomes, the active weights are no longer beaten: they stay
    again = ranker_train()
    assert not again.active and RankerWeights.objects.filter(active=True).get() == row
