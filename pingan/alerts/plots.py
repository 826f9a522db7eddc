"""Figures of the warnings and year-end review notebooks."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from pingan._validation import check_columns
from pingan.i18n import check_language, label
from pingan.plotting import use_cjk_font

__all__ = ["plot_register_status", "plot_annual_change"]

_STATUS_ORDER = ("open", "improved", "persisting", "escalated", "closed")


def plot_register_status(register: pd.DataFrame, language: str = "zh") -> Figure:
    """Draw the warnings of each quarter checked as bars stacked by status.

    Parameters
    ----------
    register : pandas.DataFrame
        The warnings register (``quarter_checked``, ``status``).
    language : {'zh', 'en'}, default='zh'
        Language of the title, axis labels and legend.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> r = pd.DataFrame({"quarter_checked": ["2025Q3", "2025Q4", "2025Q4"],
    ...                   "status": ["open", "improved", "open"]})
    >>> fig = plot_register_status(r, "en")
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['open', 'improved']
    """
    check_columns(register, ["quarter_checked", "status"], "plot_register_status")
    check_language(language)
    use_cjk_font()
    counts = (
        register.groupby(["quarter_checked", "status"]).size().unstack(fill_value=0)
    )
    order = [s for s in _STATUS_ORDER if s in counts.columns]
    counts = counts[order + [s for s in counts.columns if s not in order]]
    counts.columns = [label(f"status.{s}", language) for s in counts.columns]
    fig, ax = plt.subplots(figsize=(7, 3))
    if len(counts):
        counts.plot(kind="bar", stacked=True, ax=ax)
        ax.legend(
            title=label("status", language), loc="upper left", bbox_to_anchor=(1, 1)
        )
    ax.set_title(label("fig_register", language))
    ax.set_xlabel(label("fig_register_x", language))
    ax.set_ylabel(label("fig_register_y", language))
    return fig


def plot_annual_change(
    index: pd.DataFrame, names: pd.Series, year: int, language: str = "zh"
) -> Figure:
    """Draw each area's change of the annual index on the year before as bars.

    Parameters
    ----------
    index : pandas.DataFrame
        ``AnnualResult.index`` of :func:`pingan.alerts.review_year`
        (``area_code``, ``index_change`` in index points).
    names : pandas.Series
        Area names indexed by area code.
    year : int
        The year reviewed.
    language : {'zh', 'en'}, default='zh'
        Language of the title and axis labels.

    Returns
    -------
    matplotlib.figure.Figure
        Largest fall at the top. An area without an annual index has no bar.

    Examples
    --------
    >>> i = pd.DataFrame({"area_code": ["a", "b"], "index_change": [1.5, -2.0]})
    >>> fig = plot_annual_change(i, pd.Series({"a": "A", "b": "B"}), 2025, "en")
    >>> fig.axes[0].get_title()
    'Annual index change, 2025 on 2024'
    """
    check_columns(index, ["area_code", "index_change"], "plot_annual_change")
    check_language(language)
    use_cjk_font()
    changes = index.assign(
        name=index["area_code"].map(names).fillna(index["area_code"])
    )
    changes = changes.sort_values("index_change", ascending=False)
    fig, ax = plt.subplots(figsize=(7, 1 + 0.3 * len(changes)))
    ax.barh(changes["name"], changes["index_change"].fillna(0.0), color="#36c")
    ax.axvline(0, color="0.4")
    ax.set_title(label("fig_annual_change", language, year=year, previous=year - 1))
    ax.set_xlabel(label("fig_annual_change_x", language))
    ax.set_ylabel(label("area", language))
    return fig
