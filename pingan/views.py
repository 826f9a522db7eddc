"""Report-ready tables built from a scored quarter, labelled in zh or en.

These functions only select, rename and round: every number comes from
:func:`pingan.pipeline.run_quarter`. Rounding happens here, at display time;
ranks and grades were computed on unrounded scores.
"""

from __future__ import annotations

import pandas as pd

from pingan.i18n import check_language, label
from pingan.pipeline import QuarterResult, data_notes

__all__ = [
    "title",
    "area_names",
    "indicator_names",
    "headline",
    "ranking_table",
    "domain_matrix",
    "index_history",
    "core_changes",
    "core_changes_display",
    "notes_table",
    "watch_table",
]


def title(result: QuarterResult, language: str = "zh") -> str:
    """Return the report's title block as Markdown.

    It names the dataset, the quarter, the source and licence, and, for a
    synthetic dataset, states in bold that the numbers are not real.

    Examples
    --------
    >>> from pingan.pipeline import run_quarter
    >>> res = run_quarter("xundian-example", "2025Q4", write=False)
    >>> "SYNTHETIC" in title(res, "en")
    True
    """
    check_language(language)
    ds = result.dataset
    lines = [
        f"# {ds.title(language)}: {label('report', language)} {result.quarter}",
        "",
        f"{label('source', language)}: {str(ds.meta.get('source', '')).strip()}  ",
        f"{label('licence', language)}: {ds.meta.get('licence', '')}",
    ]
    if ds.kind == "synthetic":
        lines += ["", f"**{label('synthetic', language)}**"]
    return "\n".join(lines)


def area_names(result: QuarterResult, language: str = "zh") -> pd.Series:
    """Return area names in ``language`` indexed by area code (code if unnamed).

    Examples
    --------
    >>> from pingan.pipeline import run_quarter
    >>> res = run_quarter("xundian-example", "2025Q4", write=False)
    >>> area_names(res, "zh")["530129001"]
    '仁德街道'
    """
    return result.dataset.area_names(language)


def indicator_names(result: QuarterResult, language: str = "zh") -> dict[str, str]:
    """Return indicator names in ``language`` keyed by indicator id.

    Examples
    --------
    >>> from pingan.pipeline import run_quarter
    >>> res = run_quarter("xundian-example", "2025Q4", write=False)
    >>> indicator_names(res, "en")["SO04"]
    'Telecom and online fraud cases filed per 10,000 residents'
    """
    check_language(language)
    cat = result.dataset.catalogue.set_index("indicator")
    return cat[f"name_{language}"].to_dict()


def _indicator_names(result: QuarterResult, language: str) -> pd.Series:
    return pd.Series(indicator_names(result, language))


def headline(result: QuarterResult, language: str = "zh") -> pd.DataFrame:
    """Summarise the quarter: county index, best and worst areas, largest changes.

    Returns
    -------
    pandas.DataFrame
        Two columns, ``item`` and ``value`` (text), one row per headline
        figure, labelled in ``language``.

    Examples
    --------
    >>> from pingan.pipeline import run_quarter
    >>> res = run_quarter("xundian-example", "2025Q4", write=False)
    >>> headline(res, "en")["item"].tolist()[:2]
    ['Index of all areas pooled', 'Mean index of the areas']
    """
    check_language(language)
    zh = language == "zh"
    cur = result.current
    names = area_names(result, language)
    best, worst = cur.iloc[0], cur.iloc[-1]
    moved = cur.dropna(subset=["qoq_change"]).sort_values("qoq_change")
    rows = [
        (
            "全部区域合并计算的指数" if zh else "Index of all areas pooled",
            f"{cur['county_index'].iloc[0]:.1f}",
        ),
        (
            "区域平均指数" if zh else "Mean index of the areas",
            f"{cur['county_mean'].iloc[0]:.1f}",
        ),
        (
            "最高" if zh else "Highest",
            f"{names[best['area_code']]} {best['index']:.1f}",
        ),
        (
            "最低" if zh else "Lowest",
            f"{names[worst['area_code']]} {worst['index']:.1f}",
        ),
    ]
    if len(moved):
        up, down = moved.iloc[-1], moved.iloc[0]
        rows += [
            (
                "环比上升最多" if zh else "Largest rise on last quarter",
                f"{names[up['area_code']]} {up['qoq_change']:+.1f}",
            ),
            (
                "环比下降最多" if zh else "Largest fall on last quarter",
                f"{names[down['area_code']]} {down['qoq_change']:+.1f}",
            ),
        ]
    counts = cur["grade"].value_counts()
    grades = ", ".join(
        f"{label(g, language)} {int(counts.get(g, 0))}"
        for g in ("green", "yellow", "orange", "red")
    )
    rows.append(("等级分布" if zh else "Grades", grades))
    return pd.DataFrame(rows, columns=["item", "value"])


def ranking_table(result: QuarterResult, language: str = "zh") -> pd.DataFrame:
    """Return the quarter's ranking with grades and changes, rounded to 0.1.

    Examples
    --------
    >>> from pingan.pipeline import run_quarter
    >>> res = run_quarter("xundian-example", "2025Q4", write=False)
    >>> ranking_table(res, "en").columns.tolist()[:3]
    ['Rank', 'Area', 'Safety index']
    """
    check_language(language)
    cur = result.current
    region = result.dataset.region_name(language)
    table = pd.DataFrame(
        {
            label("rank", language): cur["rank"],
            label("area", language): cur["area_code"].map(area_names(result, language)),
            label("index", language): cur["index"].round(1),
            label("grade", language): cur["grade"].map(lambda g: label(g, language)),
            label("qoq_change", language): cur["qoq_change"].round(1),
            label("yoy_change", language): cur["yoy_change"].round(1),
            label("vs_county_mean", language, region=region): cur[
                "vs_county_mean"
            ].round(1),
        }
    )
    if (cur["coverage"] < 1).any():
        table[label("coverage", language)] = cur["coverage"].round(3)
    return table


def domain_matrix(result: QuarterResult, language: str = "zh") -> pd.DataFrame:
    """Return areas x domains score percentages for the quarter.

    Rows are area names in ranking order, columns domain names; values are
    percent of the domain's points earned.

    Examples
    --------
    >>> from pingan.pipeline import run_quarter
    >>> res = run_quarter("xundian-example", "2025Q4", write=False)
    >>> domain_matrix(res, "en").shape
    (16, 5)
    """
    check_language(language)
    lv = result.level_scores
    part = lv.loc[
        (lv["quarter"] == result.quarter)
        & (lv["level"] == "domain")
        & (lv["area_code"].isin(result.current["area_code"]))
    ]
    matrix = part.pivot(index="area_code", columns="code", values="score_pct")
    fw = result.dataset.framework.set_index("code")
    order = [d for d in fw.index if d in matrix.columns]
    matrix = matrix.loc[result.current["area_code"], order]
    matrix.index = matrix.index.map(area_names(result, language))
    matrix.columns = [fw.loc[c, f"name_{language}"] or c for c in order]
    matrix.index.name = label("area", language)
    return matrix


def index_history(
    result: QuarterResult, language: str = "zh", quarters: int = 8
) -> pd.DataFrame:
    """Return each area's index over the last ``quarters`` quarters (tidy).

    Columns: ``quarter`` (str), ``area`` (name), ``index``.

    Examples
    --------
    >>> from pingan.pipeline import run_quarter
    >>> res = run_quarter("xundian-example", "2025Q4", write=False)
    >>> sorted(index_history(res, "en")["quarter"].unique())[0]
    '2024Q1'
    """
    check_language(language)
    first = result.quarter - (quarters - 1)
    part = result.index.loc[result.index["quarter"] >= first]
    return pd.DataFrame(
        {
            "quarter": part["quarter"].astype(str),
            "area": part["area_code"].map(area_names(result, language)),
            "index": part["index"],
        }
    ).sort_values(["area", "quarter"], ignore_index=True)


def core_changes(result: QuarterResult, language: str = "zh") -> pd.DataFrame:
    """Return the core indicators' county totals and year-on-year changes.

    For the reporting quarter: the total and its change on the same quarter a
    year earlier; and, in a fourth quarter, the whole year's total against
    the year before.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator`` (id), ``name``, ``unit``, ``total``,
        ``yoy_change_pct``, ``yoy_reason`` and, in a fourth quarter,
        ``year_total``, ``previous_year_total``, ``year_change_pct``.

    Examples
    --------
    >>> from pingan.pipeline import run_quarter
    >>> res = run_quarter("xundian-example", "2025Q4", write=False)
    >>> t = core_changes(res, "en").set_index("indicator")
    >>> t["year_change_pct"].round(2).loc[["SO04", "SO05"]].tolist()
    [-5.19, -11.95]
    """
    from pingan.scoring import annual_totals

    check_language(language)
    core = result.dataset.core_indicators
    cat = result.dataset.catalogue.set_index("indicator")
    ct = result.county_totals
    cur = ct.loc[(ct["quarter"] == result.quarter) & ct["indicator"].isin(core)]
    table = pd.DataFrame(
        {
            "indicator": cur["indicator"].to_numpy(),
            "name": cur["indicator"].map(cat[f"name_{language}"]).to_numpy(),
            "unit": cur["indicator"].map(result.dataset.units(language)).to_numpy(),
            "total": cur["total"].to_numpy(),
            "yoy_change_pct": cur["yoy_change_pct"].to_numpy(),
            "yoy_reason": cur["yoy_reason"].to_numpy(),
        }
    )
    if result.quarter.quarter == 4:
        year = annual_totals(result.values, result.quarter.year, core)
        year = year.set_index("indicator").reindex(table["indicator"])
        table["year_total"] = year["total"].to_numpy()
        table["previous_year_total"] = year["previous_total"].to_numpy()
        table["year_change_pct"] = year["change_pct"].to_numpy()
    return table


def core_changes_display(result: QuarterResult, language: str = "zh") -> pd.DataFrame:
    """Return :func:`core_changes` rounded and with headers in ``language``.

    ``total`` is the county total of the submitted values in the catalogue's
    unit (for a rate indicator, the count before dividing by population).

    Examples
    --------
    >>> from pingan.pipeline import run_quarter
    >>> res = run_quarter("xundian-example", "2025Q4", write=False)
    >>> core_changes_display(res, "zh").columns[:3].tolist()
    ['指标', '名称', '单位']
    """
    table = core_changes(result, language).round(2)
    names = {c: label(c, language) for c in table.columns}
    names["total"] = label("submitted_total", language)
    return table.rename(columns=names)


def watch_table(result: QuarterResult, language: str = "zh") -> pd.DataFrame:
    """Return the core-indicator watch (:func:`pingan.watch.core_watch`) for display.

    Examples
    --------
    >>> from pingan.pipeline import run_quarter
    >>> res = run_quarter("xundian-example", "2025Q4", write=False)
    >>> len(watch_table(res, "en"))
    4
    >>> watch_table(res, "en").columns[-1]
    'Flagged quarters'
    """
    from pingan.watch import core_watch

    check_language(language)
    table = core_watch(result).drop(columns="reason")
    table.insert(1, "name", table["indicator"].map(_indicator_names(result, language)))
    table["trend"] = table["trend"].map(lambda t: label(t, language))
    table = table.round({"trend_p": 3, "sen_slope": 2, "change_p": 3})
    table = table.rename(columns={"flagged": "flagged_quarters"})
    return table.rename(columns={c: label(c, language) for c in table.columns})


def notes_table(result: QuarterResult, language: str = "zh") -> pd.DataFrame:
    """Return the data notes (rejected, missing, carried forward, estimated).

    Examples
    --------
    >>> from pingan.pipeline import run_quarter
    >>> res = run_quarter("xundian-example", "2024Q4", write=False)
    >>> "duplicate_identical" in notes_table(res, "en")["Rule"].tolist()
    True
    """
    check_language(language)
    notes = data_notes(result)
    return notes.rename(columns={c: label(c, language) for c in notes.columns})
