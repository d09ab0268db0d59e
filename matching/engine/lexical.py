"""Lexical similarity: BM25 or TF-IDF over jieba words or over character n-grams, as sparse matrices.

Two analyzers because they fail differently. jieba words carry meaning (伺服电机 is one unit) but a
word the dictionary cuts differently on the two sides never meets; character bigrams always meet on
shared characters, whatever the segmentation, but are noisier. The ranker uses both.

Fit on the document side (works, portraits), then score any number of queries in one sparse product.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from . import text as textmod

_NOT_CONTENT = re.compile(r"[^\u3400-\u9fff\uf900-\ufaffa-z0-9]+")


def char_ngrams(text: str, n: tuple[int, int] = (2, 2)) -> list[str]:
    """Character n-grams within runs of Han characters, letters and digits.

    Punctuation and spaces break runs, so no n-gram straddles two clauses ("。结" means nothing).
    """
    grams: list[str] = []
    for run in _NOT_CONTENT.split(text.lower()):
        for size in range(n[0], n[1] + 1):
            grams.extend(run[i : i + size] for i in range(len(run) - size + 1))
    return grams


ANALYZERS: dict[str, Callable[[str], list[str]]] = {
    "words": textmod.index_tokens,
    "chars": char_ngrams,
}


class LexicalIndex:
    """A sparse term index over documents; `score` gives a dense (n_queries, n_docs) array.

    weighting="bm25": Okapi BM25 on the document side (k1, b), query terms counted once each, so a
      score is the sum of the BM25 weights of the query's distinct terms found in the document.
    weighting="tfidf": sublinear tf × smoothed idf, both sides L2-normalised, so a score is a cosine.
    Texts are expected to be cleaned already (`text.clean`).
    """

    def __init__(self, analyzer: str = "words", weighting: str = "bm25", k1: float = 1.2, b: float = 0.75):
        if analyzer not in ANALYZERS:
            raise ValueError(f"unknown analyzer {analyzer!r}; choose from {sorted(ANALYZERS)}")
        if weighting not in ("bm25", "tfidf"):
            raise ValueError(f"unknown weighting {weighting!r}; choose bm25 or tfidf")
        self.analyzer = analyzer
        self.weighting = weighting
        self._last_query: tuple[str, np.ndarray, np.ndarray] | None = None
        self.k1 = k1
        self.b = b
        self._vectorizer: CountVectorizer | None = None
        self._docs: sparse.csr_matrix | None = None
        self._idf: np.ndarray | None = None
        self._vocab: np.ndarray | None = None

    def fit(self, documents: Sequence[str]) -> LexicalIndex:
        # min_df=1: with a few hundred teams a term found in one team's work is exactly the kind of
        # specific term that should match.
        self._last_query, self._vocab = None, None  # both belong to the previous fit
        self._vectorizer = CountVectorizer(analyzer=ANALYZERS[self.analyzer], dtype=np.float32)
        counts = self._vectorizer.fit_transform(documents).tocsr()
        n_docs = counts.shape[0]
        df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
        if self.weighting == "bm25":
            # The "+1" BM25 idf (Lucene's) stays positive for terms in more than half the documents.
            self._idf = np.log1p((n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
            lengths = np.asarray(counts.sum(axis=1)).ravel()
            norm = self.k1 * (1 - self.b + self.b * lengths / max(lengths.mean(), 1e-9))
            tf = counts.data
            row_norm = np.repeat(norm, np.diff(counts.indptr))
            counts.data = (tf * (self.k1 + 1) / (tf + row_norm)).astype(np.float32)
            weighted = counts @ sparse.diags(self._idf)
        else:
            self._idf = (np.log((1 + n_docs) / (1 + df)) + 1).astype(np.float32)
            counts.data = 1 + np.log(counts.data)
            weighted = _l2_rows(counts @ sparse.diags(self._idf))
        self._docs = sparse.csr_matrix(weighted, dtype=np.float32)
        return self

    @property
    def n_docs(self) -> int:
        return 0 if self._docs is None else self._docs.shape[0]

    def _query_matrix(self, queries: Sequence[str]) -> sparse.csr_matrix:
        if self._vectorizer is None:
            raise RuntimeError("LexicalIndex.fit() must be called before scoring")
        q = self._vectorizer.transform(queries).tocsr().astype(np.float32)
        if self.weighting == "bm25":
            q.data[:] = 1.0
            return q
        q.data = 1 + np.log(q.data)
        return _l2_rows(q @ sparse.diags(self._idf))

    def score(self, queries: Sequence[str]) -> np.ndarray:
        """Scores of every query against every document, shape (n_queries, n_docs), float32."""
        q = self._query_matrix(queries)
        return np.asarray((q @ self._docs.T).todense(), dtype=np.float32)

    def matched_terms(self, query: str, doc_indices: Sequence[int] | int, limit: int = 8) -> list[str]:
        """The query terms found in the given documents, strongest contribution first.

        For explanations: which shared words made a team score high. Character bigrams are not shown
        to users; use analyzer="words" for this.
        """
        if isinstance(doc_indices, int | np.integer):
            doc_indices = [int(doc_indices)]
        terms, weights = self._query_terms(query)
        if not len(terms):
            return []
        # Contribution of each query term, summed over the given documents: only the query's own
        # terms (a few dozen) are looked at, in the documents' CSR rows directly (scipy's fancy
        # indexing cost ~0.5 ms per call, most of a need's explanations).
        contrib = np.zeros(len(terms), dtype=np.float64)
        docs = self._docs
        for d in doc_indices:
            start, end = docs.indptr[d], docs.indptr[d + 1]
            columns = docs.indices[start:end]
            at = np.minimum(np.searchsorted(terms, columns), len(terms) - 1)
            shared = terms[at] == columns
            np.add.at(contrib, at[shared], docs.data[start:end][shared])
        contrib *= weights
        order = np.argsort(-contrib, kind="stable")
        if self._vocab is None:
            self._vocab = self._vectorizer.get_feature_names_out()
        return [str(self._vocab[terms[i]]) for i in order[:limit] if contrib[i] > 0]

    def _query_terms(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """The query's term ids, ascending, and their weights. A need's explanations ask about one team
        after another: its text is tokenized once, not per team."""
        last = self._last_query
        if last is not None and last[0] == query:
            return last[1], last[2]
        q = self._query_matrix([query])
        order = np.argsort(q.indices, kind="stable")
        terms, weights = q.indices[order].astype(np.int64), q.data[order].astype(np.float64)
        self._last_query = (query, terms, weights)
        return terms, weights


def _l2_rows(m: sparse.spmatrix) -> sparse.csr_matrix:
    m = sparse.csr_matrix(m, dtype=np.float32)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ m, dtype=np.float32)
