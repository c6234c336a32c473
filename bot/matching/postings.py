"""Term postings in compressed sparse rows, shared by the procedure index and the example bank."""
from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable

import numpy as np


class Postings:
    """For term id t, rows ``rows[bounds[t]:bounds[t + 1]]`` (ascending) with their weights."""

    def __init__(self, term_ids: array, row_ids: array, values: array, terms: int):
        ids = np.frombuffer(term_ids, dtype=np.int32)
        order = np.argsort(ids, kind="stable")  # stable: rows stay ascending per term
        self.rows = np.frombuffer(row_ids, dtype=np.int32)[order]
        self.weights = np.frombuffer(values, dtype=np.float32)[order]
        self.offsets = np.searchsorted(ids[order], np.arange(terms + 1)).astype(np.int64)
        self.bounds = self.offsets.tolist()  # plain ints: indexing a numpy array per term is slow
        self._row_view = memoryview(self.rows)  # bisected one row at a time: plain ints, no copy

    def weighted_sum(self, factors: Iterable[tuple[int, float]], size: int) -> np.ndarray | None:
        """Per row, the sum over the given terms of factor × weight; None when no term has a row."""
        rows, weights, scale, lengths = [], [], [], []
        bounds = self.bounds
        for tid, factor in factors:
            start, end = bounds[tid], bounds[tid + 1]
            if end > start:
                rows.append(self.rows[start:end])
                weights.append(self.weights[start:end])
                scale.append(factor)
                lengths.append(end - start)
        if not rows:
            return None
        contributions = np.concatenate(weights) * np.repeat(np.array(scale, dtype=np.float32), lengths)
        return np.bincount(np.concatenate(rows), weights=contributions, minlength=size)

    def has(self, tid: int, row: int) -> bool:
        end = self.bounds[tid + 1]
        i = bisect_left(self._row_view, row, self.bounds[tid], end)
        return i < end and self._row_view[i] == row
