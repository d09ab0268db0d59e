"""Ranking metrics for need → team matching, as the csl-dev README asks for them.

The README says "nDCG@10 (graded), MRR and Recall@10 of relevance-2 teams" and does not fix the gain,
so nDCG uses the standard graded form with gain = relevance (not 2^rel - 1) and a log2 discount:
DCG@k = Σ_{i=1..k} rel_i / log2(i + 1), divided by the DCG of the ideal ordering of all judged teams.
MRR is the reciprocal rank of the first relevance-2 team (0 if none is ranked); Recall@10 is the share of
the relevance-2 teams found in the top 10. A need with no relevance-2 team scores 0 on MRR and Recall
and is still counted, so a corpus cannot look better by having unanswerable needs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

TOP_RELEVANCE = 2


def dcg(gains: Sequence[float], k: int) -> float:
    gains = np.asarray(gains[:k], dtype=np.float64)
    return float(np.sum(gains / np.log2(np.arange(2, len(gains) + 2))))


def ndcg_at_k(ranking: Sequence[str], relevance: Mapping[str, int], k: int = 10) -> float:
    ideal = dcg(sorted(relevance.values(), reverse=True), k)
    if ideal <= 0:
        return 0.0
    return dcg([relevance.get(t, 0) for t in ranking], k) / ideal


def reciprocal_rank(
    ranking: Sequence[str], relevance: Mapping[str, int], level: int = TOP_RELEVANCE
) -> float:
    for rank, team in enumerate(ranking, start=1):
        if relevance.get(team, 0) >= level:
            return 1.0 / rank
    return 0.0


def recall_at_k(
    ranking: Sequence[str], relevance: Mapping[str, int], k: int = 10, level: int = TOP_RELEVANCE
) -> float:
    wanted = {t for t, r in relevance.items() if r >= level}
    if not wanted:
        return 0.0
    return len(wanted.intersection(ranking[:k])) / len(wanted)


def per_need(
    rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]]
) -> dict[str, dict[str, float]]:
    """nDCG@10, MRR and Recall@10 of each need: the rows behind the means, for a per-query breakdown."""
    return {
        need: {
            "ndcg@10": ndcg_at_k(ranking, qrels.get(need, {})),
            "mrr": reciprocal_rank(ranking, qrels.get(need, {})),
            "recall@10": recall_at_k(ranking, qrels.get(need, {})),
        }
        for need, ranking in rankings.items()
    }


def summarize(
    rankings: Mapping[str, Sequence[str]], qrels: Mapping[str, Mapping[str, int]]
) -> dict[str, float]:
    """Mean nDCG@10, MRR and Recall@10 over the needs in `rankings`."""
    if not rankings:
        return {"ndcg@10": 0.0, "mrr": 0.0, "recall@10": 0.0}
    rows = per_need(rankings, qrels).values()
    return {key: float(np.mean([row[key] for row in rows])) for key in ("ndcg@10", "mrr", "recall@10")}
