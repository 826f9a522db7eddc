"""Uncertainty and sensitivity analysis of a composite index.

:func:`rank_uncertainty` perturbs the weights at each level (and, if asked,
the method choices) and reports each area's rank distribution.
:func:`sensitivity_indices` estimates first-order and total Sobol indices
of any model; :func:`scheme_sensitivity` applies it to the choices of a
scheme. Weight draws are evaluated as matrix products (draws x weights
times the normalised matrix), in chunks that bound memory use.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from threading import Lock

import numpy as np
import pandas as pd
from scipy.stats import qmc
from threadpoolctl import threadpool_limits
from tqdm import tqdm

from pingan._validation import check_interval
from pingan.composite.aggregate import (
    aggregate,
    inverse_power,
    transform_power,
)
from pingan.composite.ranking import rank_scores
from pingan.composite.scheme import (
    _POWER_OF,
    Scheme,
    get_scheme,
    level_structure,
    prepare,
    with_choice,
)
from pingan.exceptions import PinganError

__all__ = [
    "UncertaintyResult",
    "rank_uncertainty",
    "scheme_sensitivity",
    "sensitivity_indices",
]

NOISE_LEVELS = ("indicator", "dimension", "domain")
# Elements of the largest intermediate array per chunk (float64: 8 bytes each).
_CHUNK_ELEMENTS = 4_000_000
# Areas whose rank histograms are filled at once: 128 x 2,000 areas x 8
# bytes is 2 MB, small enough to stay in cache while it is filled.
_COUNT_BLOCK = 128


@dataclass(frozen=True)
class UncertaintyResult:
    """Result of :func:`rank_uncertainty`.

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per area: ``area_code``, ``nominal_rank`` (int),
        ``mean_rank``, ``median_rank``, ``q05_rank``, ``q95_rank`` (float,
        over the draws), sorted by nominal rank.
    ranks : numpy.ndarray
        Ranks, shape (n_draws, n_areas), float32 (NaN for a NaN score);
        columns follow ``summary`` before sorting, i.e. ``area_codes``.
    area_codes : list
        Area codes, in the column order of ``ranks``.
    choices : pandas.DataFrame
        One row per draw: ``draw`` (int) and one column per varied scheme
        field with the alternative used (its position in the list).
    """

    summary: pd.DataFrame
    ranks: np.ndarray
    area_codes: list
    choices: pd.DataFrame


def rank_uncertainty(
    data: pd.DataFrame,
    catalogue: pd.DataFrame,
    scheme: str | Scheme = "points",
    n_draws: int = 1000,
    noise: dict[str, float] | None = None,
    alternatives: dict[str, list] | None = None,
    seed: int = 0,
    chunk_size: int | None = None,
    progress: bool = True,
    n_jobs: int = 1,
) -> UncertaintyResult:
    """Monte Carlo rank distribution over weights and method choices.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide frame, areas x indicators, in the indicators' units.
    catalogue : pandas.DataFrame
        Columns ``indicator, dimension, domain, points, direction``.
    scheme : str or Scheme, default "points"
        The nominal scheme.
    n_draws : int, default 1000
        Number of Monte Carlo draws.
    noise : dict, optional
        Relative noise per weight level, ``{"indicator": f, "dimension": f,
        "domain": f}``: each local weight w becomes w * U(1 - f, 1 + f)
        (renormalised within its parent). Default 0.25 at every level; a
        level left out of a given dict gets no noise.
    alternatives : dict, optional
        Method choices to vary, ``{field: [value, ...]}`` over the fields
        of :class:`Scheme` (e.g. ``{"normalisation": ["minmax", "rank"],
        "aggregation": ["arithmetic", "geometric"]}``). An item may also be
        a dict of field changes, e.g. ``{"normalisation": "minmax",
        "normalisation_params": {"bounds": (1, 100)}}``. Each draw picks
        one item per field with equal probability.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``.
    chunk_size : int, optional
        Draws evaluated at once (default: sized so the largest
        intermediate array stays under about 32 MB).
    progress : bool, default True
        Show a tqdm progress bar over chunks.
    n_jobs : int, default 1
        Threads evaluating chunks at once. Results do not depend on it.

    Returns
    -------
    UncertaintyResult
        ``summary`` (rank statistics per area), ``ranks`` (all draws),
        ``area_codes`` and ``choices``; see :class:`UncertaintyResult`.

    Raises
    ------
    PinganError
        If a noise level or factor is invalid, or a combination of
        alternatives is invalid (e.g. z-scores with a geometric mean).

    Notes
    -----
    Power-mean aggregations (arithmetic, geometric, harmonic, generalised)
    are evaluated for all draws of a chunk at once: the first level as
    f(X) @ W.T (f the power transform), the upper levels with
    ``numpy.einsum``. Mazziotta-Pareto, TOPSIS and Copeland levels fall
    back to one :func:`pingan.composite.aggregate` call per draw and
    parent, which is much slower. While the draws run, BLAS is limited to
    one thread (``threadpoolctl``), because ``n_jobs`` sets the parallelism.
    Ranks: 1 = best, ties share the minimum.
    Rank statistics follow COINr's ``get_sensitivity`` (nominal, mean,
    median, 5th and 95th percentiles).

    Examples
    --------
    >>> import pandas as pd
    >>> cat = pd.DataFrame({"indicator": ["a", "b", "c"],
    ...                     "dimension": ["D1", "D1", "D2"],
    ...                     "domain": ["X", "X", "Y"],
    ...                     "points": [20.0, 30.0, 50.0], "direction": [1, 1, 1]})
    >>> data = pd.DataFrame({"a": [1.0, 2, 3], "b": [3.0, 1, 2], "c": [1.0, 2, 3]},
    ...                     index=["p", "q", "r"])
    >>> result = rank_uncertainty(data, cat, n_draws=200, progress=False)
    >>> result.summary[["area_code", "nominal_rank", "median_rank"]]
      area_code  nominal_rank  median_rank
    0         r             1          1.0
    1         q             2          2.0
    2         p             3          3.0
    """
    func = "rank_uncertainty"
    check_interval("n_draws", n_draws, func, 1)
    check_interval("n_jobs", n_jobs, func, 1)
    nominal = get_scheme(scheme)
    noise = _check_noise(noise, func)
    rng = np.random.default_rng(seed)
    alternatives = _check_alternatives(alternatives, func)
    fields = list(alternatives)
    picks = np.column_stack(
        [rng.integers(0, len(alternatives[f]), n_draws) for f in fields]
    ) if fields else np.zeros((n_draws, 0), dtype=int)  # fmt: skip
    plan0 = prepare(data, catalogue, nominal)
    multipliers = _noise_multipliers(plan0, noise, n_draws, rng)
    plans = _combination_plans(data, catalogue, plan0, picks, alternatives)
    ranks, counts = _draw_ranks(
        plans, _group_rows(picks), multipliers, chunk_size, progress, n_jobs
    )
    nominal_ranks = rank_scores(batch_index(plan0, _noisy_weights(plan0, None)))[0]
    summary = _rank_summary(plan0.normalised.index, nominal_ranks, counts)
    choices = pd.DataFrame(picks, columns=fields).assign(draw=np.arange(n_draws))
    return UncertaintyResult(
        summary, ranks, list(plan0.normalised.index), choices[["draw", *fields]]
    )


def _combination_plans(data, catalogue, plan0, picks, alternatives) -> dict:
    """Prepare one plan per combination of method choices drawn."""
    if picks.shape[1] == 0:
        return {(): plan0}  # without alternatives every draw uses the nominal plan
    fields = list(alternatives)
    return {
        combo: prepare(
            data, catalogue, _apply_choices(plan0.scheme, fields, combo, alternatives)
        )
        for combo in _group_rows(picks)
    }


def _draw_ranks(plans, groups, multipliers, chunk_size, progress, n_jobs):
    """Rank every draw, chunk by chunk; return the ranks and their histogram.

    Chunks run on ``n_jobs`` threads: the heavy NumPy steps (matrix
    products, sorting, indexing) release the GIL. Each thread works on one
    chunk, so memory stays bounded by n_jobs chunks. BLAS is limited to one
    thread meanwhile.
    """
    n_draws = sum(len(rows) for rows in groups.values())
    n_areas = len(next(iter(plans.values())).normalised)
    ranks = np.empty((n_draws, n_areas), dtype="float32")
    counts = np.zeros((n_areas, n_areas), dtype=np.int64)
    counting = Lock()

    def run(plan, chunk):
        draw = {level: m[chunk] for level, m in multipliers.items()}
        scores = batch_index(plan, _noisy_weights(plan, draw))
        place = _as_slice(chunk)
        if isinstance(place, slice):
            chunk_ranks = rank_scores(scores, dtype="float32", out=ranks[place])
        else:
            chunk_ranks = ranks[place] = rank_scores(scores, dtype="float32")
        with counting:
            _add_rank_counts(counts, chunk_ranks)
        return len(chunk)

    tasks = [
        (plans[combo], chunk)
        for combo, rows in groups.items()
        for chunk in _chunks(rows, plans[combo], chunk_size)
    ]
    bar = tqdm(total=n_draws, disable=not progress, desc="draws", leave=False)
    # BLAS keeps to one thread: its own threads for these thin products cost
    # more than they save (about 1.8x slower in benchmarks/bench_composite.py
    # on a busy 2-core machine), and n_jobs already runs chunks in parallel.
    with (
        threadpool_limits(limits=1, user_api="blas"),
        ThreadPoolExecutor(max_workers=n_jobs) as pool,
    ):
        mapper = pool.map if n_jobs > 1 else map
        for done in mapper(lambda task: run(*task), tasks):
            bar.update(done)
    bar.close()
    return ranks, counts


def _as_slice(rows: np.ndarray) -> slice | np.ndarray:
    """Return a slice for consecutive row numbers (cheaper to assign into)."""
    if len(rows) and rows[-1] - rows[0] == len(rows) - 1:
        return slice(int(rows[0]), int(rows[-1]) + 1)
    return rows


def _check_alternatives(alternatives, func) -> dict[str, list]:
    alternatives = dict(alternatives or {})
    empty = [name for name, items in alternatives.items() if len(items) == 0]
    if empty:
        raise PinganError(
            f"{func}: alternatives {empty} list no choice; give at least one item."
        )
    return alternatives


def _check_noise(noise, func) -> dict[str, float]:
    noise = dict.fromkeys(NOISE_LEVELS, 0.25) if noise is None else dict(noise)
    for level, factor in noise.items():
        if level not in NOISE_LEVELS:
            raise PinganError(
                f"{func}: noise level must be one of {list(NOISE_LEVELS)}; "
                f"got {level!r}."
            )
        check_interval(f"noise[{level!r}]", factor, func, 0.0, 1.0)
    return noise


def _group_rows(picks: np.ndarray) -> dict[tuple, np.ndarray]:
    """Group draw numbers by their combination of choices (one row of picks)."""
    if picks.shape[1] == 0:
        return {(): np.arange(len(picks))}
    combos, inverse = np.unique(picks, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    return {
        tuple(int(v) for v in combo): np.flatnonzero(inverse == i)
        for i, combo in enumerate(combos)
    }


def _apply_choices(scheme: Scheme, fields, combo, alternatives) -> Scheme:
    changes: dict = {}
    for field_name, position in zip(fields, combo, strict=True):
        item = alternatives[field_name][position]
        changes |= item if isinstance(item, dict) else {field_name: item}
    name = scheme.name + "".join(
        f"|{f}={p}" for f, p in zip(fields, combo, strict=True)
    )
    return with_choice(scheme, name=name, **changes)


def _noise_multipliers(plan, noise, n, rng) -> dict[str, np.ndarray]:
    """Draw U(1 - f, 1 + f) multipliers of every local weight, per level."""
    out = {}
    for level in NOISE_LEVELS:
        size = int((plan.weights["level"] == level).sum())
        f = noise.get(level, 0.0)
        out[level] = rng.uniform(1.0 - f, 1.0 + f, size=(n, size))
    return out


def _noisy_weights(plan, multipliers) -> dict[str, np.ndarray]:
    """Local weights per level, shape (draws, nodes); None gives one nominal row."""
    out = {}
    for level in NOISE_LEVELS:
        base = plan.weights.loc[plan.weights["level"] == level, "weight"].to_numpy()
        out[level] = base[None, :] if multipliers is None else base * multipliers[level]
    return out


def _chunks(rows: np.ndarray, plan, chunk_size: int | None):
    areas, width = plan.normalised.shape
    if _linear(plan):
        width = 2  # only the (draws, areas) scores and ranks are held
    if chunk_size is None:
        chunk_size = max(1, _CHUNK_ELEMENTS // (areas * max(width, 1)))
    for start in range(0, len(rows), chunk_size):
        yield rows[start : start + chunk_size]


def batch_index(plan, weights: dict[str, np.ndarray]) -> np.ndarray:
    """Index scores for several weight draws at once, shape (draws, areas).

    ``weights`` maps each level (indicator, dimension, domain) to local
    weights of shape (draws, nodes) in the order of ``plan.weights``.
    """
    x = plan.normalised.to_numpy()
    if _linear(plan):
        return _effective_draws(plan, weights) @ x.T
    order = {
        lv: list(plan.weights.loc[plan.weights["level"] == lv, "code"])
        for lv in NOISE_LEVELS
    }
    child_level = {"dimension": "indicator", "domain": "dimension", "index": "domain"}
    current = None
    for level, parents, children in level_structure(plan.catalogue):
        kids_level = child_level[level]
        position = {code: i for i, code in enumerate(order[kids_level])}
        w = weights[kids_level]
        columns = [[position[c] for c in children[p]] for p in parents]
        method = plan.scheme.method_at(level)
        params = plan.scheme.params_at(level)
        if current is None:
            current = _first_level(x, w, columns, method, params)
        else:
            current = _upper_level(current, w, columns, method, params)
    return current[:, :, 0]


def _linear(plan) -> bool:
    """Tell whether the index is one weighted sum (all arithmetic, no NaN)."""
    methods = {
        plan.scheme.method_at(level) for level in ("dimension", "domain", "index")
    }
    return methods == {"arithmetic"} and not plan.normalised.isna().to_numpy().any()


def _effective_draws(plan, weights: dict[str, np.ndarray]) -> np.ndarray:
    """Effective indicator weights per draw, shape (draws, indicators).

    Local weights are renormalised within each parent and multiplied down
    the tree, so the index of every draw is one matrix product.
    """
    table = plan.weights
    rows = {lv: table[table["level"] == lv] for lv in NOISE_LEVELS}
    ind_to_dim = _membership(rows["indicator"]["parent"], rows["dimension"]["code"])
    dim_to_dom = _membership(rows["dimension"]["parent"], rows["domain"]["code"])
    w_ind = weights["indicator"] / ((weights["indicator"] @ ind_to_dim) @ ind_to_dim.T)
    w_dim = weights["dimension"] / ((weights["dimension"] @ dim_to_dom) @ dim_to_dom.T)
    w_dom = weights["domain"] / weights["domain"].sum(axis=1, keepdims=True)
    dim_eff = w_dim * (w_dom @ dim_to_dom.T)
    return w_ind * (dim_eff @ ind_to_dim.T)


def _membership(parents: pd.Series, codes: pd.Series) -> np.ndarray:
    """0/1 matrix (children x parents) of which parent each child belongs to."""
    position = {code: j for j, code in enumerate(codes)}
    out = np.zeros((len(parents), len(codes)))
    out[np.arange(len(parents)), [position[p] for p in parents]] = 1.0
    return out


def _power(method: str, params: dict) -> float | None:
    if method == "generalised":
        return float(params["p"])
    return _POWER_OF.get(method)


def _first_level(x, w, columns, method, params) -> np.ndarray:
    """Aggregate fixed indicators with many weight draws -> (draws, areas, parents)."""
    p = _power(method, params)
    if p is None:
        return _fallback(
            np.broadcast_to(x, (len(w), *x.shape)), w, columns, method, params
        )
    _check_power_input(x, p)
    transformed, present = transform_power(x, p), (~np.isnan(x)).astype("float64")
    out = np.empty((len(w), x.shape[0], len(columns)))
    for j, cols in enumerate(columns):
        num = transformed[:, cols] @ w[:, cols].T
        den = present[:, cols] @ w[:, cols].T
        zero = _zero_mask(x[:, cols], p)[:, None]
        out[:, :, j] = _finish(num, den, zero, p).T
    return out


def _upper_level(scores, w, columns, method, params) -> np.ndarray:
    """Aggregate per-draw child scores (draws, areas, children)."""
    p = _power(method, params)
    if p is None:
        return _fallback(scores, w, columns, method, params)
    _check_power_input(scores, p)
    transformed, present = (
        transform_power(scores, p),
        (~np.isnan(scores)).astype("float64"),
    )
    out = np.empty((scores.shape[0], scores.shape[1], len(columns)))
    for j, cols in enumerate(columns):
        num = np.einsum("dac,dc->da", transformed[:, :, cols], w[:, cols])
        den = np.einsum("dac,dc->da", present[:, :, cols], w[:, cols])
        out[:, :, j] = _finish(num, den, _zero_mask(scores[:, :, cols], p), p)
    return out


def _check_power_input(x: np.ndarray, p: float) -> None:
    if p != 1 and np.nanmin(x) < 0:
        raise PinganError(
            "rank_uncertainty: geometric, harmonic and generalised means need "
            "non-negative values; this combination of normalisation and "
            "aggregation gives negative values."
        )


def _zero_mask(x: np.ndarray, p: float) -> np.ndarray:
    if p > 0:
        return np.zeros(x.shape[:-1], dtype=bool)
    return np.any(x == 0, axis=-1)


def _finish(num, den, zero, p) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(zero, 0.0, inverse_power(num / den, p))
    return np.where(den > 0, out, np.nan)


def _fallback(scores, w, columns, method, params) -> np.ndarray:
    """Aggregate with one :func:`aggregate` call per draw and parent."""
    draws, areas = scores.shape[0], scores.shape[1]
    out = np.empty((draws, areas, len(columns)))
    for d in range(draws):
        for j, cols in enumerate(columns):
            frame = pd.DataFrame(scores[d][:, cols])
            weights = pd.Series(w[d, cols], index=frame.columns)
            out[d, :, j] = aggregate(frame, weights, method, **params).to_numpy()
    return out


def _rank_summary(
    areas: pd.Index, nominal: np.ndarray, counts: np.ndarray
) -> pd.DataFrame:
    """Rank statistics per area from the histogram of its ranks."""
    n = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = counts @ np.arange(1, counts.shape[1] + 1) / n
    summary = pd.DataFrame(
        {
            "area_code": areas.to_numpy(),
            "nominal_rank": pd.array(nominal, dtype="Int64"),
            "mean_rank": mean,
            "median_rank": _count_quantile(counts, 0.5),
            "q05_rank": _count_quantile(counts, 0.05),
            "q95_rank": _count_quantile(counts, 0.95),
        }
    )
    return summary.sort_values(["nominal_rank", "area_code"]).reset_index(drop=True)


def _add_rank_counts(counts: np.ndarray, ranks: np.ndarray) -> None:
    """Add each area's ranks to its histogram ``counts`` (areas x n_areas).

    Ranks are in draws x areas; NaN ranks are not counted. Columns are
    counted in blocks so that each block's histogram stays in cache.
    """
    areas = ranks.shape[1]
    for first in range(0, areas, _COUNT_BLOCK):
        block = ranks[:, first : first + _COUNT_BLOCK]
        width = block.shape[1]
        offsets = np.arange(width, dtype=np.intp) * areas - 1
        valid = ~np.isnan(block)
        if valid.all():
            cells = block.astype(np.intp)
            cells += offsets
        else:
            cells = (np.where(valid, block, 1).astype(np.intp) + offsets)[valid]
        found = np.bincount(cells.ravel(), minlength=width * areas)
        counts[first : first + width] += found.reshape(width, areas)


def _count_quantile(counts: np.ndarray, q: float) -> np.ndarray:
    """Quantile of each row's values from its histogram of ranks 1..n.

    Same result as ``numpy.quantile`` with linear interpolation: the
    position h = (N - 1) q in the sorted values, interpolated between the
    values at floor(h) and floor(h) + 1.
    """
    n = counts.sum(axis=1)
    cumulative = np.cumsum(counts, axis=1)
    h = (n - 1) * q
    low = np.floor(h)
    lower = (cumulative > low[:, None]).argmax(axis=1) + 1.0
    high = np.minimum(low + 1, np.maximum(n - 1, 0))
    upper = (cumulative > high[:, None]).argmax(axis=1) + 1.0
    out = lower + (h - low) * (upper - lower)
    return np.where(n > 0, out, np.nan)


def sensitivity_indices(
    model: Callable[[np.ndarray], np.ndarray],
    bounds: list[tuple[float, float]],
    n: int = 1024,
    names: list[str] | None = None,
    n_bootstrap: int = 200,
    confidence: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Estimate first-order and total Sobol indices of a model.

    Parameters
    ----------
    model : callable
        Maps an array of shape (runs, d) of input values to the output,
        shape (runs,).
    bounds : list of (low, high)
        Uniform range of each of the d inputs.
    n : int, default 1024
        Base sample size, a power of 2 (the model is run n (d + 2) times).
    names : list of str, optional
        Input names (default ``x1``, ``x2``, ...).
    n_bootstrap : int, default 200
        Bootstrap resamples for the confidence intervals.
    confidence : float, default 0.95
        Level of the percentile bootstrap intervals.
    seed : int, default 0
        Seed of the scrambled Sobol' sequence and of the bootstrap.

    Returns
    -------
    pandas.DataFrame
        One row per input: ``factor`` (str), ``s1``, ``s1_low``,
        ``s1_high``, ``st``, ``st_low``, ``st_high`` (float).

    Raises
    ------
    PinganError
        If ``n`` is not a power of 2 or ``bounds`` is empty.

    Notes
    -----
    Design (Saltelli et al., 2010, Comput. Phys. Commun. 181:259-270): A
    and B are the two halves of a scrambled Sobol' sequence of dimension
    2d, AB_i is A with column i taken from B. With V the variance of
    f(A) and f(B) together:
    S1_i = mean(f(B) (f(AB_i) - f(A))) / V (Saltelli 2010) and
    ST_i = mean((f(A) - f(AB_i))^2) / (2 V) (Jansen 1999).
    Checked against the Ishigami function's analytic indices
    (S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437) and against
    SALib's ``sobol.analyze`` in ``tests/test_composite_uncertainty.py``.

    Examples
    --------
    >>> import numpy as np
    >>> table = sensitivity_indices(lambda x: x[:, 0] + 0.1 * x[:, 1],
    ...                             [(0, 1), (0, 1)], n=1024, n_bootstrap=0)
    >>> table[["factor", "s1", "st"]].round(2)
      factor    s1    st
    0     x1  0.99  0.99
    1     x2  0.01  0.01
    """
    func = "sensitivity_indices"
    d = len(bounds)
    if d == 0:
        raise PinganError(f"{func}: bounds must list at least one input.")
    if n < 2 or n & (n - 1):
        raise PinganError(f"{func}: n must be a power of 2; got {n}.")
    check_interval("confidence", confidence, func, 0.0, 1.0, closed="neither")
    names = names or [f"x{i + 1}" for i in range(d)]
    low, high = np.array(bounds, dtype="float64").T
    base = qmc.Sobol(d=2 * d, scramble=True, seed=seed).random_base2(int(np.log2(n)))
    a, b = low + base[:, :d] * (high - low), low + base[:, d:] * (high - low)
    runs = [a, b] + [np.where(np.arange(d) == i, b, a) for i in range(d)]
    y = np.asarray(model(np.vstack(runs)), dtype="float64").reshape(d + 2, n)
    return _sobol_table(y, names, n_bootstrap, confidence, seed)


def _sobol_estimates(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ya, yb, yab = y[0], y[1], y[2:]
    variance = np.var(np.concatenate([ya, yb]))
    if variance == 0:
        return np.zeros(len(yab)), np.zeros(len(yab))
    s1 = np.mean(yb * (yab - ya), axis=1) / variance
    st = 0.5 * np.mean((ya - yab) ** 2, axis=1) / variance
    return s1, st


def _sobol_table(y, names, n_bootstrap, confidence, seed) -> pd.DataFrame:
    s1, st = _sobol_estimates(y)
    table = pd.DataFrame({"factor": names, "s1": s1, "st": st})
    if n_bootstrap > 0:
        rng = np.random.default_rng(seed)
        n = y.shape[1]
        draws = [
            _sobol_estimates(y[:, rng.integers(0, n, n)]) for _ in range(n_bootstrap)
        ]
        tail = (1 - confidence) / 2
        for key, k in (("s1", 0), ("st", 1)):
            samples = np.array([draw[k] for draw in draws])
            table[f"{key}_low"], table[f"{key}_high"] = np.quantile(
                samples, [tail, 1 - tail], axis=0
            )
    else:
        for col in ("s1_low", "s1_high", "st_low", "st_high"):
            table[col] = np.nan
    return table[["factor", "s1", "s1_low", "s1_high", "st", "st_low", "st_high"]]


def scheme_sensitivity(
    data: pd.DataFrame,
    catalogue: pd.DataFrame,
    scheme: str | Scheme = "points",
    noise: dict[str, float] | None = None,
    alternatives: dict[str, list] | None = None,
    n: int = 256,
    n_weight_sets: int = 100,
    n_bootstrap: int = 200,
    seed: int = 0,
) -> pd.DataFrame:
    """Sobol indices of the mean absolute rank shift over a scheme's choices.

    Parameters
    ----------
    data : pandas.DataFrame
        Wide frame, areas x indicators, in the indicators' units.
    catalogue : pandas.DataFrame
        Columns ``indicator, dimension, domain, points, direction``.
    scheme : str or Scheme, default "points"
        The nominal scheme.
    noise : dict, optional
        Weight noise per level (see :func:`rank_uncertainty`); each level
        with a positive factor is one input, named ``weights_<level>``.
        Default 0.25 at every level.
    alternatives : dict, optional
        Method choices, one input per field (see :func:`rank_uncertainty`).
    n : int, default 256
        Base sample size, a power of 2.
    n_weight_sets : int, default 100
        Noisy weight sets drawn per level; a weight input picks one of them.
    n_bootstrap : int, default 200
        Bootstrap resamples for the intervals.
    seed : int, default 0
        Seed of all random draws.

    Returns
    -------
    pandas.DataFrame
        As :func:`sensitivity_indices`: ``factor``, ``s1``, ``s1_low``,
        ``s1_high``, ``st``, ``st_low``, ``st_high``.

    Notes
    -----
    Every input is discrete: a uniform value u in [0, 1) picks item
    floor(u * m) of its m alternatives (noisy weight sets or method
    choices), as COINr's ``get_sensitivity`` does for discrete inputs. The
    output of each run is the mean over areas of |rank - nominal rank|.

    Examples
    --------
    >>> import pandas as pd
    >>> cat = pd.DataFrame({"indicator": ["a", "b", "c"],
    ...                     "dimension": ["D1", "D1", "D2"],
    ...                     "domain": ["X", "X", "Y"],
    ...                     "points": [20.0, 30.0, 50.0], "direction": [1, 1, 1]})
    >>> data = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [3.0, 1, 2, 4],
    ...                      "c": [2.0, 1, 4, 3]}, index=list("pqrs"))
    >>> table = scheme_sensitivity(data, cat, noise={"domain": 0.5}, n=64,
    ...                            n_bootstrap=0)
    >>> table["factor"].tolist()
    ['weights_domain']
    """
    nominal = get_scheme(scheme)
    noise = _check_noise(noise, "scheme_sensitivity")
    alternatives = _check_alternatives(alternatives, "scheme_sensitivity")
    levels = [lv for lv in NOISE_LEVELS if noise.get(lv, 0.0) > 0]
    rng = np.random.default_rng(seed)
    plan0 = prepare(data, catalogue, nominal)
    sets = _noise_multipliers(plan0, noise, n_weight_sets, rng)
    nominal_ranks = rank_scores(batch_index(plan0, _noisy_weights(plan0, None)))[0]
    sizes = [n_weight_sets] * len(levels) + [len(alternatives[f]) for f in alternatives]
    names = [f"weights_{lv}" for lv in levels] + list(alternatives)
    if not names:
        raise PinganError(
            "scheme_sensitivity: no input varies; give noise or alternatives."
        )
    cache: dict[tuple, object] = {}

    def model(u: np.ndarray) -> np.ndarray:
        picks = np.minimum((u * np.array(sizes)).astype(int), np.array(sizes) - 1)
        out = np.empty(len(u))
        for combo, rows in _group_rows(picks[:, len(levels) :]).items():
            if combo not in cache:
                changed = _apply_choices(
                    nominal, list(alternatives), combo, alternatives
                )
                cache[combo] = prepare(data, catalogue, changed)
            plan = cache[combo]
            mult = {lv: np.ones((len(rows), sets[lv].shape[1])) for lv in NOISE_LEVELS}
            for i, lv in enumerate(levels):
                mult[lv] = sets[lv][picks[rows, i]]
            ranks = rank_scores(batch_index(plan, _noisy_weights(plan, mult)))
            out[rows] = np.nanmean(np.abs(ranks - nominal_ranks), axis=1)
        return out

    bounds = [(0.0, 1.0)] * len(names)
    return sensitivity_indices(model, bounds, n, names, n_bootstrap, seed=seed)
