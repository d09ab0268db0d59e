"""The int8 prefilter in front of the exact scan: it may only prune, never change the top k."""

import numpy as np
import pytest

from matching.engine.vector_index import PREFILTER_MIN_ROWS, ExactIndex, Int8Prefilter, top_k

pytest.importorskip("numkong")

N, DIM = PREFILTER_MIN_ROWS, 48


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _libraries():
    rng = np.random.default_rng(7)
    shared = rng.standard_normal(DIM)
    return {
        "isotropic": _unit(rng.standard_normal((N, DIM))),
        # Like sentence embeddings: one large common direction, small differences around it.
        "one_common_direction": _unit(0.3 * rng.standard_normal((N, DIM)) + 2 * shared),
        # A few dimensions far larger than the rest (per-row int8 scales are set by them).
        "spiky": _unit(rng.standard_normal((N, DIM)) * np.r_[np.full(4, 20.0), np.ones(DIM - 4)]),
    }


def _brute_force_top(matrix, query, k):
    scores = matrix.astype(np.float64) @ query.astype(np.float64)
    return np.sort(scores)[::-1][:k]


@pytest.mark.parametrize("kind", ["isotropic", "one_common_direction", "spiky"])
def test_prefiltered_search_finds_exactly_the_brute_force_top_k(kind):
    matrix = _libraries()[kind]
    index = ExactIndex(matrix)
    assert index.prefilter is not None
    rng = np.random.default_rng(11)
    # Queries near library rows (the realistic case) and unrelated ones.
    queries = np.vstack(
        [
            _unit(matrix[rng.integers(0, N, 6)] + 0.05 * rng.standard_normal((6, DIM))),
            _unit(rng.standard_normal((3, DIM))),
        ]
    )
    for query in queries:
        for k in (1, 20, 100):
            found = index.search(query, k)
            plain = matrix @ query
            # The same rows as the full scan, with their float32 scores, best first.
            assert np.allclose(found.scores[0], plain[found.positions[0]], atol=0)
            assert np.allclose(found.scores[0], _brute_force_top(matrix, query, k), atol=1e-5)
            assert np.all(np.diff(found.scores[0]) <= 0)


def test_every_row_of_the_true_top_k_survives_and_most_rows_do_not():
    matrix = _libraries()["one_common_direction"]
    prefilter = Int8Prefilter(matrix)
    rng = np.random.default_rng(5)
    for query in _unit(matrix[rng.integers(0, N, 10)] + 0.05 * rng.standard_normal((10, DIM))):
        survivors = set(prefilter.candidates(query.astype(np.float64), 50).tolist())
        top = np.argsort(-(matrix.astype(np.float64) @ query))[:50]
        assert set(top.tolist()) <= survivors
        assert len(survivors) < N // 4  # it prunes: a prefilter that keeps everything is no use


def test_identical_rows_fall_back_to_the_scan_and_break_ties_by_position():
    matrix = np.tile(_unit(np.ones((1, DIM))), (N, 1))
    matrix[N - 1] = -matrix[N - 1]
    index = ExactIndex(matrix)
    result = index.search(matrix[0], 5)
    assert result.positions[0].tolist() == [0, 1, 2, 3, 4]


def test_zero_rows_and_a_zero_query_are_handled():
    matrix = _libraries()["isotropic"].copy()
    matrix[:10] = 0.0
    index = ExactIndex(matrix)
    best = index.search(matrix[20], 3)
    assert best.positions[0][0] == 20
    assert np.allclose(index.search(np.zeros(DIM, np.float32), 3).scores, 0.0)


def test_small_libraries_and_batches_use_the_plain_scan():
    matrix = _libraries()["isotropic"]
    assert ExactIndex(matrix[: N - 1]).prefilter is None
    assert ExactIndex(matrix, prefilter=False).prefilter is None
    index = ExactIndex(matrix)
    queries = matrix[:4]
    batch = index.search(queries, 10)
    for i, query in enumerate(queries):
        assert np.array_equal(batch.positions[i], index.search(query, 10).positions[0])


def test_top_k_takes_the_lowest_positions_among_ties_at_the_boundary():
    scores = np.array([[0.1, 0.5, 0.9, 0.5, 0.5, 0.5, 0.2]] * 3, dtype=np.float32)
    for _ in range(3):  # argpartition's own choice among ties is arbitrary
        positions, values = top_k(scores, 3)
        assert positions.tolist() == [[2, 1, 3]] * 3
        assert values.tolist() == [[np.float32(0.9), np.float32(0.5), np.float32(0.5)]] * 3


@pytest.mark.parametrize("k", [1, 7, 100, 3000, N])
def test_the_kth_largest_bound_is_exact_whatever_the_sample_sees(k):
    prefilter = Int8Prefilter(_libraries()["isotropic"])
    rng = np.random.default_rng(k)
    spread = rng.standard_normal(N).astype(np.float32)
    few_values = rng.integers(0, 3, N).astype(np.float32)  # ties everywhere
    hidden_top = np.zeros(N, np.float32)
    unsampled = np.setdiff1d(np.arange(N), prefilter._sample)
    hidden_top[unsampled[: min(k, len(unsampled))]] = 1.0  # the best rows are all outside the sample
    # Only sampled rows are positive: fewer than k may clear the sample's floor, so all are partitioned.
    sampled_top = np.zeros(N, np.float32)
    sampled_top[prefilter._sample] = np.arange(1, len(prefilter._sample) + 1, dtype=np.float32)
    for values in (spread, few_values, hidden_top, sampled_top):
        assert prefilter._kth_largest(values.copy(), k) == np.sort(values)[::-1][k - 1]


@pytest.mark.parametrize("parts", [2, 3])
def test_a_scan_split_across_threads_gives_the_same_products_as_one_pass(monkeypatch, parts):
    import matching.engine.vector_index as vector_index

    matrix = _libraries()["spiky"]
    whole = Int8Prefilter(matrix)
    assert len(whole._blocks) == 1  # 20,000 rows: one pass
    monkeypatch.setattr(vector_index, "_usable_cores", lambda: 8)
    # On 8 cores: 100,000 rows in 4 blocks (no slivers), a million in 8.
    assert [len(Int8Prefilter._split(n)) for n in (20_000, 50_000, 100_000, 1_000_000)] == [1, 2, 4, 8]
    monkeypatch.setattr(vector_index, "ROWS_PER_THREAD", 1)
    monkeypatch.setattr(vector_index, "_usable_cores", lambda: parts)
    split = Int8Prefilter(matrix)
    assert len(split._blocks) == parts
    assert split._blocks[0][0] == 0 and split._blocks[-1][1] == N
    assert all(
        a[1] == b[0] for a, b in zip(split._blocks[:-1], split._blocks[1:], strict=True)
    )  # no row missed or twice
    rng = np.random.default_rng(3)
    for query in _unit(rng.standard_normal((4, DIM))):
        code = np.rint(query / (np.abs(query).max() / 127)).astype(np.int8)
        assert np.array_equal(split._dots(code), whole._dots(code))
        assert np.array_equal(split.candidates(query, 20), whole.candidates(query, 20))


def test_the_scan_pool_is_made_again_in_a_forked_process(monkeypatch):
    import matching.engine.vector_index as vector_index

    first = vector_index._scan_pool()
    assert vector_index._scan_pool() is first
    monkeypatch.setattr(vector_index, "_pool", vector_index._pool)  # the parent's pool comes back after
    monkeypatch.setattr(vector_index.os, "getpid", lambda: -1)  # as a prefork child sees it
    child = vector_index._scan_pool()
    assert child is not first
    child.shutdown()


def test_searches_from_many_threads_at_once_share_the_scan_pool_safely(monkeypatch):
    """A threaded server ranks needs for several requests at once; their split scans must not mix."""
    from concurrent.futures import ThreadPoolExecutor

    import matching.engine.vector_index as vector_index

    monkeypatch.setattr(vector_index, "ROWS_PER_THREAD", 1_000)
    matrix = _libraries()["one_common_direction"]
    index = ExactIndex(matrix)
    assert len(index.prefilter._blocks) > 1
    rng = np.random.default_rng(17)
    queries = _unit(matrix[rng.integers(0, N, 24)] + 0.05 * rng.standard_normal((24, DIM)))
    expected = [top_k((matrix @ q)[None, :], 10)[0][0] for q in queries]
    with ThreadPoolExecutor(max_workers=6) as requests:
        found = list(requests.map(lambda q: index.search(q, 10).positions[0], queries))
    for got, want in zip(found, expected, strict=True):
        assert np.array_equal(got, want)
