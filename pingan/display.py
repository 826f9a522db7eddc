"""Tables and figures as the report notebooks show them, labelled in zh or en.

:func:`display_table` names areas and departments and puts a table's headers
and categorical values into one language. :func:`show_figure` displays a
figure with its title, axis labels and legend as the image's text, so the
executed notebook records what each figure says.
"""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from pingan.i18n import check_language, has_label, label

if TYPE_CHECKING:
    from pingan.datasets import Dataset

__all__ = ["display_table", "figure_text", "show_figure"]

#: Columns whose values are codes with a label ``"<column>.<value>"``.
_CODED = (
    "grade",
    "severity",
    "action",
    "status",
    "level",
    "warning_level",
    "recipient_type",
    "applied",
)


def _value_label(column: str, value: object, language: str) -> object:
    key = f"{column}.{value}"
    return label(key, language) if has_label(key) else value


def _header(name: object, language: str) -> object:
    return label(name, language) if isinstance(name, str) else name


def display_table(
    frame: pd.DataFrame,
    language: str = "zh",
    dataset: Dataset | None = None,
    keys: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Return ``frame`` ready to show, with headers and codes in ``language``.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table of pingan; it is not changed.
    language : {'zh', 'en'}, default='zh'
        Language of the headers and of the coded values.
    dataset : pingan.datasets.Dataset, optional
        When given, an ``area`` column with the area names is added after
        ``area_code`` (unless the table has one) and department ids in
        ``department`` are replaced by the departments' names.
    keys : dict of str to str, optional
        Label key of a column whose name means something else in this table,
        e.g. ``{"level": "warning_level"}``.

    Returns
    -------
    pandas.DataFrame
        Columns renamed with :func:`pingan.i18n.label` (a column without a
        label keeps its name). Values of coded columns such as ``grade``,
        ``status``, ``severity`` and ``action`` are labelled too. A table whose
        columns have a name (a pivot table) keeps its column values, labelling
        only coded ones, and gets its index and column names labelled.

    Examples
    --------
    >>> t = pd.DataFrame({"department": ["court"], "score": [99.5],
    ...                   "grade": ["green"]})
    >>> display_table(t, "zh").columns.tolist()
    ['部门', '得分', '等级']
    >>> display_table(t, "en")["Grade"].tolist()
    ['green']
    >>> display_table(t, "zh")["等级"].tolist()
    ['绿']
    """
    check_language(language)
    keys = keys or {}
    table = frame.copy()
    if dataset is not None:
        table = _named(table, dataset, language)
    for column in table.columns:
        key = keys.get(column, column)
        if key in _CODED:
            table[column] = table[column].map(
                lambda v, k=key: _value_label(k, v, language)
            )
    pivot = table.columns.name is not None
    if pivot:
        key = keys.get(table.columns.name, table.columns.name)
        table.columns = [_value_label(key, c, language) for c in table.columns]
        table.columns.name = _header(key, language)
    else:
        table.columns = [_header(keys.get(c, c), language) for c in table.columns]
    table.index = table.index.set_names(
        [_header(keys.get(n, n), language) for n in table.index.names]
    )
    return table


def _named(table: pd.DataFrame, dataset: Dataset, language: str) -> pd.DataFrame:
    """Add area names after ``area_code`` and name the departments."""
    if "area_code" in table.columns and "area" not in table.columns:
        names = table["area_code"].map(dataset.area_names(language))
        position = table.columns.get_loc("area_code") + 1
        table.insert(position, "area", names.fillna(table["area_code"]))
    if "department" in table.columns:
        names = dataset.department_names(language)
        table["department"] = table["department"].map(lambda d: names.get(d, d))
    return table


def figure_text(figure: Figure | Axes) -> str:
    """Return a figure's title, axis labels and legend entries, one per line.

    Each line starts with what it is: ``title:``, ``x:``, ``y:`` or
    ``legend:``. Empty texts are left out.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> _ = ax.set(title="Rank", xlabel="scheme", ylabel="rank")
    >>> print(figure_text(fig))
    title: Rank
    x: scheme
    y: rank
    >>> plt.close(fig)
    """
    fig = figure.figure if isinstance(figure, Axes) else figure
    lines = []
    if fig.get_suptitle():
        lines.append(f"title: {fig.get_suptitle()}")
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for loc in ("left", "center", "right"):
            if ax.get_title(loc):
                lines.append(f"title: {ax.get_title(loc)}")
        if ax.get_xlabel():
            lines.append(f"x: {ax.get_xlabel()}")
        if ax.get_ylabel():
            lines.append(f"y: {ax.get_ylabel()}")
        legend = ax.get_legend()
        if legend is not None:
            entries = [legend.get_title().get_text()]
            entries += [t.get_text() for t in legend.get_texts()]
            lines.append("legend: " + ", ".join(e for e in entries if e))
    return "\n".join(lines)


def show_figure(figure: Figure | Axes) -> None:
    """Display a figure as a PNG image in the notebook, then close it.

    The output's text is :func:`figure_text`, so the executed notebook
    stores the figure's title, axis labels and legend beside the image. A
    missing glyph warning from rendering goes to the cell's standard error.

    Parameters
    ----------
    figure : matplotlib.figure.Figure or matplotlib.axes.Axes
        The figure, or an axes of it.
    """
    from IPython.display import display

    fig = figure.figure if isinstance(figure, Axes) else figure
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    text = figure_text(fig)
    display(
        {
            "image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
            "text/plain": text,
        },
        raw=True,
        metadata={"image/png": {"alt": text}},
    )
    plt.close(fig)
