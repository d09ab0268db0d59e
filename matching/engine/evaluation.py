"""Evaluate matching on a corpus in the csl-dev format with the real engine.

Ranks every team for every need and reports nDCG@10, MRR and Recall@10 (see metrics.py). Methods:
tfidf (character TF-IDF over each team's works), bm25 (jieba words), dense (the embedding model, team =
mean of its works' vectors) and hybrid (the platform's ranker). `keywords_only` replaces every need by a
few of its keywords, to measure short queries.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from . import text as textmod
from .corpus import Corpus, load_corpus
from .lexical import LexicalIndex
from .metrics import summarize
from .portrait import Need
from .ranker import TeamIndex, _team_text, encode_needs

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
    """The need as a few of its keywords; a text with none ("2024", "a") is its own words, or itself."""
    text = textmod.clean(need.text())
    words = textmod.keywords(text, k=k) or textmod.tokens(text)[:k]
    return Need(id=need.id, title=" ".join(words) or text, description="")


def sample_corpus(
    corpus: Corpus, *, needs: int | None = None, works_per_team: int | None = None, seed: int = 0
) -> Corpus:
    """A smaller corpus for a quick look: `needs` needs drawn at random (fixed seed) and each team's
    first `works_per_team` works; None keeps everything. Every team stays, so the ranking task (find the
    relevant teams among all of them) keeps its shape; fewer works make each portrait thinner, so the
    figures are lower than on the full corpus and are comparable only between methods."""
    chosen = corpus.needs
    if needs is not None and needs < len(chosen):
        picked = set(random.Random(seed).sample(range(len(chosen)), needs))
        chosen = [n for i, n in enumerate(chosen) if i in picked]
    teams = corpus.teams
    if works_per_team is not None:
        teams = [replace(t, works=t.works[:works_per_team]) for t in teams]
    ids = {n.id for n in chosen}
    return Corpus(teams=teams, needs=chosen, qrels={k: v for k, v in corpus.qrels.items() if k in ids})


def rank_corpus(corpus: Corpus, methods, embedder=None, keywords_only: bool = False) -> dict:
    """{method: {need id: team ids, best first}} for every need and method. The dense and hybrid
    methods share one team index (the works are embedded once)."""
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown method {unknown[0]!r}; choose from {', '.join(METHODS)}")
    needs = [keyword_need(n) for n in corpus.needs] if keywords_only else corpus.needs
    team_ids = [t.id for t in corpus.teams]

    def by_score(scores):
        return {
            n.id: [team_ids[j] for j in np.argsort(-scores[i], kind="stable")] for i, n in enumerate(needs)
        }

    out = {}
    for method in (m for m in methods if m in ("tfidf", "bm25")):
        analyzer, weighting = ("chars", "tfidf") if method == "tfidf" else ("words", "bm25")
        index = LexicalIndex(analyzer, weighting).fit([_team_text(t) for t in corpus.teams])
        out[method] = by_score(index.score([textmod.clean(n.text()) for n in needs]))
    if any(m in ("dense", "hybrid") for m in methods):
        if embedder is None:
            raise ValueError("the dense and hybrid methods need an embedder")
        index = TeamIndex.build(corpus.teams, embedder, category_of=discipline_categories())
        need_vectors = encode_needs(
            embedder.encode, [textmod.for_embedding(n.text()) for n in needs], embedder.dim
        )
        if "dense" in methods:
            out["dense"] = by_score(index.dense_index.scores(need_vectors))
        if "hybrid" in methods:
            ranked = index.rank(needs, need_vectors).rows
            out["hybrid"] = {n.id: [team_ids[r.team] for r in ranked[i]] for i, n in enumerate(needs)}
    return {m: out[m] for m in methods}


def evaluate(corpus_dir, method: str = "hybrid", embedder=None, keywords_only: bool = False) -> dict:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    started = time.monotonic()
    corpus = load_corpus(corpus_dir)
    rankings = rank_corpus(corpus, [method], embedder, keywords_only)[method]
    result = summarize(rankings, corpus.qrels)
    return {
        **{k: round(v, 4) for k, v in result.items()},
        "needs": len(corpus.needs),
        "teams": len(corpus.teams),
        "method": method + ("+keywords" if keywords_only else ""),
        "seconds": round(time.monotonic() - started, 1),
    }
