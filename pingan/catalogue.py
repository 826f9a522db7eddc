"""The indicator catalogue and the framework of dimensions and domains.

The catalogue lists what data the index needs: one row per indicator with its
names, unit, direction, responsible department(s), place in the hierarchy
(indicator -> dimension -> domain -> index), points out of 100, denominator
and scoring method. ``docs/data-format.md`` describes the file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pingan._read import read_table
from pingan.exceptions import InputError, Problem

__all__ = [
    "METHODS",
    "METHOD_PARAMS",
    "VALUE_TYPES",
    "read_catalogue",
    "read_framework",
    "validate_catalogue",
    "parse_params",
]

METHODS = ("goalpost", "minmax", "benchmark", "deduction", "target")
VALUE_TYPES = ("count", "amount", "percent", "ratio")
#: Parameters accepted by each method; the required ones are listed first.
METHOD_PARAMS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "goalpost": ((), ("low", "high")),
    "minmax": ((), ()),
    "benchmark": ((), ("weight_county", "tolerance")),
    "deduction": (("per_event",), ()),
    "target": (("target",), ("span",)),
}

_ALIASES = {
    "indicator": ["指标代码", "指标编号", "id"],
    "name_zh": ["中文名称", "指标名称"],
    "name_en": ["英文名称"],
    "unit": ["单位", "unit_zh"],
    "unit_en": ["英文单位"],
    "value_type": ["数值类型"],
    "direction": ["方向"],
    "department": ["责任单位", "部门"],
    "dimension": ["维度"],
    "domain": ["领域"],
    "points": ["分值"],
    "denominator": ["分母"],
    "scale": ["比例基数"],
    "method": ["计分方法"],
    "params": ["参数"],
    "core": ["核心指标"],
}
_REQUIRED = ["indicator", "direction", "department", "dimension", "domain", "points"]
_DIRECTIONS = {"-1": -1, "1": 1, "+1": 1, "neg": -1, "pos": 1, "负向": -1, "正向": 1}
_TRUE = {"true", "1", "yes", "y", "是"}
_FALSE = {"false", "0", "no", "n", "否", ""}


def parse_params(text: str) -> dict[str, float]:
    """Parse ``"key=value; key=value"`` into a dict of floats.

    Parameters
    ----------
    text : str
        Parameters separated by ``;``; an empty string gives ``{}``.

    Returns
    -------
    dict of str to float

    Raises
    ------
    ValueError
        If an item has no ``=`` or its value is not a number.

    Examples
    --------
    >>> parse_params("per_event=2.5; cap = 10")
    {'per_event': 2.5, 'cap': 10.0}
    >>> parse_params("")
    {}
    """
    params: dict[str, float] = {}
    for item in str(text).split(";"):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"parameter {item.strip()!r} is not written key=value")
        params[key.strip()] = float(value)
    return params


def read_framework(path: str | Path) -> pd.DataFrame:
    """Read ``framework.csv``: the dimensions and domains with their names.

    Parameters
    ----------
    path : str or path-like
        The CSV file (UTF-8 or GBK).

    Returns
    -------
    pandas.DataFrame
        Columns ``code``, ``level`` (``'dimension'`` or ``'domain'``),
        ``parent`` (a dimension's domain; empty for a domain), ``name_zh``,
        ``name_en``.

    Raises
    ------
    InputError
        If a column is missing, a level is invalid, a code repeats or a
        dimension's parent is not a domain; every problem is listed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "framework.csv"
    >>> _ = f.write_text("code,level,parent,name_zh,name_en\\n"
    ...                  "SO,domain,,社会治安,Public order\\n"
    ...                  "SO04d,dimension,SO,电信诈骗,Telecom fraud\\n")
    >>> read_framework(f)[["code", "level", "parent"]]
        code      level parent
    0     SO     domain
    1  SO04d  dimension     SO
    """
    aliases = {"code": ["代码"], "level": ["层级"], "parent": ["上级"]}
    aliases |= {"name_zh": ["中文名称"], "name_en": ["英文名称"]}
    table = read_table(Path(path), aliases, ["code", "level", "parent"])
    for column in ("name_zh", "name_en"):
        if column not in table:
            table[column] = table["code"]
    problems = []
    domains = set(table.loc[table["level"] == "domain", "code"])
    for i, row in table.iterrows():
        where = {"file": str(path), "row": int(i) + 2}
        if row["level"] not in ("dimension", "domain"):
            problems.append(
                Problem(
                    "level must be 'dimension' or 'domain'.",
                    column="level",
                    value=row["level"],
                    **where,
                )
            )
        elif row["level"] == "dimension" and row["parent"] not in domains:
            problems.append(
                Problem(
                    "the dimension's parent is not a domain in this file.",
                    column="parent",
                    value=row["parent"],
                    **where,
                )
            )
    for code in table.loc[table["code"].duplicated(), "code"]:
        problems.append(
            Problem("duplicate code.", file=str(path), column="code", value=code)
        )
    if problems:
        raise InputError(problems)
    return table[["code", "level", "parent", "name_zh", "name_en"]]


def read_catalogue(
    path: str | Path,
    framework: pd.DataFrame | None = None,
    departments: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Read and validate ``catalogue.csv``.

    Parameters
    ----------
    path : str or path-like
        The catalogue file (UTF-8 or GBK; English or Chinese headers).
    framework : pandas.DataFrame, optional
        From :func:`read_framework`; when given, every dimension and domain
        must be in it.
    departments : pandas.DataFrame, optional
        With a ``department`` column; when given, every responsible
        department must be in it.

    Returns
    -------
    pandas.DataFrame
        One row per indicator with the columns of ``docs/data-format.md``:
        ``indicator, name_zh, name_en, unit, unit_en`` (the unit in English,
        empty if not given), ``value_type, direction`` (int, -1 or 1),
        ``department`` (str, ids joined by ``|``), ``dimension, domain,
        points`` (float), ``denominator, scale`` (float), ``method``,
        ``params`` (dict), ``core`` (bool).

    Raises
    ------
    InputError
        Listing every offending indicator at once: duplicate ids, points that
        are not numbers or do not sum to 100, invalid directions, methods,
        parameters, value types or denominators, and unknown dimensions,
        domains or departments.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "catalogue.csv"
    >>> _ = f.write_text(
    ...     "indicator,direction,department,dimension,domain,points,method,params\\n"
    ...     "A,-1,police,D1,SO,60,minmax,\\n"
    ...     "B,1,court,D2,DI,40,target,target=95\\n")
    >>> read_catalogue(f)[["indicator", "direction", "points", "params"]]
      indicator  direction  points           params
    0         A         -1    60.0               {}
    1         B          1    40.0  {'target': 95.0}
    """
    table = read_table(Path(path), _ALIASES, _REQUIRED)
    table = _fill_defaults(table)
    problems = _check_rows(table, str(path))
    problems += _check_references(table, str(path), framework, departments)
    if not problems:
        problems += _check_points_total(table, str(path))
    if problems:
        raise InputError(problems)
    return _typed(table)


def validate_catalogue(catalogue: pd.DataFrame) -> pd.DataFrame:
    """Validate an in-memory catalogue (e.g. an edited copy) and return it typed.

    Parameters
    ----------
    catalogue : pandas.DataFrame
        With at least the columns ``indicator, direction, department,
        dimension, domain, points``; ``params`` may be text or dicts.

    Returns
    -------
    pandas.DataFrame
        As :func:`read_catalogue` returns.

    Raises
    ------
    InputError
        As :func:`read_catalogue`, with ``row`` the 0-based position.

    Examples
    --------
    >>> cat = pd.DataFrame({"indicator": ["A", "A"], "direction": [-1, 2],
    ...     "department": "p", "dimension": "d", "domain": "D",
    ...     "points": [50, 50], "method": "minmax"})
    >>> try:
    ...     validate_catalogue(cat)
    ... except InputError as err:
    ...     print(len(err.problems))
    2
    """
    table = catalogue.copy()
    if "params" in table and table["params"].map(lambda p: isinstance(p, dict)).all():
        table["params"] = table["params"].map(
            lambda p: "; ".join(f"{k}={v}" for k, v in p.items())
        )
    table = table.astype({c: str for c in table.columns if c != "params"})
    table = _fill_defaults(table.rename(columns=str))
    problems = _check_rows(table, "catalogue", row_offset=0)
    if not problems:
        problems += _check_points_total(table, "catalogue")
    if problems:
        raise InputError(problems)
    return _typed(table)


def _fill_defaults(table: pd.DataFrame) -> pd.DataFrame:
    """Add optional columns with their documented defaults."""
    defaults = {
        "name_zh": None,
        "name_en": None,
        "unit": "",
        "unit_en": "",
        "value_type": "count",
        "denominator": "none",
        "scale": "1",
        "method": "minmax",
        "params": "",
        "core": "false",
    }
    table = table.copy()
    for column, default in defaults.items():
        if column not in table:
            table[column] = table["indicator"] if default is None else default
        table[column] = table[column].fillna("" if default is None else default)
    table.loc[table["scale"].eq(""), "scale"] = "1"
    table.loc[table["denominator"].eq(""), "denominator"] = "none"
    table.loc[table["value_type"].eq(""), "value_type"] = "count"
    return table


def _check_rows(table: pd.DataFrame, source: str, row_offset: int = 2) -> list[Problem]:
    """Check each row on its own; return every problem found."""
    problems: list[Problem] = []
    for i, row in table.reset_index(drop=True).iterrows():
        for column, message in _row_problems(row):
            problems.append(
                Problem(
                    f"indicator {row['indicator']}: {message}",
                    file=source,
                    row=int(i) + row_offset,
                    column=column,
                    value=row[column],
                )
            )
    table = table.reset_index(drop=True)
    for i in table.index[table["indicator"].duplicated()]:
        first = int(table.index[table["indicator"] == table.at[i, "indicator"]][0])
        problems.append(
            Problem(
                f"duplicate indicator id (first used in row {first + row_offset}).",
                file=source,
                row=int(i) + row_offset,
                column="indicator",
                value=table.at[i, "indicator"],
                hint="Give each indicator its own id.",
            )
        )
    return problems


def _row_problems(row: pd.Series) -> list[tuple[str, str]]:
    """Return (column, message) for each invalid field of one catalogue row."""
    found = []
    if str(row["direction"]).strip().lower() not in _DIRECTIONS:
        found.append(
            (
                "direction",
                "direction must be -1 (higher is worse) or 1 (higher is better).",
            )
        )
    if not _is_number(row["points"]) or float(row["points"]) < 0:
        found.append(("points", "points must be a number of at least 0."))
    if not _is_number(row["scale"]) or float(row["scale"]) <= 0:
        found.append(("scale", "scale must be a positive number, e.g. 10000."))
    if row["denominator"] not in ("population", "none"):
        found.append(("denominator", "denominator must be 'population' or 'none'."))
    if row["value_type"] not in VALUE_TYPES:
        found.append(
            ("value_type", f"value_type must be one of {', '.join(VALUE_TYPES)}.")
        )
    if str(row["core"]).strip().lower() not in _TRUE | _FALSE:
        found.append(("core", "core must be true or false."))
    if row["method"] not in METHODS:
        found.append(("method", f"method must be one of {', '.join(METHODS)}."))
    elif (message := _params_problem(row["method"], row["params"])) is not None:
        found.append(("params", message))
    return found


def _params_problem(method: str, text: str) -> str | None:
    """Return what is wrong with a method's parameters, or None."""
    try:
        params = parse_params(text)
    except ValueError as exc:
        return f"invalid params: {exc}."
    required, optional = METHOD_PARAMS[method]
    missing = [k for k in required if k not in params]
    unknown = [k for k in params if k not in required + optional]
    if missing:
        return f"method {method} needs the parameter(s) {', '.join(missing)}."
    if unknown:
        allowed = ", ".join(required + optional) or "none"
        return (
            f"method {method} does not take {', '.join(unknown)} (allowed: {allowed})."
        )
    return None


def _check_references(
    table: pd.DataFrame,
    source: str,
    framework: pd.DataFrame | None,
    departments: pd.DataFrame | None,
) -> list[Problem]:
    """Check dimensions, domains and departments against their own tables."""
    problems: list[Problem] = []
    if framework is not None:
        parents = framework.loc[framework["level"] == "dimension"].set_index("code")
        domains = set(framework.loc[framework["level"] == "domain", "code"])
        for i, row in table.reset_index(drop=True).iterrows():
            where = {"file": source, "row": int(i) + 2}
            if row["dimension"] not in parents.index:
                problems.append(
                    Problem(
                        f"indicator {row['indicator']}: unknown dimension (parent).",
                        column="dimension",
                        value=row["dimension"],
                        hint="Add it to framework.csv or correct the code.",
                        **where,
                    )
                )
            elif parents.loc[row["dimension"], "parent"] != row["domain"]:
                problems.append(
                    Problem(
                        f"indicator {row['indicator']}: its dimension belongs to "
                        f"domain {parents.loc[row['dimension'], 'parent']!r} in "
                        "framework.csv.",
                        column="domain",
                        value=row["domain"],
                        **where,
                    )
                )
            if row["domain"] not in domains:
                problems.append(
                    Problem(
                        f"indicator {row['indicator']}: unknown domain (parent).",
                        column="domain",
                        value=row["domain"],
                        **where,
                    )
                )
    if departments is not None:
        known = set(departments["department"])
        for i, row in table.reset_index(drop=True).iterrows():
            for dept in str(row["department"]).split("|"):
                if dept.strip() not in known:
                    problems.append(
                        Problem(
                            f"indicator {row['indicator']}: unknown department.",
                            column="department",
                            value=dept.strip(),
                            file=source,
                            row=int(i) + 2,
                            hint="Add it to departments.csv.",
                        )
                    )
    return problems


def _check_points_total(table: pd.DataFrame, source: str) -> list[Problem]:
    """Check that the points of all indicators sum to 100."""
    points = table["points"].astype(float)
    total = points.sum()
    if abs(total - 100.0) <= 1e-6:
        return []
    by_domain = points.groupby(table["domain"]).sum()
    detail = ", ".join(f"{d} {p:g}" for d, p in by_domain.items())
    return [
        Problem(
            f"the points sum to {total:g}, not 100 (by domain: {detail}).",
            file=source,
            column="points",
            hint="Adjust the points so that they sum to 100.",
        )
    ]


def _is_number(text: object) -> bool:
    try:
        float(str(text))
    except ValueError:
        return False
    return True


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    """Convert validated text columns to their documented types."""
    out = table.reset_index(drop=True).copy()
    out["direction"] = out["direction"].str.strip().str.lower().map(_DIRECTIONS)
    out["direction"] = out["direction"].astype(int)
    out["points"] = out["points"].astype(float)
    out["scale"] = out["scale"].astype(float)
    out["params"] = out["params"].map(parse_params)
    out["core"] = out["core"].str.strip().str.lower().isin(_TRUE)
    out["department"] = out["department"].map(
        lambda d: "|".join(p.strip() for p in str(d).split("|"))
    )
    columns = [
        "indicator",
        "name_zh",
        "name_en",
        "unit",
        "unit_en",
        "value_type",
        "direction",
        "department",
        "dimension",
        "domain",
        "points",
        "denominator",
        "scale",
        "method",
        "params",
        "core",
    ]
    return out[columns]
