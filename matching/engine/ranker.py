"""The hybrid ranker: dense, lexical, discipline and structured signals fused into one score per
(need, team), with per-factor contributions that add up exactly to the score.

Fusion: every signal is a number in [0, 1] (dense and lexical are min-max scaled per need, so a need
with generally high similarities does not outweigh one with low ones); the score is the weighted mean
of the signals present for that pair, so a team that did not declare, say, its region is neither
rewarded nor punished for it. Contribution of a factor = its weight × its value / the sum of the
weights present; the contributions sum to the score.

Two stages for large portrait libraries: an exact dense search (and the discipline scores, a gather)
pick candidates; only the candidates get the lexical and structured signals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import structured
from . import text as textmod
from .discipline import (
    DisciplineModel,
    QueryVectors,
    discipline_members,
    is_keyword_list,
    normalised_label_scores,
    pseudo_query,
    teams_by_label,
    teams_of_scores,
    top_disciplines,
    top_teams,
)
from .embeddings import PASSAGE, QUERY
from .lexical import LexicalIndex
from .portrait import Need, TeamPortrait
from .structured import StructuredFacts
from .vector_index import make_index, top_k

# Chosen by principle and checked on half of csl-dev's needs (reported on the other half): the
# discipline evidence of all teams carries the text signal; the team's own similarity orders teams
# within a discipline; structured fit matters only where the platform has it.
DEFAULT_WEIGHTS = {
    "discipline": 1.0,
    "dense": 0.2,
    "lexical": 0.1,
    # Where the platform knows the need's industry and region, they are strong evidence: a team that
    # declares the need's 小类 has usually served that kind of enterprise before.
    "industry": 0.8,
    "region": 0.3,
    "service_type": 0.3,
    "load": 0.05,
    "track_record": 0.2,
}
FACTOR_LABELS = {
    "discipline": "学科方向",
    "dense": "语义相似",
    "lexical": "关键词匹配",
    "industry": "行业",
    "region": "地区",
    "service_type": "服务类型",
    "load": "当前负荷",
    "track_record": "服务成效",
}
# A structured factor at least this strong is named among a recommendation's reasons.
STRONG_SIGNAL = 0.6
# Shared words looked at for an explanation, strongest first, before the generic ones are dropped.
MATCHED_TERMS_LOOKED_AT = 30
# Teams given the full fusion per need when only the top k are wanted (all of them when k is None).
CANDIDATES = 100


@dataclass
class Explanation:
    total: float
    contributions: dict[str, float]
    matched_keywords: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    # The raw signal values: what a learned ranker trains on once the pair's outcome is known.
    signals: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "contributions": self.contributions,
            "signals": self.signals,
            "matched_keywords": self.matched_keywords,
            "reasons": self.reasons,
        }


@dataclass
class Ranked:
    team: int  # index into the portraits
    score: float
    signals: dict[str, float]
    contributions: dict[str, float]


@dataclass(frozen=True, eq=False)
class Ranking:
    """What TeamIndex.rank found: for each need, the top teams best first (rows), and the discipline
    probabilities the needs were ranked with (a row per need over discipline_model.labels; None when
    the index has no fitted discipline model), which explain() takes as probabilities_row.

    It reads as its rows too (iterated, indexed, counted), as rank's plain list of rows used to."""

    rows: list[list[Ranked]]
    discipline_probabilities: np.ndarray | None = None

    def __iter__(self) -> Iterator[list[Ranked]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i):
        return self.rows[i]


def _minmax(x: np.ndarray) -> np.ndarray:
    """Scale each row to [0, 1] relative to its best and worst team.

    A row with no spread (one candidate team, or all equal) has no worst team to measure from: every
    team there is as good as the best one, so it gets 1 where it has any similarity at all and 0 where
    it has none (no shared word), rather than a 0 that would contradict the shared keywords shown."""
    lo, hi = x.min(axis=1, keepdims=True), x.max(axis=1, keepdims=True)
    spread = hi - lo
    flat = spread < 1e-9
    scaled = (x - lo) / np.where(flat, 1.0, spread)
    return np.where(flat, (x > 0).astype(x.dtype), scaled)


def fuse(values: Mapping[str, float], weights: Mapping[str, float]) -> tuple[float, dict[str, float]]:
    """The weighted mean of the signals present (those with a positive weight), and each factor's
    contribution to it; the contributions add up to the score."""
    present = {f: v for f, v in values.items() if weights.get(f, 0) > 0}
    weight_sum = sum(weights[f] for f in present) or 1.0
    contributions = {f: weights[f] * v / weight_sum for f, v in present.items()}
    return sum(contributions.values()), contributions


def _team_text(team: TeamPortrait) -> str:
    parts = [team.name, *team.profile_texts(), *(w.text() for w in team.works)]
    return textmod.clean("。".join(p for p in parts if p and p.strip()) or team.name)


class TeamIndex:
    """The portraits of a set of teams, fitted once and ranked against many needs."""

    def __init__(
        self,
        portraits: Sequence[TeamPortrait],
        work_vectors: np.ndarray,
        work_owner: np.ndarray,
        *,
        category_of: Mapping[str, str] | None = None,
        facts: Sequence[StructuredFacts] | None = None,
        section_of: Callable[[str], str | None] | None = None,
        distance_km: Callable[[str, str], float | None] | None = None,
        weights: Mapping[str, float] | None = None,
        vector_backend: str = "exact",
        keyword_queries: tuple[Sequence[str], QueryVectors] | None = None,
        discipline_model: DisciplineModel | None = None,
    ):
        """keyword_queries: pseudo_queries(portraits) and their query vectors, row for row with
        work_vectors, or a function that embeds the pseudo-queries at the positions it is given (called
        once, when the first keyword need comes); without them keyword needs are classified by the
        models of whole works.
        discipline_model: the one an earlier index fitted, kept when it still fits these works
        (DisciplineModel.still_fits), which spares the refit after a small change."""
        self.portraits = list(portraits)
        self.weights = dict(weights or DEFAULT_WEIGHTS)
        self.category_of = dict(category_of or {})
        self.facts = list(facts) if facts is not None else None
        self._code_sets, self._team_factors = _fact_columns(self.facts or [])
        self.section_of = section_of or (lambda code: None)
        self.distance_km = distance_km
        n = len(self.portraits)
        dim = work_vectors.shape[1]
        sums = np.zeros((n, dim), dtype=np.float64)
        np.add.at(sums, work_owner, work_vectors)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        # Mean of a team's work vectors: the steadiest team-level dense signal measured (top-k pooling
        # of single works was noisier on csl-dev).
        self.team_vectors = np.ascontiguousarray((sums / np.maximum(norms, 1e-9)).astype(np.float32))
        # "usearch" (approximate, HNSW) for libraries of millions of portraits; exact otherwise.
        self.dense_index = make_index(self.team_vectors, backend=vector_backend)
        texts = [_team_text(p) for p in self.portraits]
        self.lexical = LexicalIndex("chars", "bm25").fit(texts)
        self.words = LexicalIndex("words", "bm25").fit(texts)
        self.discipline_model = DisciplineModel()
        work_texts, work_labels, label_rows = [], [], []
        flat_works = [w for p in self.portraits for w in p.works]
        for i, (work, owner) in enumerate(zip(flat_works, work_owner, strict=True)):
            for label in self.portraits[owner].disciplines:
                work_texts.append(textmod.clean(work.text()))
                work_labels.append(label)
                label_rows.append(i)
        if discipline_model is not None and discipline_model.still_fits(work_texts, work_labels):
            self.discipline_model = discipline_model
        elif work_labels:
            keyword_fit = {}
            if keyword_queries is not None:
                keyword_texts, keyword_vectors = keyword_queries
                if len(keyword_texts) != len(flat_works) or (
                    not callable(keyword_vectors) and len(keyword_vectors) != len(flat_works)
                ):
                    raise ValueError("keyword_queries needs one text and one vector per work")
                keyword_fit = {
                    "keyword_texts": [keyword_texts[i] for i in label_rows],
                    "keyword_vectors": (
                        _works_rows(keyword_vectors, np.asarray(label_rows, dtype=np.int64))
                        if callable(keyword_vectors)
                        else keyword_vectors[label_rows]
                    ),
                }
            self.discipline_model.fit(work_texts, work_vectors[label_rows], work_labels, **keyword_fit)
        self._discipline_members = discipline_members(
            self.discipline_model.labels, [p.disciplines for p in self.portraits]
        )
        self._teams_by_label = teams_by_label(self._discipline_members, len(self.discipline_model.labels))
        self._declared_labels = np.unique(self._discipline_members)

    @classmethod
    def build(cls, portraits: Sequence[TeamPortrait], embedder, **kwargs) -> TeamIndex:
        """Embed every team's works (or, for a team without works, its own statements) and fit; the
        works' keyword pseudo-queries are embedded when the first keyword need comes, if one does."""
        portraits, texts, owner = portrait_pieces(portraits)
        queries = pseudo_queries(portraits)
        keyword_queries = (queries, lambda rows: embedder.encode_queries([queries[i] for i in rows]))
        return cls(
            portraits, embedder.encode_passages(texts), owner, keyword_queries=keyword_queries, **kwargs
        )

    def __len__(self) -> int:
        return len(self.portraits)

    # ------------------------------------------------------------------ scoring
    def discipline_probabilities(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray | None:
        if not self.discipline_model.fitted:
            return None
        return self.discipline_model.predict(texts, vectors)

    def rank(
        self,
        needs: Sequence[Need],
        need_vectors: np.ndarray,
        *,
        need_facts: Sequence[StructuredFacts] | None = None,
        k: int | None = None,
        candidates: int = CANDIDATES,
    ) -> Ranking:
        """For each need, the top-k teams (all when k is None), best first, and the needs' discipline
        probabilities."""
        texts = [textmod.clean(n.text()) for n in needs]
        n_teams = len(self.portraits)
        if k is None:
            k, candidates = n_teams, n_teams
        k = min(k, n_teams)
        # Ranking every team scores them all at once; otherwise the index names the nearest
        # candidates (exactly, or approximately with usearch) and only those are scored.
        everyone = candidates >= n_teams
        dense_all = need_vectors @ self.team_vectors.T if everyone else None
        probabilities = self.discipline_probabilities(texts, need_vectors)
        label_scores = None
        if probabilities is not None:
            label_scores = normalised_label_scores(
                probabilities, self.discipline_model.labels, self._declared_labels, self.category_of
            )
        members = self._discipline_members
        results = []
        for q in range(len(needs)):
            discipline = None
            if everyone:
                pool = np.arange(n_teams)
                dense_row = dense_all[q]
                if label_scores is not None:
                    discipline = teams_of_scores(label_scores[q : q + 1], members)[0]
            else:
                found = self.dense_index.search(need_vectors[q : q + 1], candidates).positions[0]
                best = None
                if label_scores is not None:
                    best = top_teams(label_scores[q], members, self._teams_by_label, candidates)
                    if best is None:  # few teams declare known disciplines: score them all
                        best = top_k(teams_of_scores(label_scores[q : q + 1], members), candidates)[0][0]
                pool = np.unique(found) if best is None else np.union1d(found, best)
                dense_row = self.team_vectors[pool] @ need_vectors[q]
                if label_scores is not None:
                    discipline = teams_of_scores(label_scores[q : q + 1], members[:, pool])[0]
            signals = {"dense": dense_row[None, :]}
            if discipline is not None:
                signals["discipline"] = discipline[None, :]
            lexical = (
                self.lexical.score([texts[q]])[:, pool]
                if len(pool) == n_teams
                else self._lexical_subset(texts[q], pool)
            )
            signals["dense"] = _minmax(signals["dense"])
            signals["lexical"] = _minmax(lexical)
            facts = need_facts[q] if need_facts is not None else None
            results.append(self._fuse(pool, {f: v[0] for f, v in signals.items()}, facts, k))
        return Ranking(rows=results, discipline_probabilities=probabilities)

    def _lexical_subset(self, text: str, pool: np.ndarray) -> np.ndarray:
        q = self.lexical._query_matrix([text])
        return np.asarray((q @ self.lexical._docs[pool].T).todense(), dtype=np.float32)

    def _structured(self, need: StructuredFacts | None, pool: np.ndarray) -> dict[str, np.ndarray]:
        """Each structured factor for every team of the pool, NaN where a pair lacks it. Teams share
        codes (a 小类, a county), so each distinct set of codes is scored once per need, and the
        factors of the team alone (load, track record) were computed when the index was built."""
        if need is None or self.facts is None:
            return {}
        region = need.region_codes[0] if need.region_codes else None
        fits = {
            "industry": lambda codes: structured.industry_fit(need.industry_codes, codes, self.section_of),
            "region": lambda codes: structured.region_fit(region, codes, self.distance_km),
            "service_type": lambda codes: structured.service_type_fit(need.service_types, codes),
        }
        columns = {}
        for factor, fit in fits.items():
            set_of_team, code_sets = self._code_sets[factor]
            distinct, position = np.unique(set_of_team[pool], return_inverse=True)
            values = np.array([fit(code_sets[i]) for i in distinct], dtype=np.float64)  # None → NaN
            columns[factor] = values[position]
        for factor, values in self._team_factors.items():
            columns[factor] = values[pool]
        return columns

    def _fuse(self, pool: np.ndarray, signals: dict[str, np.ndarray], need: StructuredFacts | None, k: int):
        """fuse() for every candidate at once (a matrix of signals, NaN where a pair lacks one); only
        the k best become Ranked rows, so a large candidate pool costs little beyond its signals."""
        factors = [f for f, w in self.weights.items() if w > 0]
        column = {f: j for j, f in enumerate(factors)}
        values = np.full((len(pool), len(factors)), np.nan)
        for name, row in signals.items():
            if name in column:
                values[:, column[name]] = row
        for name, fits in self._structured(need, pool).items():
            if name in column:
                values[:, column[name]] = fits
        weights = np.asarray([self.weights[f] for f in factors], dtype=np.float64)
        present = ~np.isnan(values)
        weight_sum = (present * weights).sum(axis=1)
        weight_sum[weight_sum == 0] = 1.0
        contributions = np.where(present, values * weights, 0.0) / weight_sum[:, None]
        scores = contributions.sum(axis=1)
        best = np.lexsort((pool, -scores))[:k]
        return [
            Ranked(
                int(pool[i]),
                float(scores[i]),
                {f: float(values[i, j]) for j, f in enumerate(factors) if present[i, j]},
                {f: float(contributions[i, j]) for j, f in enumerate(factors) if present[i, j]},
            )
            for i in best
        ]

    # ------------------------------------------------------------------ explanations
    def explain(
        self, need: Need, ranked: Ranked, *, probabilities_row: np.ndarray | None = None
    ) -> Explanation:
        text = textmod.clean(need.text())
        # Shared words that say what need and team are about: 了解、方案、完成 are shared by most
        # pairs and would explain nothing.
        shared = self.words.matched_terms(text, ranked.team, limit=MATCHED_TERMS_LOOKED_AT)
        keywords = [w for w in shared if textmod.is_topical(w)][:8]
        reasons = []
        portrait = self.portraits[ranked.team]
        if probabilities_row is not None and portrait.disciplines:
            best = dict(
                top_disciplines(
                    probabilities_row, self.discipline_model.labels, k=len(self.discipline_model.labels)
                )
            )
            label = max(portrait.disciplines, key=lambda d: best.get(d, 0.0))
            share = best.get(label, 0.0)
            if share >= 0.05:
                reasons.append(f"需求与团队学科“{label}”相关（{share:.0%}）")
        if keywords:
            reasons.append("共同关键词：" + "、".join(keywords[:5]))
        strong = {f: v for f, v in ranked.signals.items() if v is not None and v >= STRONG_SIGNAL}
        for factor in ("industry", "region", "service_type"):
            if factor in strong:
                reasons.append(f"{FACTOR_LABELS[factor]}吻合度 {strong[factor]:.0%}")
        # A track record is the team's own, not a fit to this need: say what it rests on.
        if "track_record" in strong:
            reasons.append(f"服务成效 {strong['track_record']:.0%}（依据已完成的对接及企业评分）")
        return Explanation(
            total=ranked.score,
            contributions=dict(ranked.contributions),
            matched_keywords=keywords,
            reasons=reasons,
            signals={f: round(v, 6) for f, v in ranked.signals.items()},
        )


def _fact_columns(
    facts: Sequence[StructuredFacts],
) -> tuple[dict[str, tuple[np.ndarray, list[tuple[str, ...]]]], dict[str, np.ndarray]]:
    """Teams' structured facts as columns, for scoring a pool of teams at once: per coded factor, each
    team's set of codes as a number and the distinct sets; and the factors of a team alone."""
    code_sets = {}
    for factor, attribute in (
        ("industry", "industry_codes"),
        ("region", "region_codes"),
        ("service_type", "service_types"),
    ):
        number: dict[tuple[str, ...], int] = {}
        set_of_team = np.fromiter(
            (number.setdefault(tuple(getattr(f, attribute)), len(number)) for f in facts),
            dtype=np.intp,
            count=len(facts),
        )
        code_sets[factor] = (set_of_team, list(number))
    team_factors = {
        "load": np.array([structured.load_fit(f.open_engagements) for f in facts], dtype=np.float64),
        "track_record": np.array(
            [structured.track_record_fit(f.completed_engagements, f.mean_rating) for f in facts],
            dtype=np.float64,
        ),
    }
    return code_sets, team_factors


def _works_rows(embed: Callable[[np.ndarray], np.ndarray], work_of_row: np.ndarray):
    """embed(work positions) as a function of the discipline model's rows (a work of a team with two
    disciplines is two rows): each work is embedded once, however many rows it has."""

    def rows_vectors(rows: np.ndarray) -> np.ndarray:
        works, position = np.unique(work_of_row[rows], return_inverse=True)
        return np.asarray(embed(works))[position]

    return rows_vectors


def need_embedding_kind(text: str) -> str:
    """How a need's text is embedded: like the texts its discipline is learnt from. A prose need reads
    like a work, so it is embedded as a passage, as the works are (the dense classifier and the
    works' kNN vote then compare like with like); a keyword list reads like the works' pseudo-queries,
    which are embedded as queries. On csl-dev, embedding prose needs as passages instead of queries
    lifted the dense classifier's top-1 from 0.628 to 0.644 and nDCG@10 from 0.8109 to 0.8145 (MRR
    0.7097 to 0.7153); keyword lists embedded as passages did worse (0.7104 against 0.7147)."""
    return QUERY if is_keyword_list(textmod.clean(text)) else PASSAGE


def encode_needs(
    encode: Callable[[list[str], str], np.ndarray], texts: Sequence[str], dim: int
) -> np.ndarray:
    """Vectors for need texts (as textmod.for_embedding gives them), each embedded by its kind:
    encode(texts, kind) is Embedder.encode, or the platform's store of vectors."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    kinds = [need_embedding_kind(t) for t in texts]
    for kind in (QUERY, PASSAGE):
        rows = [i for i, k in enumerate(kinds) if k == kind]
        if rows:
            out[rows] = encode([texts[i] for i in rows], kind)
    return out


def pseudo_queries(portraits: Sequence[TeamPortrait]) -> list[str]:
    """A keyword need per work of portraits (as portrait_pieces returns them), work by work: the texts
    TeamIndex takes, with their query vectors, as keyword_queries."""
    return [pseudo_query(textmod.clean(w.text())) for p in portraits for w in p.works]


def portrait_pieces(portraits: Sequence[TeamPortrait]) -> tuple[list[TeamPortrait], list[str], np.ndarray]:
    """The texts to embed for a set of portraits, who owns each, and portraits whose works are exactly
    those pieces: a team's works, or for a team without works its own statements (or its name)."""
    from .portrait import Work

    out, texts, owner = [], [], []
    for t, portrait in enumerate(portraits):
        pieces = [w.text() for w in portrait.works] or portrait.profile_texts() or [portrait.name]
        embedded = [textmod.for_embedding(piece) for piece in pieces]
        texts.extend(embedded)
        owner.extend([t] * len(embedded))
        out.append(
            TeamPortrait(
                portrait.id,
                portrait.name,
                portrait.disciplines,
                portrait.keywords,
                portrait.description,
                [Work(abstract=text) for text in embedded],
            )
        )
    return out, texts, np.asarray(owner, dtype=np.int64)


@dataclass
class Comparison:
    """Learned weights against the weights in use, on outcomes held out of the training."""

    beats: bool
    auc_learned: float
    auc_current: float
    outcomes: int
    reason: str = ""


class LearnedRanker:
    """Fusion weights learned from engagement outcomes (accepted or completed = 1, declined = 0).

    A logistic regression over the signals; its non-negative coefficients become the weights of the
    same weighted-mean fusion, so a learned ranking still explains itself factor by factor and its
    contributions still add up to its score. A signal a pair lacks counts as neutral (0.5) for the fit.
    """

    MIN_OUTCOMES = 20

    def __init__(self, factors: Sequence[str] = tuple(DEFAULT_WEIGHTS)):
        from sklearn.linear_model import LogisticRegression

        self.factors = list(factors)
        self.model = LogisticRegression(max_iter=1000)
        self.weights: dict[str, float] = {}

    def features(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
        return np.asarray([[row.get(f, 0.5) for f in self.factors] for row in rows], dtype=np.float64)

    def fit(self, rows: Sequence[Mapping[str, float]], labels: Sequence[int]) -> LearnedRanker:
        self.model.fit(self.features(rows), np.asarray(labels))
        coefficients = np.clip(self.model.coef_[0], 0.0, None)
        total = coefficients.sum()
        # Only ratios matter in a weighted mean; scale to sum to 1 for readable stored weights.
        self.weights = {
            f: round(float(c / total), 6)
            for f, c in zip(self.factors, coefficients, strict=True)
            if total > 0
        }
        return self

    @staticmethod
    def fused(rows: Sequence[Mapping[str, float]], weights: Mapping[str, float]) -> np.ndarray:
        return np.asarray([fuse(row, weights)[0] for row in rows])

    @classmethod
    def compare(
        cls,
        rows: Sequence[Mapping[str, float]],
        labels: Sequence[int],
        current: Mapping[str, float],
        *,
        seed=0,
    ) -> tuple[Comparison, LearnedRanker | None]:
        """Train on half of the outcomes and compare ROC AUC with the current weights on the other half.
        The learned weights win only when strictly better there."""
        from sklearn.metrics import roc_auc_score

        labels = np.asarray(labels)
        n = len(labels)
        if n < cls.MIN_OUTCOMES:
            return Comparison(False, 0.0, 0.0, n, f"结果不足 {cls.MIN_OUTCOMES} 条"), None
        order = np.random.default_rng(seed).permutation(n)
        train, test = order[: n // 2], order[n // 2 :]
        if len(set(labels[train].tolist())) < 2 or len(set(labels[test].tolist())) < 2:
            return Comparison(False, 0.0, 0.0, n, "接受与谢绝的结果都需要有"), None
        learned = cls().fit([rows[i] for i in train], labels[train])
        if not learned.weights:
            return Comparison(False, 0.0, 0.0, n, "学到的权重全为零"), None
        held_out = [rows[i] for i in test]
        auc_learned = float(roc_auc_score(labels[test], cls.fused(held_out, learned.weights)))
        auc_current = float(roc_auc_score(labels[test], cls.fused(held_out, current)))
        # What is kept is trained on every outcome, once it has shown it generalises.
        final = cls().fit(rows, labels)
        return Comparison(auc_learned > auc_current, auc_learned, auc_current, n), final
