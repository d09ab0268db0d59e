"""The learned ranker in the platform: engagement outcomes → fusion weights, used only when they beat
the weights in use on held-out outcomes.

An outcome is an engagement whose other side answered: accepted (it reached 已达成, whatever happened
after) is 1, declined is 0. Its features are the matcher's signals for that pair when it opened.
"""

from django.db import transaction

from matching import hooks
from matching.engine.ranker import DEFAULT_WEIGHTS, LearnedRanker
from matching.models import RankerWeights


def active_weights() -> tuple[int | None, dict[str, float]]:
    """The weights the ranker uses now: the newest active learned row, else the principled defaults."""
    row = RankerWeights.objects.filter(active=True).first()
    return (row.pk, dict(row.weights)) if row else (None, dict(DEFAULT_WEIGHTS))


@transaction.atomic
def ranker_train(*, seed: int = 0) -> RankerWeights:
    """Train on every outcome, compare with the weights in use on held-out outcomes, keep the result.
    The new weights become active only when they are strictly better there."""
    rows, labels = hooks.ranker_outcomes()
    _, current = active_weights()
    comparison, learned = LearnedRanker.compare(rows, labels, current, seed=seed)
    if comparison.beats:
        RankerWeights.objects.filter(active=True).update(active=False)
    return RankerWeights.objects.create(
        weights=learned.weights if learned else {},
        outcomes=comparison.outcomes,
        auc_learned=comparison.auc_learned,
        auc_current=comparison.auc_current,
        active=comparison.beats,
        note=comparison.reason or ("优于现用权重，已启用" if comparison.beats else "未优于现用权重，未启用"),
    )
