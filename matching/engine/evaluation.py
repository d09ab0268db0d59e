"""Evaluate matching on a corpus in the csl-dev format with the real engine.

Ranks every team for every need and reports nDCG@10, MRR and Recall@10 (see metrics.py). Methods:
tfidf (character TF-IDF over each team's works), bm25 (jieba words), dense (the embedding model, team =
mean of its works' vectors) and hybrid (the platform's ranker). `keywords_only` replaces every need by a
few of its keywords, to measure short queries.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from . import text as textmod
from .corpus import load_corpus
from .lexical import LexicalIndex
from .metrics import summarize
from .portrait import Need
from .ranker import TeamIndex, _team_text

METHODS = ("tfidf", "bm25", "dense", "hybrid")
KEYWORDS_PER_NEED = 4
CATEGORY_FILE = (
    Path(__file__).resolve().parents[2] / "reference" / "fixtures" / "disciplines_csl67_categories.tsv"
)


def discipline_categories(path: Path = CATEGORY_FILE) -> dict[str, str]:
    """一级学科 → 门类 from the national catalogue (reference data shipped with the project)."""
    out = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                discipline, category = line.split("\t")
                out[discipline.strip()] = category.strip()
    return out


def keyword_need(need: Need, k: int = KEYWORDS_PER_NEED) -> Need:
    words = textmod.keywords(textmod.clean(need.text()), k=k) or textmod.tokens(textmod.clean(need.title))[:k]
    return Need(id=need.id, title=" ".join(words), description="")


def evaluate(corpus_dir, method: str = "hybrid", embedder=None, keywords_only: bool = False) -> dict:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    started = time.monotonic()
    corpus = load_corpus(corpus_dir)
    needs = [keyword_need(n) for n in corpus.needs] if keywords_only else corpus.needs
    team_ids = [t.id for t in corpus.teams]
    if method in ("tfidf", "bm25"):
        analyzer, weighting = ("chars", "tfidf") if method == "tfidf" else ("words", "bm25")
        index = LexicalIndex(analyzer, weighting).fit([_team_text(t) for t in corpus.teams])
        scores = index.score([textmod.clean(n.text()) for n in needs])
        rankings = {
            n.id: [team_ids[j] for j in np.argsort(-scores[i], kind="stable")] for i, n in enumerate(needs)
        }
    else:
        if embedder is None:
            raise ValueError("the dense and hybrid methods need an embedder")
        index = TeamIndex.build(corpus.teams, embedder, category_of=discipline_categories())
        need_vectors = embedder.encode_queries([textmod.for_embedding(n.text()) for n in needs])
        if method == "dense":
            scores = index.dense_index.scores(need_vectors)
            rankings = {
                n.id: [team_ids[j] for j in np.argsort(-scores[i], kind="stable")]
                for i, n in enumerate(needs)
            }
        else:
            ranked = index.rank(needs, need_vectors)
            rankings = {n.id: [team_ids[r.team] for r in ranked[i]] for i, n in enumerate(needs)}
    result = summarize(rankings, corpus.qrels)
    return {
        **{k: round(v, 4) for k, v in result.items()},
        "needs": len(needs),
        "teams": len(corpus.teams),
        "method": method + ("+keywords" if keywords_only else ""),
        "seconds": round(time.monotonic() - started, 1),
    }
