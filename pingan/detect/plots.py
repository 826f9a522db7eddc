"""Figures of the trend-methods notebook: power, detection delay, alarms by quarter."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from pingan._validation import check_columns
from pingan.i18n import check_language, label
from pingan.plotting import use_cjk_font

__all__ = ["plot_power", "plot_delay", "plot_alarm_counts"]


def _axes(width: float = 7.0, height: float = 4.0) -> tuple[Figure, plt.Axes]:
    """Return a new white-grid figure whose text uses the CJK font."""
    with sns.axes_style("whitegrid"):
        fig, ax = plt.subplots(figsize=(width, height))
    use_cjk_font()  # after the style, which would replace the font list
    return fig, ax


def _legend_outside(ax: plt.Axes, language: str) -> None:
    if ax.get_legend() is not None:
        sns.move_legend(
            ax, "upper left", bbox_to_anchor=(1, 1), title=label("detector", language)
        )


def plot_power(summary: pd.DataFrame, change: str, language: str = "zh") -> Figure:
    """Draw each detector's share of series with an alarm against the effect size.

    Parameters
    ----------
    summary : pandas.DataFrame
        From :func:`pingan.detect.summarise` (``detector``, ``effect``,
        ``alarm_rate``).
    change : str
        Kind of planted change, shown in the x label.
    language : {'zh', 'en'}, default='zh'
        Language of the title, axis labels and legend title.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> s = pd.DataFrame({"detector": ["cusum"] * 2, "effect": [0.0, 1.0],
    ...                   "alarm_rate": [0.1, 0.8]})
    >>> plot_power(s, "step", "en").axes[0].get_xlabel()
    'Effect size (step)'
    """
    check_columns(summary, ["detector", "effect", "alarm_rate"], "plot_power")
    check_language(language)
    fig, ax = _axes()
    sns.lineplot(
        data=summary, x="effect", y="alarm_rate", hue="detector", marker="o", ax=ax
    )
    ax.set_title(label("fig_power", language))
    ax.set_xlabel(label("fig_effect_axis", language, change=change))
    ax.set_ylabel(label("fig_power_y", language))
    _legend_outside(ax, language)
    return fig


def plot_delay(outcomes: pd.DataFrame, language: str = "zh") -> Figure:
    """Draw the detection delay of the detected series as boxes per effect size.

    Parameters
    ----------
    outcomes : pandas.DataFrame
        From :func:`pingan.detect.compare` (``detector``, ``effect``,
        ``detected``, ``delay`` in quarters).
    language : {'zh', 'en'}, default='zh'
        Language of the title, axis labels and legend title.

    Returns
    -------
    matplotlib.figure.Figure
        Only series with a change (effect above 0) that were detected.

    Examples
    --------
    >>> o = pd.DataFrame({"detector": ["cusum"] * 3, "effect": [0.0, 1.0, 1.0],
    ...                   "detected": [True, True, False], "delay": [0, 2, None]})
    >>> plot_delay(o, "zh").axes[0].get_ylabel()
    '延迟(季度)'
    """
    check_columns(outcomes, ["detector", "effect", "detected", "delay"], "plot_delay")
    check_language(language)
    detected = outcomes.loc[
        outcomes["detected"].astype(bool) & (outcomes["effect"] > 0)
    ]
    fig, ax = _axes()
    sns.boxplot(data=detected, x="effect", y="delay", hue="detector", ax=ax)
    ax.set_title(label("fig_delay", language))
    ax.set_xlabel(label("effect", language))
    ax.set_ylabel(label("fig_delay_y", language))
    _legend_outside(ax, language)
    return fig


def plot_alarm_counts(counts: pd.DataFrame, language: str = "zh") -> Figure:
    """Draw the number of series each detector flags in each quarter.

    Parameters
    ----------
    counts : pandas.DataFrame
        From :func:`pingan.detect.alarm_counts` (``quarter``, ``detector``,
        ``alarms``).
    language : {'zh', 'en'}, default='zh'
        Language of the title, axis labels and legend title.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> c = pd.DataFrame({"quarter": ["2019Q1", "2019Q2"], "detector": "cusum",
    ...                   "alarms": [2, 3]})
    >>> plot_alarm_counts(c, "en").axes[0].get_title()
    'Series flagged in each quarter'
    """
    check_columns(counts, ["quarter", "detector", "alarms"], "plot_alarm_counts")
    check_language(language)
    fig, ax = _axes()
    if len(counts):
        sns.lineplot(
            data=counts, x="quarter", y="alarms", hue="detector", marker="o", ax=ax
        )
    ax.set_title(label("fig_alarms", language))
    ax.set_xlabel(label("quarter", language))
    ax.set_ylabel(label("fig_alarms_y", language))
    ax.tick_params(axis="x", rotation=90)
    _legend_outside(ax, language)
    return fig
