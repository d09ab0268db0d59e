"""Rows kept as int8 for inner products that need only be close (the discipline vote's neighbours)."""

import pickle
import sys

import numpy as np
import pytest

from matching.engine.vector_index import Float32Rows, Int8Rows, approximate_rows

pytest.importorskip("numkong")


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


# An int8 step is a row's largest magnitude over 127: short vectors have large components, so coarser steps.
@pytest.mark.parametrize(("dim", "error"), [(8, 2e-2), (384, 5e-3)])
def test_int8_products_stay_within_a_few_thousandths_of_float32(dim, error):
    rng = np.random.default_rng(11)
    rows, queries = _unit(rng.standard_normal((3000, dim))), _unit(rng.standard_normal((5, dim)))
    approximate = Int8Rows(rows)
    assert len(approximate) == 3000 and approximate.codes.dtype == np.int8
    got, exact = approximate.dots(queries), queries @ rows.T
    assert got.shape == (5, 3000) and got.dtype == np.float32
    assert np.abs(got - exact).max() < error
    # the nearest rows are the nearest rows: each query's best float32 row is among its int8 top 3
    best = exact.argmax(axis=1)
    top3 = np.argsort(-got, axis=1)[:, :3]
    assert all(b in t for b, t in zip(best, top3, strict=True))


def test_rows_sharing_one_direction_are_coded_finely():
    # Like sentence embeddings: one large common direction, small differences around it.
    rng = np.random.default_rng(5)
    shared = rng.standard_normal(384)
    rows = _unit(0.3 * rng.standard_normal((3000, 384)) + 2 * shared)
    queries = _unit(0.3 * rng.standard_normal((5, 384)) + 2 * shared)
    assert np.abs(Int8Rows(rows).dots(queries) - queries @ rows.T).max() < 1e-3


def test_zero_rows_and_a_zero_query_give_zero_products():
    rows = np.zeros((3, 4), dtype=np.float32)
    rows[1] = [1, 0, 0, 0]
    got = Int8Rows(rows).dots(np.array([[0, 0, 0, 0], [1, 0, 0, 0]], dtype=np.float32))
    assert got == pytest.approx(np.array([[0, 0, 0], [0, 1, 0]]), abs=1e-6)


def test_the_rows_pickle_and_answer_the_same():
    rows = _unit(np.random.default_rng(2).standard_normal((50, 16)))
    approximate = Int8Rows(rows)
    again = pickle.loads(pickle.dumps(approximate))  # noqa: S301 - our own object, round-tripped
    assert np.array_equal(again.dots(rows[:3]), approximate.dots(rows[:3]))


def test_without_numkong_the_float32_rows_serve(monkeypatch):
    monkeypatch.setitem(sys.modules, "numkong", None)  # import numkong now raises ImportError
    rows = _unit(np.random.default_rng(1).standard_normal((10, 6)))
    fallback = approximate_rows(rows)
    assert type(fallback) is Float32Rows
    assert np.array_equal(fallback.dots(rows[:2]), rows[:2] @ rows.T)
