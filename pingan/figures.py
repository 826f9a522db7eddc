"""Figures of the quarterly report. Chinese labels use the bundled CJK font."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from pingan.i18n import label
from pingan.plotting import use_cjk_font

__all__ = ["domain_heatmap", "index_trend", "core_change_bars", "core_watch_chart"]


def domain_heatmap(matrix: pd.DataFrame, language: str = "zh") -> Figure:
    """Draw areas x domains scores (percent of points) as an annotated heatmap.

    Parameters
    ----------
    matrix : pandas.DataFrame
        From :func:`pingan.views.domain_matrix`.
    language : {'zh', 'en'}, default='zh'
        Language of the title.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> m = pd.DataFrame({"政治安全": [90.0, 60.0]}, index=["仁德街道", "塘子街道"])
    >>> domain_heatmap(m).axes[0].get_title()
    '各区域分领域得分率(%)'
    """
    use_cjk_font()
    height = 1.2 + 0.35 * len(matrix)
    fig, ax = plt.subplots(figsize=(1.6 + 1.3 * matrix.shape[1], height))
    sns.heatmap(
        matrix,
        annot=True,
        fmt=".0f",
        cmap="RdYlGn",
        vmin=0,
        vmax=100,
        cbar_kws={"label": "%"},
        ax=ax,
    )
    ax.set_title(label("heatmap_title", language))
    ax.set_xlabel(label("domain", language))
    ax.set_ylabel("")
    fig.tight_layout()
    return fig


def index_trend(history: pd.DataFrame, language: str = "zh") -> Figure:
    """Draw each area's index over time as small multiples.

    Parameters
    ----------
    history : pandas.DataFrame
        From :func:`pingan.views.index_history` (``quarter, area, index``).
    language : {'zh', 'en'}, default='zh'

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> h = pd.DataFrame({"quarter": ["2025Q1", "2025Q2"], "area": "仁德街道",
    ...                   "index": [80.0, 85.0]})
    >>> len(index_trend(h).axes)
    1
    """
    use_cjk_font()
    areas = list(dict.fromkeys(history["area"]))
    cols = min(4, len(areas))
    rows = -(-len(areas) // cols)
    fig, axes = plt.subplots(
        rows,
        cols,
        figsize=(3.2 * cols, 2.2 * rows),
        sharex=True,
        sharey=True,
        squeeze=False,
    )
    for ax, area in zip(axes.ravel(), areas, strict=False):
        part = history.loc[history["area"] == area]
        ax.plot(part["quarter"], part["index"], marker="o", lw=1.5)
        ax.set_title(area, fontsize=9)
        ax.tick_params(axis="x", labelrotation=90, labelsize=7)
        ax.grid(alpha=0.3)
    for ax in axes.ravel()[len(areas) :]:
        ax.set_visible(False)
    fig.suptitle(label("trend_title", language))
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.5 / fig.get_figheight()))
    return fig


def core_change_bars(
    table: pd.DataFrame, language: str = "zh", region: str | None = None
) -> Figure:
    """Draw the core indicators' year-on-year changes as horizontal bars.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`pingan.views.core_changes`; ``year_change_pct`` is used
        when present (fourth quarters), else ``yoy_change_pct``.
    language : {'zh', 'en'}, default='zh'
    region : str, optional
        Name of the whole territory in the title
        (:meth:`pingan.datasets.Dataset.region_name`); the county by default.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> t = pd.DataFrame({"name": ["电诈立案数"], "yoy_change_pct": [-5.19]})
    >>> core_change_bars(t).axes[0].get_title()
    '核心指标全县上报合计同比变化(%)(第四季度为全年合计)'
    """
    use_cjk_font()
    column = "year_change_pct" if "year_change_pct" in table else "yoy_change_pct"
    values = table[column].fillna(0.0)
    fig, ax = plt.subplots(figsize=(7, 0.6 + 0.5 * len(table)))
    colours = ["#c0392b" if v > 0 else "#27ae60" for v in values]
    ax.barh(table["name"], values, color=colours)
    for y, v in enumerate(table[column]):
        # Labels sit on the side of zero away from the bar's end, inside the axes.
        text = "n/a" if pd.isna(v) else f"{v:+.2f}%"
        right = pd.isna(v) or v < 0
        ax.annotate(
            text,
            (0, y),
            va="center",
            xytext=(4 if right else -4, 0),
            textcoords="offset points",
            ha="left" if right else "right",
        )
    ax.axvline(0, color="black", lw=0.8)
    low, high = min(0.0, float(values.min())), max(0.0, float(values.max()))
    pad = 0.3 * (high - low) or 1.0
    ax.set_xlim(low - pad, high + pad)
    ax.set_title(label("core_title", language, region=region))
    ax.invert_yaxis()
    fig.tight_layout()
    return fig


def core_watch_chart(
    flags: pd.DataFrame,
    names: dict[str, str],
    language: str = "zh",
    region: str | None = None,
) -> Figure:
    """Draw each core indicator's county series, marking flagged quarters in red.

    Parameters
    ----------
    flags : pandas.DataFrame
        From :func:`pingan.watch.core_flags`.
    names : dict of str to str
        Indicator id to the name shown as each panel's title.
    language : {'zh', 'en'}, default='zh'
    region : str, optional
        Name of the whole territory in the titles
        (:meth:`pingan.datasets.Dataset.region_name`); the county by default.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> f = pd.DataFrame({"indicator": "SO04", "quarter": pd.period_range(
    ...     "2025Q1", periods=3, freq="Q"), "value": [5.0, 9.0, 4.0],
    ...     "methods": ["", "ears_c2", ""]})
    >>> len(core_watch_chart(f, {"SO04": "电诈立案数"}).axes)
    1
    """
    use_cjk_font()
    idents = list(dict.fromkeys(flags["indicator"]))
    cols = min(2, len(idents))
    rows = -(-len(idents) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(6 * cols, 2.6 * rows), squeeze=False)
    for ax, ident in zip(axes.ravel(), idents, strict=False):
        part = flags.loc[flags["indicator"] == ident]
        labels = part["quarter"].astype(str)
        ax.plot(labels, part["value"], marker="o", color="#34495e", lw=1.5)
        hit = part["methods"].ne("")
        ax.scatter(
            labels[hit],
            part.loc[hit, "value"],
            color="#c0392b",
            zorder=3,
            s=60,
            label=label("flagged", language),
        )
        total = label("county_total", language, region=region)
        title = f"{names.get(ident, ident)}: {total}"
        ax.set_title(title, fontsize=10)
        ax.tick_params(axis="x", labelrotation=90, labelsize=7)
        ax.grid(alpha=0.3)
        if hit.any():
            ax.legend(fontsize=8, loc="upper left")
    for ax in axes.ravel()[len(idents) :]:
        ax.set_visible(False)
    fig.suptitle(label("watch_title", language, region=region))
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.5 / fig.get_figheight()))
    return fig
