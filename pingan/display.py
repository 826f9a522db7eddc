"""Tables and figures as the report notebooks show them, labelled in zh or en.

:func:`display_table` names areas and departments and puts a table's headers
and categorical values into one language. :func:`show_figure` displays a
figure with its title, axis labels and legend as the image's text, so the
executed notebook records what each figure shows.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from pingan._formats import (
    FILE_COLUMNS,
    decimals_for,
    format_column,
    is_p_value,
    relative_path,
)
from pingan.i18n import check_language, has_label, label, label_keys

if TYPE_CHECKING:
    from pingan.datasets import Dataset

__all__ = ["ReportTable", "display_table", "figure_text", "show_figure"]

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


def _header(name: object, language: str, region: str | None = None) -> object:
    return label(name, language, region=region) if isinstance(name, str) else name


#: Cells of a column whose values have at most this many characters never
#: wrap in the HTML. Chinese text may break between any two characters, so
#: without this a two-character level can be drawn one character a line.
_SHORT = 12


class ReportTable(pd.DataFrame):
    """A table of text cells that a notebook shows without its row numbers.

    :func:`display_table` returns it. Its HTML and plain-text forms leave out
    the index unless ``show_index`` is true, and cells of short columns do not
    wrap in the HTML, so a one-word level or status stays on one line beside
    a long text column. Operations on it return plain DataFrames.
    """

    _metadata = ["show_index", "empty_note"]
    show_index: bool
    empty_note: str = ""

    @property
    def _constructor(self):
        return pd.DataFrame

    def _repr_html_(self) -> str:
        if len(self) == 0 and self.empty_note:
            return f"<p><em>{html.escape(self.empty_note)}</em></p>"
        styler = self.style.format(escape="html").format_index(escape="html")
        styler = styler.format_index(escape="html", axis=1)
        if not self.show_index:
            styler = styler.hide(axis="index")
        nowrap = [
            {"selector": f"td.col{i}", "props": "white-space: nowrap;"}
            for i in range(self.shape[1])
            if self.iloc[:, i].astype(str).str.len().max() <= _SHORT
        ]
        styler.set_table_styles(nowrap)
        styler.set_table_attributes('class="dataframe"')
        styler.set_uuid(_table_id(self))
        return styler.to_html()

    def __repr__(self) -> str:
        if len(self) == 0 and self.empty_note:
            return self.empty_note
        return self.to_string(index=self.show_index)


def _table_id(table: pd.DataFrame) -> str:
    """Return an id fixed by the table's content, so reruns give the same HTML."""
    hashed = pd.util.hash_pandas_object(table.astype(str), index=False)
    return format(int(hashed.sum()) % 16**8, "08x")


def display_table(
    frame: pd.DataFrame,
    language: str = "zh",
    dataset: Dataset | None = None,
    keys: dict[str, str] | None = None,
    decimals: dict[str, int] | None = None,
    index: bool | None = None,
    folder: Path | None = None,
) -> ReportTable:
    """Return ``frame`` ready to show, with headers, codes and numbers as text.

    Parameters
    ----------
    frame : pandas.DataFrame
        A table of pingan; it is not changed.
    language : {'zh', 'en'}, default='zh'
        Language of the headers and of the coded values.
    dataset : pingan.datasets.Dataset, optional
        When given, an ``area`` column with the area names is added after
        ``area_code`` (unless the table has one), and a ``recipient`` column
        with the recipients' names after ``recipient_id``. Department ids in
        ``department`` are replaced by the departments' names. Headers that
        mean the whole territory use :meth:`Dataset.region_name`.
    keys : dict of str to str, optional
        Label key of a column whose name means something else in this table,
        e.g. ``{"level": "warning_level"}``.
    decimals : dict of str to int, optional
        Decimals of a float column, by its name in ``frame``, in place of
        the rule below.
    index : bool, optional
        Show the index. By default an index is shown only when it is
        meaningful: it has a name (a pivot's rows) or is not a plain integer
        index, so row numbers such as ``0, 1, 2`` are hidden.
    folder : pathlib.Path, optional
        Folder that the file paths in ``html`` and ``docx`` columns are shown
        relative to. A path outside it, or any path when it is not given, is
        shown by its file name.

    Returns
    -------
    ReportTable
        Columns renamed with :func:`pingan.i18n.label` (a column without a
        label keeps its name). Values of coded columns such as ``grade``,
        ``status``, ``severity`` and ``action`` are labelled too. A table whose
        columns have a name (a pivot table) keeps its column values, labelling
        only coded ones, and gets its index and column names labelled.
        A table without rows shows the note "(No rows.)" ("（无记录）") in
        place of its empty headers.

        Every cell is text. A missing value is ``—``, so it cannot be
        mistaken for a zero. A float column whose values are all whole
        numbers (counts stored as floats) has no decimals. Otherwise the
        column's name, or the key of the label it is headed with (the
        tables of :mod:`pingan.views`), sets the decimals: percentages
        (``*_pct``) 2; scores, points, index values and mean ranks 1; shares,
        fractions and correlations 3; p-values 3, or ``<0.001``. Any other column, which
        may mix units, shows whole values without decimals and others
        with 2 (see :func:`pingan._formats.decimals_for`).

    Examples
    --------
    >>> t = pd.DataFrame({"department": ["court"], "score": [99.5],
    ...                   "grade": ["green"], "n_findings": [2.0]})
    >>> display_table(t, "zh").columns.tolist()
    ['部门', '得分', '等级', '问题数']
    >>> display_table(t, "en")["Grade"].tolist()
    ['green']
    >>> display_table(t, "zh")["等级"].tolist()
    ['绿']
    >>> print(display_table(t.reindex([0, 1]), "en"))
    Department Score Grade Findings
         court  99.5 green        2
             —     —     —        —
    """
    check_language(language)
    keys = keys or {}
    table = frame.copy()
    region = None
    if dataset is not None:
        table = _named(table, dataset, language)
        region = dataset.region_name(language)
    table = _cells(table, language, keys, decimals or {}, folder, region)
    pivot = table.columns.name is not None
    if pivot:
        key = keys.get(table.columns.name, table.columns.name)
        table.columns = [_value_label(key, c, language) for c in table.columns]
        table.columns.name = _header(key, language, region)
    else:
        table.columns = [
            _header(keys.get(c, c), language, region) for c in table.columns
        ]
    table.index = table.index.set_names(
        [_header(keys.get(n, n), language, region) for n in table.index.names]
    )
    shown = ReportTable(table)
    shown.show_index = _meaningful(frame.index) if index is None else index
    shown.empty_note = label("table_empty", language)
    return shown


def _cells(
    table: pd.DataFrame,
    language: str,
    keys: dict[str, str],
    decimals: dict[str, int],
    folder: Path | None,
    region: str | None,
) -> pd.DataFrame:
    """Label coded values and turn every cell into text."""
    cells = {}
    for position, column in enumerate(table.columns):
        values = table.iloc[:, position]
        key = keys.get(column, column)
        if key in _CODED:
            values = values.map(lambda v, k=key: _value_label(k, v, language))
        elif pd.api.types.is_bool_dtype(values) or _holds_booleans(values):
            values = values.map(
                lambda v: (
                    label(f"bool.{bool(v)}", language) if pd.api.types.is_bool(v) else v
                )
            )
        if column in FILE_COLUMNS:
            values = values.map(lambda v: relative_path(v, folder), na_action="ignore")
        kind = _column_kind(column, language, region)
        cells[position] = format_column(values, kind, decimals.get(column))
    text = pd.DataFrame(cells, index=table.index)
    text.columns = table.columns
    return text


def _holds_booleans(values: pd.Series) -> bool:
    """Return whether an object column holds only True, False and missing values."""
    present = values.dropna()
    return (
        values.dtype == object
        and len(present) > 0
        and all(pd.api.types.is_bool(v) for v in present)
    )


def _column_kind(column: object, language: str, region: str | None) -> object:
    """Return the name that sets a column's number format.

    A column already headed by its label, as :mod:`pingan.views` returns
    them, is formatted as the key of that label, so ``Safety index`` gets
    the one decimal of ``index``.
    """
    if not isinstance(column, str) or decimals_for(column) is not None:
        return column
    if is_p_value(column):
        return column
    for key in label_keys(column, language, region):
        if decimals_for(key) is not None or is_p_value(key):
            return key
    return column


def _meaningful(index: pd.Index) -> bool:
    """Return whether an index carries information rather than row numbers."""
    if any(name is not None for name in index.names):
        return True
    return not pd.api.types.is_integer_dtype(index)


def _area_names(dataset: Dataset, language: str) -> pd.Series:
    """Return the area names by code, with the pooled territory by its region name.

    The scoring pools all areas under the code :data:`pingan.scoring.COUNTY`.
    """
    from pingan.scoring import COUNTY

    region = dataset.region_name(language)
    pooled = pd.Series({COUNTY: region[:1].upper() + region[1:]})
    return pd.concat([dataset.area_names(language), pooled])


def _named(table: pd.DataFrame, dataset: Dataset, language: str) -> pd.DataFrame:
    """Add area and recipient names beside their codes and name the departments."""
    if "area_code" in table.columns and "area" not in table.columns:
        names = table["area_code"].map(_area_names(dataset, language))
        position = table.columns.get_loc("area_code") + 1
        table.insert(position, "area", names.fillna(table["area_code"]))
    if "recipient_id" in table.columns and "recipient" not in table.columns:
        names = pd.concat(
            [dataset.area_names(language), dataset.department_names(language)]
        )
        names = names[~names.index.duplicated()]
        recipients = table["recipient_id"].map(names).fillna(table["recipient_id"])
        position = table.columns.get_loc("recipient_id") + 1
        table.insert(position, "recipient", recipients)
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
