"""Duration histograms: how long first responses and resolutions took, in business time.

Medians and 90th percentiles don't add up across days, but histograms do: each rollup row
keeps one, the report sums the rows of its range and reads the percentile off the sum.
Buckets are exact to the minute for the first hour, then about 5 % wide (a minute-rounded
geometric series) up to 90 days; longer durations share a last bucket. A percentile is the
nearest-rank value (the smallest duration at least that share of tickets took no longer
than), reported as its bucket's upper edge: "90 % were answered within 70 minutes" — exact
for whole minutes within the first hour, at most about 5 % high beyond it.

While a day is counted, a histogram is a list of ``BUCKETS`` counts. Stored, it is a fixed
layout of little-endian 32-bit counts, bucket 0 first, with the empty buckets after the
last used one left out (``b""`` is an empty histogram). A report reads a few hundred of them:
``decode`` turns them into one matrix with one numpy call, and sums and percentiles are
matrix operations — no per-bucket Python.
"""
from bisect import bisect_left
from collections.abc import Sequence

import numpy as np

_LAST_MINUTE = 90 * 24 * 60


def _edges() -> tuple[int, ...]:
    edges = list(range(1, 61))
    while edges[-1] < _LAST_MINUTE:
        edges.append(max(edges[-1] + 1, round(edges[-1] * 1.05)))
    return tuple(edge * 60 for edge in edges)


EDGES = _edges()  # upper edges in seconds; a duration d falls in the first edge >= d
OVERFLOW = len(EDGES)  # the bucket past the last edge
BUCKETS = OVERFLOW + 1
LAYOUT = np.dtype("<i4")
_WIDTH = BUCKETS * LAYOUT.itemsize
# What a percentile falling in each bucket reports: its upper edge (the last edge for overflow).
_REPORTED = np.array((*EDGES, EDGES[-1]), dtype=np.int64)


def bucket(seconds: float) -> int:
    return bisect_left(EDGES, max(0.0, seconds))


def empty() -> list[int]:
    return [0] * BUCKETS


def add(counts: list[int], seconds: float) -> None:
    counts[bucket(seconds)] += 1


def encode(counts) -> bytes:
    """The stored form of ``counts`` (a list or an array of ``BUCKETS`` counts)."""
    values = np.asarray(counts, dtype=LAYOUT)
    used = np.flatnonzero(values)
    return values[:used[-1] + 1].tobytes() if used.size else b""


def decode(blobs: Sequence[bytes]) -> np.ndarray:
    """Stored histograms as a ``len(blobs)`` × ``BUCKETS`` matrix of counts (32-bit, as
    stored: sum them into 64 bits)."""
    if not blobs:
        return np.zeros((0, BUCKETS), dtype=LAYOUT)
    padded = b"".join(bytes(blob).ljust(_WIDTH, b"\0") for blob in blobs)
    return np.frombuffer(padded, dtype=LAYOUT).reshape(len(blobs), BUCKETS)


def percentiles(matrix: np.ndarray, share: float) -> list[int | None]:
    """The nearest-rank ``share`` (0–1) percentile in seconds of each row of ``matrix``
    (one histogram a row), None for an empty one."""
    if len(matrix) == 0:
        return []
    running = np.cumsum(matrix, axis=1)
    totals = running[:, -1]
    ranks = np.maximum(1, np.ceil(share * totals))
    found = (running < ranks[:, None]).sum(axis=1)  # the first bucket reaching the rank
    values = _REPORTED[np.minimum(found, OVERFLOW)]
    return [int(value) if total else None for value, total in zip(values, totals, strict=True)]


def percentile(counts, share: float) -> int | None:
    """The nearest-rank ``share`` percentile of one histogram (a list of counts)."""
    return percentiles(np.asarray(counts, dtype=np.int64).reshape(1, BUCKETS), share)[0]
