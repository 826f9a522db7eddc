"""Areas (townships, boroughs, divisions), their names and their population.

Area codes are text: ``"530129001"`` and ``"E09000002"`` keep their leading
characters exactly. A name in a submission is matched against codes, Chinese
and English names and the listed aliases after folding width and spaces, so
``仁德``, ``仁德街道`` and ``仁德　街道`` (with a full-width space) all resolve.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from pingan._read import normalise_text, read_table
from pingan.exceptions import DataQualityWarning, InputError, Problem

__all__ = [
    "read_areas",
    "read_population",
    "AreaResolver",
    "population_for_quarters",
]


def read_areas(path: str | Path) -> pd.DataFrame:
    """Read ``areas.csv``.

    Parameters
    ----------
    path : str or path-like
        CSV with ``area_code`` and names (UTF-8 or GBK).

    Returns
    -------
    pandas.DataFrame
        Columns ``area_code`` (str), ``name_zh``, ``name_en``, ``type``,
        ``aliases`` (list of str).

    Raises
    ------
    InputError
        If a column is missing or a code or name is used by two areas.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "areas.csv"
    >>> text = ("area_code,name_zh,name_en,type,aliases\\n"
    ...         "530129001,仁德街道,Rende,街道,仁德|仁德镇\\n")
    >>> _ = f.write_text(text, encoding="utf-8")
    >>> read_areas(f).loc[0, "aliases"]
    ['仁德', '仁德镇']
    """
    aliases = {
        "area_code": ["代码", "区划代码", "code"],
        "name_zh": ["名称", "中文名称"],
        "name_en": ["英文名称", "name"],
        "type": ["类型"],
        "aliases": ["别名"],
    }
    table = read_table(Path(path), aliases, ["area_code"])
    for column in ("name_zh", "name_en", "type", "aliases"):
        if column not in table:
            table[column] = ""
    table["aliases"] = table["aliases"].map(
        lambda text: [a.strip() for a in str(text).split("|") if a.strip()]
    )
    table = table[["area_code", "name_zh", "name_en", "type", "aliases"]]
    repeated = table.index[table["area_code"].duplicated()]
    if len(repeated):
        raise InputError(
            [
                Problem(
                    "the area code appears twice.",
                    file=str(path),
                    row=int(i) + 2,
                    column="area_code",
                    value=table.at[i, "area_code"],
                    hint="Give each area one row.",
                )
                for i in repeated
            ]
        )
    AreaResolver(table, source=str(path))  # raises on clashing names
    return table.reset_index(drop=True)


def read_population(
    path: str | Path, areas: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Read ``population.csv``: persons per area and calendar year.

    Parameters
    ----------
    path : str or path-like
        CSV with ``area_code``, ``year``, ``population`` and optionally
        ``estimate``.
    areas : pandas.DataFrame, optional
        From :func:`read_areas`; when given, unknown codes are errors.

    Returns
    -------
    pandas.DataFrame
        Columns ``area_code`` (str), ``year`` (int), ``population`` (float,
        persons), ``estimate`` (bool).

    Raises
    ------
    InputError
        Naming every row whose year or population is not a positive number,
        whose area is unknown, or which repeats an area and year.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "population.csv"
    >>> _ = f.write_text("area_code,year,population\\nA,2024,1200\\n")
    >>> read_population(f)
      area_code  year  population  estimate
    0         A  2024      1200.0     False
    """
    aliases = {"area_code": ["代码"], "year": ["年份"], "population": ["人口"]}
    table = read_table(Path(path), aliases | {"estimate": ["估计"]}, list(aliases))
    if "estimate" not in table:
        table["estimate"] = "false"
    problems = []
    known = set(areas["area_code"]) if areas is not None else None
    for i, row in table.reset_index(drop=True).iterrows():
        where = {"file": str(path), "row": int(i) + 2}
        if not row["year"].isdigit():
            problems.append(
                Problem(
                    "year must be a whole number.",
                    column="year",
                    value=row["year"],
                    **where,
                )
            )
        pop = pd.to_numeric(row["population"], errors="coerce")
        if not pop > 0:
            problems.append(
                Problem(
                    "population must be a positive number.",
                    column="population",
                    value=row["population"],
                    **where,
                )
            )
        if known is not None and row["area_code"] not in known:
            problems.append(
                Problem(
                    "unknown area code.",
                    column="area_code",
                    value=row["area_code"],
                    hint="Add the area to areas.csv.",
                    **where,
                )
            )
    dup = table.duplicated(["area_code", "year"])
    for _, row in table.loc[dup].iterrows():
        problems.append(
            Problem(
                "the area and year appear twice.",
                file=str(path),
                column="year",
                value=f"{row['area_code']} {row['year']}",
            )
        )
    if problems:
        raise InputError(problems)
    out = pd.DataFrame(
        {
            "area_code": table["area_code"].astype(str),
            "year": table["year"].astype(int),
            "population": table["population"].astype(float),
            "estimate": table["estimate"].str.lower().isin(["true", "1", "yes", "是"]),
        }
    )
    return out.reset_index(drop=True)


class AreaResolver:
    """Match area codes, names and aliases to area codes.

    Parameters
    ----------
    areas : pandas.DataFrame
        From :func:`read_areas`.
    source : str, default="areas"
        Name of the areas table, used in error messages.

    Raises
    ------
    InputError
        If one folded name would point to two different areas.

    Examples
    --------
    >>> areas = pd.DataFrame({"area_code": ["530129001", "530129002"],
    ...     "name_zh": ["仁德街道", "塘子街道"], "name_en": ["Rende", "Tangzi"],
    ...     "type": "街道", "aliases": [["仁德"], []]})
    >>> r = AreaResolver(areas)
    >>> r.lookup(["仁德　街道", "530129002", "Tangzi", "仁德"])["match"].tolist()
    ['name', 'code', 'name', 'alias']
    >>> r.resolve(["仁德"])
    ['530129001']
    """

    def __init__(self, areas: pd.DataFrame, source: str = "areas") -> None:
        self.areas = areas
        self._index: dict[str, tuple[str, str]] = {}
        problems = []
        for _, row in areas.iterrows():
            keys = [(row["area_code"], "code")]
            keys += [(row[c], "name") for c in ("name_zh", "name_en") if row[c]]
            keys += [(a, "alias") for a in row["aliases"]]
            for text, how in keys:
                key = normalise_text(text)
                held = self._index.get(key)
                if held is not None and held[0] != row["area_code"]:
                    problems.append(
                        Problem(
                            f"the name is used by areas {held[0]} and "
                            f"{row['area_code']}.",
                            file=source,
                            column="aliases",
                            value=text,
                            hint="Each code, name and alias must belong to one area.",
                        )
                    )
                elif held is None:
                    self._index[key] = (row["area_code"], how)
        if problems:
            raise InputError(problems)

    def nearest(self, name: str, n: int = 3) -> list[str]:
        """Return up to ``n`` known names closest to ``name``."""
        labels = {}
        for _, row in self.areas.iterrows():
            for text in [row["name_zh"], row["name_en"], row["area_code"]]:
                if text:
                    labels[normalise_text(text)] = text
        close = difflib.get_close_matches(normalise_text(name), list(labels), n, 0.3)
        return [labels[c] for c in close]

    def lookup(self, names: Iterable[object]) -> pd.DataFrame:
        """Match names without raising.

        Returns
        -------
        pandas.DataFrame
            One row per name, in order, with ``name`` (as given),
            ``area_code`` (str, NaN if unknown) and ``match`` (``'code'``,
            ``'name'``, ``'alias'`` or NaN).
        """
        rows = []
        for name in names:
            code, how = self._index.get(normalise_text(name), (np.nan, np.nan))
            rows.append({"name": name, "area_code": code, "match": how})
        return pd.DataFrame(rows, columns=["name", "area_code", "match"])

    def resolve(self, names: Iterable[object], source: str | None = None) -> list[str]:
        """Return the area code of each name, raising on any unknown name.

        Raises
        ------
        InputError
            Listing every unknown name with the nearest known ones.
        """
        found = self.lookup(names)
        unknown = found.loc[found["area_code"].isna(), "name"].unique()
        if len(unknown):
            raise InputError(
                [
                    Problem(
                        f"unknown area; nearest known: {', '.join(self.nearest(n))}.",
                        file=source,
                        value=n,
                        hint="Correct the name or add it as an alias in areas.csv.",
                    )
                    for n in unknown
                ]
            )
        return found["area_code"].tolist()


def population_for_quarters(
    population: pd.DataFrame, quarters: Iterable[pd.Period]
) -> pd.DataFrame:
    """Give each area and quarter the population of its calendar year.

    Parameters
    ----------
    population : pandas.DataFrame
        From :func:`read_population`.
    quarters : iterable of pandas.Period
        Calendar quarters.

    Returns
    -------
    pandas.DataFrame
        One row per area and quarter: ``quarter`` (Period), ``area_code``,
        ``population`` (persons), ``population_year`` (int, the year used),
        ``population_imputed`` (bool, True when the quarter's own year is
        not in the file and the nearest year was used instead).

    Warns
    -----
    DataQualityWarning
        When any population is taken from another year, with the count.

    Examples
    --------
    >>> pop = pd.DataFrame({"area_code": "A", "year": [2023, 2024],
    ...                     "population": [100.0, 110.0], "estimate": False})
    >>> qs = pd.PeriodIndex(["2024Q4", "2025Q1"], freq="Q")
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     population_for_quarters(pop, qs)
      quarter area_code  population  population_year  population_imputed
    0  2024Q4         A       110.0             2024               False
    1  2025Q1         A       110.0             2024                True
    """
    import warnings

    rows = []
    for code, group in population.groupby("area_code", sort=True):
        years = group["year"].to_numpy()
        values = group.set_index("year")["population"]
        for q in quarters:
            year = int(years[np.argmin(np.abs(years - q.year))])
            rows.append((q, code, float(values[year]), year, year != q.year))
    columns = [
        "quarter",
        "area_code",
        "population",
        "population_year",
        "population_imputed",
    ]
    out = pd.DataFrame(rows, columns=columns)
    out["quarter"] = pd.PeriodIndex(out["quarter"], freq="Q-DEC")
    n_imputed = int(out["population_imputed"].sum())
    if n_imputed:
        warnings.warn(
            f"{n_imputed} area-quarter population(s) taken from the nearest "
            "available year.",
            DataQualityWarning,
            stacklevel=2,
        )
    return out.sort_values(["quarter", "area_code"], ignore_index=True)
