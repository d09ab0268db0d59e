"""Which discipline a need most likely belongs to, learnt from every team's works.

Teams declare their disciplines; their works are labelled examples of those disciplines. A classifier
trained on all of them (an ensemble of logistic regressions over the dense vectors, character n-grams
and jieba words) gives P(discipline | need). This pools the evidence of every team in a field: one
team's twenty papers are a thin sample of it, all teams' papers together describe it far better.
It uses only what teams declare and publish, nothing about the needs, so it carries over to any set
of teams.

A team then scores the expected relevance of its discipline: P(its discipline) plus a share of
P(its discipline's 门类), since a team of a neighbouring discipline in the same 门类 can still help.

A need written as a list of keywords ("原料药 杂质分析 工艺优化") reads nothing like the abstracts the
models learnt from. For those, a second set of models also learns from a pseudo-query per work (its
few keywords, what such a need about it would look like); it is fitted on the first keyword need.
Every other need, a bare title included, keeps the models trained on whole works: on csl-dev the
keyword models classify keyword lists better (top-1 0.525 against 0.505) but titles worse (0.573
against 0.600), so the form of the text decides, not its length.

A need's nearest works in the embedding space vote as well (a weighted kNN over the works the models
learnt from). The vote is a different kind of evidence: it rests on a few works close to the need
rather than on weights spread over a whole discipline. On csl-dev's 4-keyword needs it lifts top-1
from 0.518 to 0.527 and nDCG@10 from 0.7107 to 0.7147 (MRR 0.580 to 0.587, Recall@10 0.726 to 0.746).
Prose needs gained nothing from it while they were embedded as queries and the works as passages;
embedded as passages, like the works (ranker.need_embedding_kind), they gain with the same settings:
nDCG@10 0.8145 to 0.8168, MRR 0.7153 to 0.7250 (on odd and even needs alike).
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from scipy import sparse
from scipy.special import expit, softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from . import text as textmod
from .vector_index import Float32Rows, Int8Rows, approximate_rows, top_k

# Sharpen the ensemble's probabilities (p ** 2, renormalised): the averaged models are under-confident.
SHARPEN_POWER = 2.0
# How much the 门类 counts next to the discipline itself (same discipline: relevance 2, same 门类: 1,
# but the 门类's mass should not lift a wrong discipline above the likely right one).
CATEGORY_SHARE = 0.3
MIN_LABELS = 2
# Keywords in a work's pseudo-query: about what a person types as a keyword need.
PSEUDO_QUERY_KEYWORDS = 4
# A keyword list: at least two items between separators, each a term rather than a phrase.
_SEPARATORS = re.compile(r"[\s,，、;；。/|]+")
KEYWORD_MAX_CHARS = 8
KEYWORD_MAX_WORDS = 3
# A fitted model is kept while at most this share of its training examples has been added or removed
# since it was fitted (see still_fits): fitting costs seconds per thousand works, and one approved record
# or edited statement barely moves what all teams' works say about a discipline.
REFIT_SHARE = 0.05
# Works per discipline the models learn from. Beyond a few thousand examples a class gains little,
# while fitting time grows with every work: a library of 100,000 teams would otherwise refit for
# minutes. The sample is chosen by a hash of the text, so the same works are chosen at every refit.
MAX_EXAMPLES_PER_LABEL = 2000
# The kNN vote: how many nearest works vote, how sharply the closest outweigh the rest (softmax
# temperature over cosine similarities), and its share of a need's probabilities. Chosen for keyword
# needs (prose needs take the same settings, untuned) on odd csl-dev needs (nDCG@10 0.7146 to 0.7155
# there), checked on even ones (0.7067 to 0.7153).
# The gain is modest and not sharp: on all needs, shares 0.3 to 0.5 with k 10 to 20 give 0.7112 to
# 0.7156 against 0.7107, but on the odd half alone a share of 0.5 loses (0.7094).
NEIGHBOURS = 10
NEIGHBOUR_TEMPERATURE = 0.02
NEIGHBOUR_SHARE = 0.3
# Works per discipline kept for the vote. A few hundred already cover a discipline's neighbourhoods, and
# the vote scans them all for each need: 200 x 67 disciplines x 384 floats was 20 MB, voted in
# 1.3 ms (p95 1.6 ms) on 2 cores; 500 a discipline took over 4 ms. Kept as int8 (vector_index.Int8Rows)
# they are 5 MB: on csl-dev nDCG@10 0.8166 → 0.8165, keyword needs 0.7144 → 0.7143, and a ranking over
# 100,000 portraits p50 7.1-7.4 → 6.1-6.7 ms, p95 9.6-10.3 → 8.1-9.3 ms (2-core AMX Xeon), mostly
# because the portraits' int8 copy now stays in the CPU's cache.
MAX_NEIGHBOURS_PER_LABEL = 200


def _examples(texts: Sequence[str], labels: Sequence[str]) -> Counter:
    return Counter(
        (hashlib.blake2b(text.encode("utf-8"), digest_size=12).digest(), label)
        for text, label in zip(texts, labels, strict=True)
    )


def _sample_per_label(texts: Sequence[str], labels: Sequence[str], most: int) -> np.ndarray:
    """Rows to learn from: every row of a label with at most `most` of them, else the `most` whose
    texts hash lowest (the same rows at every refit, whatever the order of the works)."""
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    if all(len(rows) <= most for rows in by_label.values()):
        return np.arange(len(labels))
    chosen = []
    for rows in by_label.values():
        if len(rows) > most:
            rows = sorted(
                rows, key=lambda i: (hashlib.blake2b(texts[i].encode("utf-8"), digest_size=8).digest(), i)
            )
            rows = rows[:most]
        chosen.extend(rows)
    return np.asarray(sorted(chosen))


def pseudo_query(work_text: str) -> str:
    """A keyword need about a cleaned work text: its few most topical words (the text itself when it
    has none, which only happens to texts that are already a word or two)."""
    return " ".join(textmod.keywords(work_text, k=PSEUDO_QUERY_KEYWORDS)) or work_text


def is_keyword_list(text: str) -> bool:
    """True for "原料药 杂质分析 工艺优化" or "减振，降噪": terms between separators, none a phrase."""
    items = [item for item in _SEPARATORS.split(text) if item]
    return len(items) >= 2 and all(
        len(item) <= KEYWORD_MAX_CHARS and len(textmod.tokens(item)) <= KEYWORD_MAX_WORDS for item in items
    )


Views = list[tuple[str, object, LogisticRegression]]
# The pseudo-queries' vectors, row for row with the works, or a function embedding those of given rows.
QueryVectors = np.ndarray | Callable[[np.ndarray], np.ndarray]


class DisciplineModel:
    def __init__(self, C: float = 10.0):
        self.C = C
        self.labels: list[str] = []
        self._models: Views = []
        self._keyword_models: Views | None = None
        self._keyword_examples: tuple[list[str], np.ndarray, np.ndarray] | None = None
        self._keyword_lock = threading.Lock()
        # (unit work vectors, int8 where numkong is, and their label positions) for the kNN vote.
        self._neighbours: tuple[Float32Rows | Int8Rows, np.ndarray] | None = None
        self._examples: Counter = Counter()

    @property
    def fitted(self) -> bool:
        return bool(self._models)

    def fit(
        self,
        texts: Sequence[str],
        vectors: np.ndarray,
        labels: Sequence[str],
        *,
        keyword_texts: Sequence[str] | None = None,
        keyword_vectors: QueryVectors | None = None,
    ) -> DisciplineModel:
        """texts and vectors of works, each labelled with a discipline its team declares; optionally a
        pseudo-query per work (same rows, same labels) for the keyword-need models, with its query
        vector: an array row for row, or a function that embeds the pseudo-queries of the rows it is
        given. The function is called once, for the sampled rows only, when the keyword models are
        first needed: most needs are prose, and an evaluation of prose needs then embeds no
        pseudo-query at all (4,104 of them on csl-dev)."""
        self.labels = sorted(set(labels))
        self._models, self._keyword_models, self._keyword_examples = [], None, None
        self._neighbours = None
        self._examples = _examples(texts, labels)
        if len(self.labels) < MIN_LABELS:
            return self
        if keyword_texts is not None and keyword_vectors is not None:
            if len(keyword_texts) != len(texts) or (
                not callable(keyword_vectors) and len(keyword_vectors) != len(texts)
            ):
                raise ValueError("one pseudo-query per work is needed")
        rows = _sample_per_label(texts, labels, MAX_EXAMPLES_PER_LABEL)
        texts, vectors = [texts[i] for i in rows], vectors[rows]
        position = {label: i for i, label in enumerate(self.labels)}
        y = np.asarray([position[labels[i]] for i in rows])
        self._models = self._fit_views(texts, vectors, y)
        if keyword_texts is not None and keyword_vectors is not None:
            # An array is cut to the sample now (a large library's pseudo-query vectors are not kept);
            # a function is kept with the sampled rows it will embed.
            queries = keyword_vectors if callable(keyword_vectors) else keyword_vectors[rows]
            self._keyword_examples = (
                [*texts, *(keyword_texts[i] for i in rows)],
                vectors,
                queries,
                rows,
                np.concatenate([y, y]),
            )
        kept = _sample_per_label(texts, [self.labels[i] for i in y], MAX_NEIGHBOURS_PER_LABEL)
        unit = vectors[kept] / np.maximum(np.linalg.norm(vectors[kept], axis=1, keepdims=True), 1e-9)
        self._neighbours = (approximate_rows(unit), y[kept])
        return self

    def still_fits(self, texts: Sequence[str], labels: Sequence[str]) -> bool:
        """True when this model was fitted on nearly these examples: the same disciplines, and at most
        REFIT_SHARE of the examples added or removed since (so it can serve them without a refit)."""
        if not self.fitted or sorted(set(labels)) != self.labels:
            return False
        now = _examples(texts, labels)
        changed = sum(((now - self._examples) + (self._examples - now)).values())
        return changed <= REFIT_SHARE * max(len(texts), sum(self._examples.values()))

    def _fit_views(self, texts: Sequence[str], vectors: np.ndarray, y: np.ndarray) -> Views:
        views: Views = [("dense", None, LogisticRegression(C=self.C, max_iter=3000).fit(vectors, y))]
        for name, vectorizer in (
            ("chars", TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, min_df=2)),
            ("words", TfidfVectorizer(analyzer=textmod.index_tokens, sublinear_tf=True)),
        ):
            try:
                features = vectorizer.fit_transform(texts)
            except ValueError:  # too few texts for min_df: skip this view rather than fail
                continue
            views.append((name, vectorizer, LogisticRegression(C=self.C, max_iter=3000).fit(features, y)))
        return views

    def fit_keyword_models(self) -> None:
        """Fit the keyword-need models now instead of on the first keyword need (a server warming up)."""
        if self._keyword_examples is not None:
            self._keyword_views()

    def _keyword_views(self) -> Views:
        """The keyword-need models, fitted once on first use (most needs are prose, and fitting costs
        about as much as the whole-work models did)."""
        with self._keyword_lock:
            if self._keyword_models is None:
                texts, vectors, queries, rows, y = self._keyword_examples
                if callable(queries):
                    queries = np.asarray(queries(rows), dtype=np.float32)
                    if queries.shape != (len(rows), vectors.shape[1]):
                        raise ValueError(
                            f"the pseudo-query vectors have shape {queries.shape}, "
                            f"expected {(len(rows), vectors.shape[1])}"
                        )
                self._keyword_models = self._fit_views(texts, np.vstack([vectors, queries]), y)
            return self._keyword_models

    def predict(self, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        """P(discipline | need), shape (n, len(labels)), rows summing to 1."""
        out = self._predict_with(self._models, texts, vectors)
        if self._keyword_examples is not None:
            listed = [i for i, text in enumerate(texts) if is_keyword_list(text)]
            if listed:
                out[listed] = self._predict_with(
                    self._keyword_views(), [texts[i] for i in listed], vectors[listed]
                )
        return (1 - NEIGHBOUR_SHARE) * out + NEIGHBOUR_SHARE * self.neighbour_vote(vectors)

    def neighbour_vote(self, vectors: np.ndarray) -> np.ndarray:
        """Each row's NEIGHBOURS nearest works (cosine) vote for their disciplines, closer ones with
        softmax weight; shape (n, len(labels)), rows summing to 1."""
        rows, label_of = self._neighbours
        unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
        nearest, similarity = top_k(rows.dots(unit), NEIGHBOURS)
        weights = softmax(similarity / NEIGHBOUR_TEMPERATURE, axis=1)
        out = np.zeros((len(vectors), len(self.labels)))
        rows = np.repeat(np.arange(len(vectors)), nearest.shape[1])
        np.add.at(out, (rows, label_of[nearest].ravel()), weights.ravel())
        return out

    def _predict_with(self, views: Views, texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
        probabilities = []
        for _name, vectorizer, model in views:
            features = vectors if vectorizer is None else _tfidf(vectorizer, texts)
            full = np.zeros((len(texts), len(self.labels)))
            full[:, model.classes_] = _predict_proba(model, features)
            probabilities.append(full)
        mean = np.mean(probabilities, axis=0)
        sharp = mean**SHARPEN_POWER
        return sharp / sharp.sum(axis=1, keepdims=True)


def _tfidf(vectorizer: TfidfVectorizer, texts: Sequence[str]) -> sparse.csr_matrix:
    """vectorizer.transform(texts) for a fitted TfidfVectorizer with sublinear tf and l2 norm, as
    the discipline views use, without scikit-learn's input checks: for one short need they cost about
    1 ms a view, far more than counting its few terms."""
    if not (vectorizer.sublinear_tf and vectorizer.use_idf and vectorizer.norm == "l2"):
        return vectorizer.transform(texts)
    analyze, vocabulary = vectorizer.build_analyzer(), vectorizer.vocabulary_
    indptr, indices, data = [0], [], []
    for text in texts:
        counts = Counter(vocabulary[term] for term in analyze(text) if term in vocabulary)
        # Columns ascending, as scikit-learn's rows are: the products then add in the same order.
        columns = np.array(sorted(counts), dtype=np.int64)
        weights = np.log(np.array([counts[c] for c in columns], dtype=np.float64)) + 1.0
        weights *= vectorizer.idf_[columns]
        # The norm summed term by term, as scikit-learn's normalize does, so that the rows are equal to
        # the last bit (np.dot may add in another order).
        norm = math.sqrt(sum(w * w for w in weights.tolist()))
        if norm > 0:
            weights /= norm
        indices.append(columns)
        data.append(weights)
        indptr.append(indptr[-1] + len(counts))
    return sparse.csr_matrix(
        (np.concatenate([np.zeros(0), *data]), np.concatenate([np.zeros(0, np.int64), *indices]), indptr),
        shape=(len(texts), len(vocabulary)),
    )


def _predict_proba(model: LogisticRegression, features) -> np.ndarray:
    """model.predict_proba(features) without scikit-learn's input checks, which cost a ranking over
    100,000 portraits more (~1.5 ms a need) than the products themselves; the inputs come from this
    module's own vectorizers and vectors. Multinomial: softmax of the decision values; two classes:
    the logistic of the one."""
    decision = np.asarray(features @ model.coef_.T) + model.intercept_
    if decision.shape[1] == 1:
        positive = expit(decision[:, 0])
        return np.column_stack([1.0 - positive, positive])
    return softmax(decision, axis=1)


def discipline_members(labels: Sequence[str], team_disciplines: Sequence[Sequence[str]]) -> np.ndarray:
    """Each team's declared disciplines as positions in `labels`: row j holds every team's j-th
    discipline, (most disciplines of a team, n_teams), padded with len(labels) (a column of zeros in
    _label_scores); disciplines the model does not know are left out. Computed once per index: a Python
    loop over 100,000 teams per ranking took ~0.3 s."""
    position = {label: i for i, label in enumerate(labels)}
    rows = [[position[d] for d in disciplines if d in position] for disciplines in team_disciplines]
    members = np.full((max(map(len, rows), default=0) or 1, len(rows)), len(labels), dtype=np.intp)
    for t, row in enumerate(rows):
        members[: len(row), t] = row
    return members


def teams_of_scores(scores: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Per team, the best of its disciplines' scores: (n_needs, len(labels) + 1) → (n_needs, n_teams);
    members may be a subset of an index's columns (members[:, pool])."""
    best = scores[:, members[0]]
    for row in members[1:]:
        np.maximum(best, scores[:, row], out=best)
    return best


def _label_scores(
    probabilities: np.ndarray, labels: Sequence[str], category_of: Mapping[str, str] | None = None
) -> np.ndarray:
    """Expected relevance of each discipline: P(it) plus CATEGORY_SHARE of P(its 门类), (n_needs,
    len(labels) + 1); the last column is 0, for teams with fewer disciplines than the widest."""
    category_of = category_of or {}
    categories = sorted({category_of[label] for label in labels if label in category_of})
    column = {c: j for j, c in enumerate(categories)}
    in_category = np.zeros((len(labels), len(categories)))
    for i, label in enumerate(labels):
        if label in category_of:
            in_category[i, column[category_of[label]]] = 1.0
    # Each discipline's 门类 mass (0 for a discipline without a 门类).
    category_mass = (probabilities @ in_category) @ in_category.T
    scores = np.zeros((probabilities.shape[0], len(labels) + 1))
    scores[:, : len(labels)] = probabilities + CATEGORY_SHARE * category_mass
    return scores


def normalised_label_scores(
    probabilities: np.ndarray,
    labels: Sequence[str],
    declared: np.ndarray,
    category_of: Mapping[str, str] | None = None,
) -> np.ndarray:
    """Each discipline's expected relevance (_label_scores), divided per need by the best team's
    score, so that teams_of_scores(these, members) gives every team its best declared discipline's
    score on a scale where the best team has 1, computed for only the teams asked about. (Dividing by a
    positive number keeps order, so a team's best scaled score is exactly its best score scaled.)
    declared: np.unique(members), the label positions some team declares (an index keeps it)."""
    scores = _label_scores(probabilities, labels, category_of)
    best = scores[:, declared].max(axis=1, keepdims=True, initial=0.0)
    return scores / np.maximum(best, 1e-9)


def teams_by_label(members: np.ndarray, n_labels: int) -> list[np.ndarray]:
    """For each label position, the teams that declare it, in ascending order."""
    label = members.ravel()
    team = np.tile(np.arange(members.shape[1]), members.shape[0])
    known = label < n_labels
    label, team = label[known], team[known]
    order = np.lexsort((team, label))
    bounds = np.searchsorted(label[order], np.arange(n_labels + 1))
    teams = team[order]
    return [teams[bounds[i] : bounds[i + 1]] for i in range(n_labels)]


def top_teams(
    label_scores_row: np.ndarray, members: np.ndarray, by_label: Sequence[np.ndarray], k: int
) -> np.ndarray | None:
    """The k teams with the best discipline scores (the lowest positions among ties), as top_k over
    teams_of_scores would pick them, found from the best disciplines' teams: with 100,000 teams that
    spares a pass over all of them per need. Every team outside the disciplines taken scores below the
    last taken, so the k best are among those taken. None when the declared disciplines' teams are
    fewer than k (the caller then scores every team)."""
    order = np.argsort(-label_scores_row[: len(by_label)], kind="stable")
    taken: list[np.ndarray] = []
    count, i = 0, 0
    while i < len(order):
        # Take every discipline tied with this one: a tied team left out could belong in the k.
        score = label_scores_row[order[i]]
        first = not taken
        while i < len(order) and label_scores_row[order[i]] == score:
            taken.append(by_label[order[i]])
            count += len(by_label[order[i]])
            i += 1
        if count < k:
            continue
        teams = taken[0] if len(taken) == 1 else np.unique(np.concatenate(taken))
        if len(teams) < k:
            continue
        if first:
            return teams[:k]  # all score the best disciplines' score: the lowest positions
        scores = teams_of_scores(label_scores_row[None, :], members[:, teams])[0]
        return np.sort(teams[np.lexsort((teams, -scores))[:k]])
    return None


def top_disciplines(
    probabilities_row: np.ndarray, labels: Sequence[str], k: int = 3
) -> list[tuple[str, float]]:
    order = np.argsort(-probabilities_row)[:k]
    return [(labels[i], float(probabilities_row[i])) for i in order]
