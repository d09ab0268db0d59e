"""The approximate index (usearch, HNSW) behind the same interface as the exact scan."""

import numpy as np
import pytest

from matching.engine.portrait import Need
from matching.engine.vector_index import ExactIndex, make_index
from matching.management.commands.bench_matching import synthetic_index

pytest.importorskip("usearch", reason="the `ann` extra is not installed: pip install usearch")


def _unit(rng, n, dim=64):
    x = rng.standard_normal((n, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_it_finds_nearly_what_the_exact_scan_finds():
    rng = np.random.default_rng(5)
    docs, queries = _unit(rng, 5000), _unit(rng, 50)
    exact = ExactIndex(docs).search(queries, 10)
    approx = make_index(docs, backend="usearch").search(queries, 10)
    recall = np.mean(
        [len(set(a) & set(e)) / 10 for a, e in zip(approx.positions, exact.positions, strict=True)]
    )
    assert recall >= 0.95
    # its scores are inner products, like the exact index's
    np.testing.assert_allclose(
        approx.scores[:, 0], np.sum(docs[approx.positions[:, 0]] * queries, axis=1), atol=1e-4
    )


def test_the_ranker_through_it_agrees_with_the_exact_ranker():
    exact, facts = synthetic_index(3000)
    approx, _ = synthetic_index(3000, "usearch")
    rng = np.random.default_rng(9)
    agree = 0
    for q in range(20):
        vector = _unit(rng, 1, 384)
        need = Need(id=str(q), title="注塑模具冷却水路优化", description="")
        kwargs = {"need_facts": [facts[q]], "k": 10, "candidates": 100}
        a = [r.team for r in approx.rank([need], vector, **kwargs).rows[0]]
        e = [r.team for r in exact.rank([need], vector, **kwargs).rows[0]]
        agree += a[0] == e[0]
    assert agree >= 18


def test_an_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown vector index backend"):
        make_index(np.eye(3, dtype=np.float32), backend="faiss")
