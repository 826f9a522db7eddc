"""Figures of the scheme comparison: rank shifts, rank uncertainty, Sobol indices."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from pingan._validation import check_columns
from pingan.i18n import check_language, label
from pingan.plotting import use_cjk_font

__all__ = ["plot_rank_shifts", "plot_rank_uncertainty", "plot_sensitivity"]


def _labels(codes: pd.Series, names: pd.Series | None) -> list[str]:
    if names is None:
        return [str(c) for c in codes]
    return [str(names.get(c, c)) for c in codes]


def plot_rank_shifts(
    table: pd.DataFrame, names: pd.Series | None = None, language: str = "zh"
) -> Figure:
    """Draw each area's rank under every scheme, joined by lines.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`pingan.composite.rank_table` (``scheme``, ``area_code``,
        ``rank``, ``rank_shift``).
    names : pandas.Series, optional
        Area names indexed by area code (default: the codes).
    language : {'zh', 'en'}, default='zh'
        Language of the title and axis labels.

    Returns
    -------
    matplotlib.figure.Figure
        Rank 1 at the top; lines of areas whose rank moves by 3 or more
        places from the reference scheme are highlighted.

    Examples
    --------
    >>> t = pd.DataFrame({"scheme": ["a", "a", "b", "b"], "area_code": ["x", "y"] * 2,
    ...                   "rank": [1, 2, 2, 1], "rank_shift": [0, 0, -1, 1]})
    >>> len(plot_rank_shifts(t).axes[0].lines)
    2
    """
    check_columns(
        table, ["scheme", "area_code", "rank", "rank_shift"], "plot_rank_shifts"
    )
    check_language(language)
    use_cjk_font()
    wide = table.pivot(index="area_code", columns="scheme", values="rank")
    wide = wide[list(pd.unique(table["scheme"]))].astype(float)
    moved = table.groupby("area_code")["rank_shift"].apply(lambda s: s.abs().max())
    fig, ax = plt.subplots(figsize=(1.8 + 1.6 * wide.shape[1], 1.5 + 0.28 * len(wide)))
    x = np.arange(wide.shape[1])
    for code, ranks in wide.iterrows():
        strong = moved[code] >= 3
        ax.plot(x, ranks.to_numpy(), marker="o", lw=2 if strong else 0.8,
                alpha=1.0 if strong else 0.4)  # fmt: skip
    first = wide.iloc[:, 0].sort_values()
    ax.set_yticks(first.to_numpy(), _labels(first.index.to_series(), names))
    ax.set_xticks(x, wide.columns)
    ax.invert_yaxis()
    ax.set_xlabel(label("scheme", language))
    ax.set_ylabel(label("fig_rank_shifts_y", language))
    ax.set_title(label("fig_rank_shifts", language))
    fig.tight_layout()
    return fig


def plot_rank_uncertainty(
    summary: pd.DataFrame, names: pd.Series | None = None, language: str = "zh"
) -> Figure:
    """Draw each area's 5-95 % rank interval, median and nominal rank.

    Parameters
    ----------
    summary : pandas.DataFrame
        ``UncertaintyResult.summary`` from
        :func:`pingan.composite.rank_uncertainty`.
    names : pandas.Series, optional
        Area names indexed by area code.
    language : {'zh', 'en'}, default='zh'
        Language of the title, axis labels and legend.

    Returns
    -------
    matplotlib.figure.Figure
        One horizontal bar per area, sorted by nominal rank.

    Examples
    --------
    >>> s = pd.DataFrame({"area_code": ["x", "y"], "nominal_rank": [1, 2],
    ...                   "median_rank": [1.0, 2.0], "q05_rank": [1.0, 1.0],
    ...                   "q95_rank": [2.0, 2.0]})
    >>> len(plot_rank_uncertainty(s).axes)
    1
    """
    needed = ["area_code", "nominal_rank", "median_rank", "q05_rank", "q95_rank"]
    check_columns(summary, needed, "plot_rank_uncertainty")
    check_language(language)
    use_cjk_font()
    data = summary.sort_values("nominal_rank").reset_index(drop=True)
    y = np.arange(len(data))
    fig, ax = plt.subplots(figsize=(7, 1.2 + 0.28 * len(data)))
    ax.hlines(y, data["q05_rank"], data["q95_rank"], lw=6, color="tab:blue", alpha=0.35,
              label=label("fig_draws_band", language))  # fmt: skip
    ax.plot(data["median_rank"], y, "o", color="tab:blue",
            label=label("fig_median", language))  # fmt: skip
    ax.plot(data["nominal_rank"].astype(float), y, "k|", ms=12,
            label=label("fig_nominal", language))  # fmt: skip
    ax.set_yticks(y, _labels(data["area_code"], names))
    ax.invert_yaxis()
    ax.set_xlabel(label("fig_rank_axis", language))
    ax.set_ylabel(label("area", language))
    ax.set_title(label("fig_uncertainty", language))
    ax.legend(loc="upper right")
    fig.tight_layout()
    return fig


def plot_sensitivity(table: pd.DataFrame, language: str = "zh") -> Figure:
    """Draw first-order and total Sobol indices with their intervals.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`pingan.composite.scheme_sensitivity` or
        :func:`pingan.composite.sensitivity_indices`.
    language : {'zh', 'en'}, default='zh'
        Language of the title, axis labels and legend.

    Returns
    -------
    matplotlib.figure.Figure
        Paired bars per input: ``s1`` and ``st``, with bootstrap intervals
        when present.

    Examples
    --------
    >>> t = pd.DataFrame({"factor": ["w"], "s1": [0.5], "s1_low": [0.4],
    ...                   "s1_high": [0.6], "st": [0.7], "st_low": [0.6],
    ...                   "st_high": [0.8]})
    >>> len(plot_sensitivity(t).axes[0].patches)
    2
    """
    check_columns(table, ["factor", "s1", "st"], "plot_sensitivity")
    check_language(language)
    use_cjk_font()
    fig, ax = plt.subplots(figsize=(1.5 + 1.3 * len(table), 3.5))
    x = np.arange(len(table))
    for offset, key, name in (
        (-0.2, "s1", "fig_first_order"),
        (0.2, "st", "fig_total"),
    ):
        low, high = table.get(f"{key}_low"), table.get(f"{key}_high")
        err = None
        if low is not None and high is not None and low.notna().all():
            err = np.vstack([table[key] - low, high - table[key]]).clip(min=0)
        ax.bar(x + offset, table[key], width=0.4, yerr=err, capsize=3,
               label=label(name, language))  # fmt: skip
    ax.set_xticks(x, table["factor"])
    ax.set_xlabel(label("factor", language))
    ax.set_ylabel(label("fig_sensitivity_y", language))
    ax.axhline(0, color="black", lw=0.8)
    ax.legend()
    ax.set_title(label("fig_sensitivity", language))
    fig.tight_layout()
    return fig
