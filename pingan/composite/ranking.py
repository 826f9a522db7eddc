"""Competition ranks of many rows of scores (1 = highest, ties share the minimum).

Monte Carlo rank uncertainty ranks every draw, so ranking is its costly
step. For finite scores :func:`rank_scores` sorts one integer key per score
instead of calling ``numpy.argsort``: the key contains a fixed-point copy of
the score in its high bits and the column number in its low bits, so one
plain sort returns the order. Scores whose fixed-point copies are equal
are then ranked exactly from their float values, so the ranks are exactly
those of an argsort on the floats.
"""

from __future__ import annotations

import numpy as np

__all__ = ["rank_scores"]

# Up to 2**12 columns fit next to a 20-bit fixed-point value in 32 bits;
# wider rows use 64-bit keys.
_MAX_COLUMN_BITS_32 = 12


def rank_scores(
    scores: np.ndarray, dtype: str = "float64", out: np.ndarray | None = None
) -> np.ndarray:
    """Rank scores along the last axis: 1 = highest, ties share the minimum.

    Parameters
    ----------
    scores : numpy.ndarray
        Scores of any shape (1-D: one ranking; 2-D: one ranking per row),
        any unit. Converted to float64.
    dtype : str, default "float64"
        Float type of the ranks; float32 is exact up to 2**24 columns.
    out : numpy.ndarray, optional
        C-contiguous array of ``dtype`` with the shape of ``scores`` to
        write the ranks into, as NumPy's ``out`` arguments do.

    Returns
    -------
    numpy.ndarray
        Ranks with the shape of ``scores`` (at least 1-D), or ``out``. A NaN
        score gets rank NaN and takes no place. Equal scores share the lowest
        rank of their group, and the next score skips places ("competition"
        or ``scipy.stats.rankdata(-scores, method="min")`` ranking).

    Raises
    ------
    ValueError
        If ``out`` has another shape or dtype, or is not C-contiguous.

    Notes
    -----
    Finite input uses packed integer keys (see the module docstring):
    each score s of a row with maximum M and range R becomes
    ``floor((M - s) * (2**b - 1) / R)`` with b value bits. That map never
    decreases as s falls, so a smaller key always means a higher score;
    scores with equal keys are ranked from their exact values. Input with
    NaN or infinite values uses ``numpy.argsort``. Both give the same
    ranks.

    Examples
    --------
    >>> rank_scores(np.array([3.0, 5.0, 3.0, 1.0]))
    array([2., 1., 2., 4.])
    >>> rank_scores(np.array([[1.0, 2.0], [2.0, np.nan]]))
    array([[ 2.,  1.],
           [ 1., nan]])
    """
    scores = np.atleast_1d(np.asarray(scores, dtype="float64"))
    out = _check_out(out, scores.shape, dtype)
    if scores.size == 0:
        return out
    rows = scores.reshape(-1, scores.shape[-1])
    ranks = out.reshape(rows.shape)
    top, bottom = rows.max(axis=1), rows.min(axis=1)
    with np.errstate(over="ignore", invalid="ignore"):
        span = top - bottom
    if np.isfinite(top).all() and np.isfinite(bottom).all() and np.isfinite(span).all():
        _packed_ranks(rows, top, span, ranks)
    else:
        ranks[...] = _argsort_ranks(rows, dtype)
    return out


def _check_out(out: np.ndarray | None, shape: tuple, dtype: str) -> np.ndarray:
    if out is None:
        return np.empty(shape, dtype=dtype)
    if out.shape != shape or out.dtype != np.dtype(dtype):
        raise ValueError(
            f"rank_scores: out has shape {out.shape} and dtype {out.dtype}; "
            f"the scores need shape {shape} and dtype {np.dtype(dtype)}."
        )
    if not out.flags.c_contiguous:
        raise ValueError("rank_scores: out must be C-contiguous; pass a copy.")
    return out


def _packed_ranks(
    rows: np.ndarray, top: np.ndarray, span: np.ndarray, ranks: np.ndarray
) -> None:
    """Rank finite rows into ``ranks`` by sorting packed (score, column) keys."""
    n_rows, n = rows.shape
    column_bits = max(1, (n - 1).bit_length())
    key_type = np.uint32 if column_bits <= _MAX_COLUMN_BITS_32 else np.uint64
    largest = 2.0 ** (8 * key_type().itemsize - column_bits) - 1
    with np.errstate(divide="ignore", over="ignore"):
        scale = np.where(span > 0, largest / span, 0.0)
    # A subnormal range overflows the scale: then every key is 0 and the
    # whole row is ranked from exact values.
    scale[~np.isfinite(scale)] = 0.0
    # 0 <= (top - s) * scale <= largest * (1 + 2**-51) < largest + 1, as
    # rounding keeps the order of each step, so no key overflows its bits.
    fixed = np.subtract(top[:, None], rows)
    fixed *= scale[:, None]
    keys = fixed.astype(key_type)
    del fixed
    keys <<= key_type(column_bits)
    keys |= np.arange(n, dtype=key_type)
    keys.sort(axis=-1)
    order = (keys & key_type((1 << column_bits) - 1)).astype(np.intp)
    keys >>= key_type(column_bits)
    # Flat positions: np.flatnonzero is much faster than 2-D np.nonzero.
    tied = np.flatnonzero(keys[:, 1:] == keys[:, :-1])
    position = np.arange(1, n + 1, dtype=ranks.dtype)
    np.put_along_axis(ranks, order, np.broadcast_to(position, (n_rows, n)), axis=-1)
    if len(tied):
        _rank_equal_keys(ranks, rows, order, *np.divmod(tied, n - 1))


def _rank_equal_keys(
    ranks: np.ndarray,
    rows: np.ndarray,
    order: np.ndarray,
    row: np.ndarray,
    left: np.ndarray,
) -> None:
    """Rerank, from exact scores, each run of equal keys in the sorted rows.

    Sorted places ``left`` and ``left + 1`` of row ``row`` share a key
    (both arrays ascending by row, then place). A run of such places
    starting at place a contains every score with that key, and all scores
    before it are higher, so a score s in the run has rank
    a + 1 + (number of scores in the run higher than s).
    """
    # Marked pairs at consecutive places of one row chain into one run.
    starts = np.r_[True, (row[1:] != row[:-1]) | (left[1:] != left[:-1] + 1)]
    ends = np.r_[starts[1:], True]
    run_of_pair = np.cumsum(starts) - 1
    row = np.concatenate([row, row[ends]])
    place = np.concatenate([left, left[ends] + 1])
    run = np.concatenate([run_of_pair, run_of_pair[ends]])
    run_start = left[starts][run]
    column = order[row, place]
    value = rows[row, column]
    by_value = np.lexsort((-value, run))
    run, value = run[by_value], value[by_value]
    step = np.arange(len(by_value))
    first_of_run = np.r_[True, run[1:] != run[:-1]]
    first_of_value = first_of_run | np.r_[True, value[1:] != value[:-1]]
    higher = np.maximum.accumulate(np.where(first_of_value, step, 0)) - (
        np.maximum.accumulate(np.where(first_of_run, step, 0))
    )
    ranks[row[by_value], column[by_value]] = run_start[by_value] + 1 + higher


def _argsort_ranks(rows: np.ndarray, dtype: str) -> np.ndarray:
    """Rank rows that may hold NaN or infinite scores with ``numpy.argsort``."""
    missing = np.isnan(rows)
    negated = np.where(missing, np.inf, -rows)
    order = np.argsort(negated, axis=-1)
    ordered = np.take_along_axis(negated, order, axis=-1)
    position = np.arange(1, ordered.shape[-1] + 1, dtype=dtype)
    # A tied value takes the position of its first copy in sorted order.
    new_value = np.ones(ordered.shape, dtype=bool)
    new_value[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    position = np.maximum.accumulate(np.where(new_value, position, 0), axis=-1)
    ranks = np.empty(ordered.shape, dtype=dtype)
    np.put_along_axis(ranks, order, position.astype(dtype), axis=-1)
    return np.where(missing, np.nan, ranks)
