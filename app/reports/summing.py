"""Adding rollup rows up by group: counts and stored histograms, as whole matrices.

Both the report (the rows of a range, by period or by dimension and key) and the refresh
(a week's or a month's day rows, by dimension and key) sum a few hundred to a few thousand
rows; numpy does it in a handful of calls, where merging histograms bucket by bucket in
Python took most of a report's time.
"""
from collections.abc import Callable, Hashable, Sequence

import numpy as np

from app.reports import histogram


class Grouped:
    """``rows`` (tuples) grouped by ``group_of(row)``; ``groups`` in order of appearance."""

    def __init__(self, rows: Sequence, group_of: Callable[[tuple], Hashable]):
        members: dict[Hashable, list[int]] = {}
        for n, row in enumerate(rows):
            members.setdefault(group_of(row), []).append(n)
        self.rows = rows
        self.groups = list(members)
        self._order = np.fromiter((n for group in self.groups for n in members[group]),
                                  dtype=np.intp, count=len(rows))
        self._starts = np.cumsum([0] + [len(members[group]) for group in self.groups[:-1]])

    def _sum(self, matrix: np.ndarray) -> np.ndarray:
        return np.add.reduceat(matrix[self._order], self._starts, axis=0, dtype=np.int64)

    def counts(self, first: int, last: int) -> np.ndarray:
        """Groups × the integer columns ``first``..``last - 1`` of the rows, summed."""
        if not self.rows:
            return np.zeros((0, last - first), dtype=np.int64)
        return self._sum(np.array([row[first:last] for row in self.rows], dtype=np.int64))

    def histograms(self, position: int) -> np.ndarray:
        """Groups × ``histogram.BUCKETS``: the stored histograms of column ``position``,
        summed."""
        matrix = histogram.decode([row[position] for row in self.rows])
        return self._sum(matrix) if self.rows else matrix.astype(np.int64)
