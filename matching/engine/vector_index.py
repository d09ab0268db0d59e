"""Nearest-neighbour search over L2-normalised float32 vectors (inner product = cosine).

The default is exact: one matrix product over a contiguous float32 matrix, then top-k by
`np.argpartition` (linear) and a sort of only those k. Approximate search is an option for much larger
libraries, not the default. Need→teams and team→needs are simply two indexes.

The float32 scan is bound by memory bandwidth (100,000 × 384 floats are 154 MB read per query: 4 to
12 ms on the 2-core machines here). For a single query over a large matrix, `ExactIndex.search` first
reads an int8 copy a quarter that size (`Int8Prefilter`), whose error against the float32 score is
bounded per row, keeps every row whose upper bound reaches the k-th best lower bound, and scores only
those exactly in float32. The result is the same top k as the full scan, not an approximation.
From 50,000 rows the int8 scan is split into blocks of rows, one per core, scanned in threads (the
calling thread takes the first).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

# Batched queries are scored in chunks so that a (chunk, n) float32 score block stays near 256 MiB.
_MAX_BLOCK_FLOATS = 64 * 1024 * 1024
# Below this many rows the float32 scan takes well under a millisecond; an int8 copy is not worth it.
PREFILTER_MIN_ROWS = 20_000
# The int8 scan is split across the cores (numkong releases the GIL), each thread taking at least this
# many rows: below that a thread hand-off costs more than it saves, so a library splits from 50,000 rows
# and a many-core machine does not cut 100,000 rows into slivers.
ROWS_PER_THREAD = 25_000


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


_pool_lock = threading.Lock()
_pool: tuple[int, ThreadPoolExecutor] | None = None


def _scan_pool() -> ThreadPoolExecutor:
    """One small pool per process. A pool inherited through fork (a prefork Celery worker) has no
    threads behind it, so it is made again under the new pid."""
    global _pool
    with _pool_lock:
        if _pool is None or _pool[0] != os.getpid():
            _pool = (
                os.getpid(),
                ThreadPoolExecutor(max_workers=_usable_cores(), thread_name_prefix="int8-scan"),
            )
        return _pool[1]


@dataclass(frozen=True)
class SearchResult:
    """Per query, the k best items, best first: their ids, row positions and scores."""

    ids: np.ndarray  # (n_queries, k) of the index's ids
    positions: np.ndarray  # (n_queries, k) int64 rows of the indexed matrix
    scores: np.ndarray  # (n_queries, k) float32


def top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions and values of the k largest entries of each row, in descending order.

    Ties are broken by position (lower first) so results are reproducible.
    """
    scores = np.atleast_2d(scores)
    n = scores.shape[1]
    k = min(k, n)
    if k <= 0:
        empty = np.empty((scores.shape[0], 0))
        return empty.astype(np.int64), empty.astype(scores.dtype)
    if k < n:
        # The k largest sit at the top end; partitioning there avoids a negated copy of every score.
        part = np.argpartition(scores, n - k, axis=1)[:, n - k :]
        part = np.stack([_lowest_tied(row, chosen) for row, chosen in zip(scores, part, strict=True)])
    else:
        part = np.broadcast_to(np.arange(n), scores.shape)
    part_scores = np.take_along_axis(scores, part, axis=1)
    # lexsort's last key is the primary one: score descending, then position ascending.
    order = np.lexsort((part, -part_scores), axis=1)
    positions = np.take_along_axis(part, order, axis=1).astype(np.int64)
    return positions, np.take_along_axis(part_scores, order, axis=1)


def _lowest_tied(row: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """argpartition picks arbitrary rows among those tied with the k-th score; take the lowest."""
    kth = row[chosen].min()
    above = chosen[row[chosen] > kth]
    if len(above) == len(chosen) - 1 and np.count_nonzero(row == kth) == 1:
        return chosen  # no tie at the boundary (the usual case): nothing to redo
    tied = np.flatnonzero(row == kth)[: len(chosen) - len(above)]
    return np.concatenate([above, tied])


def _as_matrix(vectors: np.ndarray) -> np.ndarray:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        raise ValueError(f"expected a 2-D array of vectors, got shape {vectors.shape}")
    return vectors


class Int8Prefilter:
    """An int8 copy of a float32 matrix that names, for one query, a superset of its exact top k.

    Rows are first centred on their mean μ: q·M_r = q·μ + q·D_r, and q·μ is the same for every row,
    so the order is that of q·D_r. (Sentence embeddings share a large common direction; without
    centring the rounding error would swamp their small differences.) Each D_r is scaled to
    [-127, 127] and rounded: D_r = a_r·m_r + E_r; the query likewise: q = b·p + e. Then
    q·D_r = a_r·b·(p·m_r) + a_r·(e·m_r) + q·E_r, where p·m_r is an exact integer product and, by
    Cauchy–Schwarz, the last two terms are at most a_r·|e|·|m_r| + |q|·|E_r|, whose row norms are kept
    from the build. So every row's true q·D_r lies within ±bound of its approximation. A row whose
    upper end is below the k-th largest lower end cannot be in the top k; the survivors (a few hundred
    of 100,000 for typical queries) are scored exactly by the caller.
    """

    # Float32 rounding in the exact scan itself (384 products: under 3e-5 for unit vectors) must not
    # decide membership, so the bound is widened by more than that.
    SLACK = 1e-4

    def __init__(self, matrix: np.ndarray):
        import numkong  # SIMD int8 dot products (VNNI / AVX-512 where the CPU has them)

        self._cdist = numkong.cdist
        centred = matrix.astype(np.float64)
        centred -= centred.mean(axis=0)
        self.codes, scale = _int8_codes(centred)
        residual = centred - scale[:, None] * self.codes
        # Float32 from here on, for speed: its rounding (~1e-7) is far inside SLACK. Per row, the
        # bound is terms @ (|e|, |q|, 1): one matrix-vector product per query.
        self.scale = scale.astype(np.float32)
        code_norm_scaled = scale * np.linalg.norm(self.codes.astype(np.float64), axis=1)
        residual_norm = np.linalg.norm(residual, axis=1)
        self.bound_terms = np.ascontiguousarray(
            np.column_stack([code_norm_scaled, residual_norm, np.full(len(scale), self.SLACK)]),
            dtype=np.float32,
        )
        self._sample = np.random.default_rng(0).choice(len(scale), size=min(len(scale), 4096), replace=False)
        self._dots_dtype = _int8_dots_dtype(matrix.shape[1])
        self._blocks = self._split(len(self.codes))
        self._check()

    @staticmethod
    def _split(n: int) -> list[tuple[int, int]]:
        """Row ranges scanned in parallel: up to one per usable core, none under ROWS_PER_THREAD rows."""
        parts = max(1, min(_usable_cores(), n // ROWS_PER_THREAD))
        edges = np.linspace(0, n, parts + 1).astype(int)
        return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]

    def _dots(self, code: np.ndarray) -> np.ndarray:
        """code · every row, as exact integers in float32 (or float64 for very long vectors)."""
        if len(self._blocks) == 1:
            return np.asarray(
                self._cdist(code[None, :], self.codes, metric="dot", out_dtype=self._dots_dtype)
            )[0]
        out = np.empty((1, len(self.codes)), dtype=self._dots_dtype)

        def scan(block: tuple[int, int]) -> None:
            start, end = block
            self._cdist(code[None, :], self.codes[start:end], metric="dot", out=out[:, start:end])

        # The calling thread scans the first block itself rather than wait idle for the pool: one thread
        # hand-off fewer, which on a 2-core AVX2 EPYC took the search's p95 from 4.1-5.6 ms to 3.6-4.1.
        rest = [_scan_pool().submit(scan, block) for block in self._blocks[1:]]
        scan(self._blocks[0])
        for future in rest:
            future.result()  # waits, and re-raises a block's error
        return out[0]

    def _check(self) -> None:
        """The SIMD kernel must give the exact integer products the bound assumes; refuse otherwise."""
        rows = self.codes[: min(len(self.codes), 64)]
        probe = np.resize(np.arange(-127, 128, 7, dtype=np.int8), self.codes.shape[1])
        got = np.asarray(self._cdist(probe[None, :], rows, metric="dot"))[0]
        if not np.array_equal(got, rows.astype(np.int64) @ probe.astype(np.int64)):
            raise RuntimeError("numkong int8 dot products are not exact on this machine")

    def candidates(self, query: np.ndarray, k: int) -> np.ndarray:
        """Row positions (ascending) that include every row of the query's exact top k."""
        query = query.astype(np.float64)
        codes, steps = _int8_codes(query[None, :])
        code, step = codes[0], float(steps[0])  # a Python float, as before: approx stays float32
        residual = np.linalg.norm(query - step * code)
        dots = self._dots(code)
        approx = np.multiply(dots, self.scale, dtype=np.float32)
        approx *= step
        bound = self.bound_terms @ np.array([residual, np.linalg.norm(query), 1.0], dtype=np.float32)
        upper = approx + bound
        lower = np.subtract(approx, bound, out=approx)
        return np.flatnonzero(upper >= self._kth_largest(lower, k))

    def _kth_largest(self, values: np.ndarray, k: int) -> np.float32:
        """values' k-th largest. A sample guesses a floor with a few thousand values above it; when at
        least k are, the k-th largest is among them, so only those are partitioned (else all are)."""
        n = len(values)
        sample = values[self._sample]
        rank = min(len(sample) - 1, (4 * k * len(sample)) // n + 1)
        floor = np.partition(sample, len(sample) - 1 - rank)[len(sample) - 1 - rank]
        above = values[values >= floor]
        if len(above) < k:
            above = values
        return np.partition(above, len(above) - k)[len(above) - k]


class Float32Rows:
    """Rows for approximate inner products, kept as they are (where numkong is missing); Int8Rows has
    the same `dots` and `len`."""

    def __init__(self, matrix: np.ndarray):
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)

    def __len__(self) -> int:
        return len(self.matrix)

    def dots(self, queries: np.ndarray) -> np.ndarray:
        return np.asarray(queries, dtype=np.float32) @ self.matrix.T


class Int8Rows:
    """Rows kept as int8 codes, a scale each, for inner products that need only be close: a quarter of
    float32's memory, read by numkong's SIMD int8 products. Rows are coded as differences from their
    mean, so the products of csl-dev's e5 work vectors move by 1.5e-4 on average and 9e-4 at most
    (coded as they are: 3.8e-4 and 2.9e-3). The discipline vote reads 13,400 works for every need: as
    float32 (20 MB) they pushed the portraits' int8 copy out of the CPU's cache, and a need over
    100,000 portraits took 2 ms longer."""

    def __init__(self, matrix: np.ndarray):
        import numkong  # noqa: F401 - refused here, where approximate_rows can fall back, not at first use

        matrix = np.asarray(matrix, dtype=np.float64)
        # Sentence embeddings share one large direction; the rows' differences from their mean are
        # small, so their int8 steps are finer. The mean's product is added back exactly.
        self.mean = matrix.mean(axis=0) if len(matrix) else np.zeros(matrix.shape[1])
        self.codes, scale = _int8_codes(matrix - self.mean)
        self.scale = scale.astype(np.float32)
        self._dtype = _int8_dots_dtype(matrix.shape[1])

    def __len__(self) -> int:
        return len(self.codes)

    def dots(self, queries: np.ndarray) -> np.ndarray:
        from numkong import cdist  # looked up here, not kept: the rows stay picklable

        queries = np.atleast_2d(np.asarray(queries, dtype=np.float64))
        codes, step = _int8_codes(queries)
        products = np.asarray(cdist(codes, self.codes, metric="dot", out_dtype=self._dtype))
        return (products * self.scale[None, :] * step[:, None] + (queries @ self.mean)[:, None]).astype(
            np.float32
        )


def _int8_codes(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row as int8 codes times a float64 scale (its largest magnitude over 127; 1 for a zero row)."""
    peak = np.abs(matrix).max(axis=1) if matrix.size else np.zeros(len(matrix))
    scale = np.where(peak > 0, peak / 127.0, 1.0)
    codes = np.ascontiguousarray(np.rint(matrix / scale[:, None]).astype(np.int8))
    return codes, scale


def _int8_dots_dtype(dim: int) -> str:
    """An int8 product of this length stays below 2**24, so float32 holds it exactly; else float64."""
    return "float32" if dim * 127 * 127 < 2**24 else "float64"


def approximate_rows(matrix: np.ndarray) -> Float32Rows | Int8Rows:
    """Int8Rows where numkong is installed (it is a dependency), else the float32 rows themselves."""
    try:
        return Int8Rows(matrix)
    except ImportError:
        return Float32Rows(matrix)


def _prefilter_for(matrix: np.ndarray) -> Int8Prefilter | None:
    if len(matrix) < PREFILTER_MIN_ROWS:
        return None
    try:
        return Int8Prefilter(matrix)
    except (ImportError, RuntimeError):
        # Without it the full float32 scan gives the same results, only slower.
        return None


class ExactIndex:
    """Exact inner-product search. `ids` default to row positions."""

    def __init__(self, vectors: np.ndarray, ids: Sequence | np.ndarray | None = None, prefilter: bool = True):
        self.vectors = _as_matrix(vectors)
        self.ids = np.arange(len(self.vectors)) if ids is None else np.asarray(ids)
        if len(self.ids) != len(self.vectors):
            raise ValueError(f"{len(self.ids)} ids for {len(self.vectors)} vectors")
        self.prefilter = _prefilter_for(self.vectors) if prefilter else None

    def __len__(self) -> int:
        return len(self.vectors)

    @property
    def dim(self) -> int:
        return self.vectors.shape[1]

    def scores(self, query_vecs: np.ndarray) -> np.ndarray:
        """All inner products, (n_queries, n_items). A single 1-D query gives a 1-D row."""
        query_vecs = np.asarray(query_vecs, dtype=np.float32)
        if query_vecs.ndim == 1:
            # Matrix-vector (gemv) is faster than a 1-row matrix product over a transposed view.
            return self.vectors @ query_vecs
        if query_vecs.shape[0] == 1:
            return (self.vectors @ query_vecs[0])[None, :]
        return query_vecs @ self.vectors.T

    def search(self, query_vecs: np.ndarray, k: int) -> SearchResult:
        queries = np.atleast_2d(np.asarray(query_vecs, dtype=np.float32))
        if queries.shape[1] != self.dim:
            raise ValueError(f"queries have {queries.shape[1]} dimensions, index has {self.dim}")
        if self.prefilter is not None and len(queries) == 1 and 0 < k < len(self):
            return self._search_prefiltered(queries[0], k)
        chunk = max(1, _MAX_BLOCK_FLOATS // max(len(self), 1))
        parts = []
        for start in range(0, len(queries), chunk):
            block = queries[start : start + chunk]
            scores = self.scores(block[0]) if len(block) == 1 else self.scores(block)
            parts.append(top_k(scores, k))
        positions = np.concatenate([p for p, _ in parts]) if parts else np.empty((0, 0), np.int64)
        values = np.concatenate([s for _, s in parts]) if parts else np.empty((0, 0), np.float32)
        return SearchResult(ids=self.ids[positions], positions=positions, scores=values)

    def _search_prefiltered(self, query: np.ndarray, k: int) -> SearchResult:
        rows = self.prefilter.candidates(query, k)
        if len(rows) > len(self) // 4:
            # Too many survivors (a query unlike the library): gathering them costs more than a scan.
            positions, values = top_k(self.scores(query)[None, :], k)
        else:
            order, values = top_k((self.vectors[rows] @ query)[None, :], k)
            positions = rows[order]
        return SearchResult(ids=self.ids[positions], positions=positions, scores=values)


class USearchIndex:
    """Approximate search (HNSW, from the `usearch` package) with the same `search` interface.

    For portrait libraries well beyond 10^5, where the exact scan no longer fits the latency budget.
    Recall is below 1 by design, so it has no `scores` for all items; rank the returned candidates
    with the full hybrid scorer. Needs `pip install usearch`.
    """

    # Measured on random unit vectors (the hardest case; real embeddings cluster): connectivity 16 with
    # expansion 64 found 93% of the exact top 10, these settings 100%.
    def __init__(
        self,
        vectors: np.ndarray,
        ids: Sequence | np.ndarray | None = None,
        expansion: int = 128,
        connectivity: int = 32,
        expansion_add: int = 200,
    ):
        try:
            from usearch.index import Index
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("USearchIndex needs the usearch package: pip install usearch") from exc
        vectors = _as_matrix(vectors)
        self.ids = np.arange(len(vectors)) if ids is None else np.asarray(ids)
        if len(self.ids) != len(vectors):
            raise ValueError(f"{len(self.ids)} ids for {len(vectors)} vectors")
        self._index = Index(
            ndim=vectors.shape[1],
            metric="ip",
            dtype="f32",
            connectivity=connectivity,
            expansion_add=expansion_add,
            expansion_search=expansion,
        )
        self._index.add(np.arange(len(vectors), dtype=np.uint64), vectors)

    def __len__(self) -> int:
        return len(self._index)

    def search(self, query_vecs: np.ndarray, k: int) -> SearchResult:
        queries = np.atleast_2d(np.asarray(query_vecs, dtype=np.float32))
        k = min(k, len(self))
        matches = self._index.search(queries, k)
        positions = np.atleast_2d(np.asarray(matches.keys)).astype(np.int64)
        # usearch's "ip" distance is 1 - inner product.
        scores = (1.0 - np.atleast_2d(np.asarray(matches.distances))).astype(np.float32)
        return SearchResult(ids=self.ids[positions], positions=positions, scores=scores)


def make_index(vectors: np.ndarray, ids=None, backend: str = "exact"):
    """`backend`: "exact" (default) or "usearch" (approximate)."""
    if backend == "exact":
        return ExactIndex(vectors, ids)
    if backend == "usearch":
        return USearchIndex(vectors, ids)
    raise ValueError(f"unknown vector index backend {backend!r}; choose exact or usearch")
