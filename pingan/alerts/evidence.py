"""A warning's evidence written for readers, in zh or en.

The warnings table and the watch list store the evidence as machine-readable
text, ``key=value`` pairs joined by ``"; "`` (``value=20.80; base=11.18``).
:func:`describe_evidence` turns one such text into a phrase in the report
language, and :func:`readable_evidence` does it for a whole table. The stored
text, in the register and the CSV files, stays as it is.
"""

from __future__ import annotations

import math

import pandas as pd

from pingan.i18n import check_language, has_label, label

__all__ = ["describe_evidence", "readable_evidence"]

#: Order of the evidence keys in a phrase; keys not listed follow in their
#: stored order.
_ORDER = (
    "value",
    "index",
    "grade",
    "rank",
    "areas",
    "bottom_ranks",
    "points",
    "base_points",
    "base",
    "change_pct",
    "change",
    "threshold",
    "past_change_sd",
    "k",
    "county_mean",
    "count",
    "base_count",
    "increase",
    "p_value",
    "p_adjusted",
    "dispersion",
    "methods",
    "flagged_by",
    "required",
    "sen_slope",
    "window",
    "n",
    "late_days",
)

#: Keys that count things; whole values are shown without decimals.
_COUNTS = {
    "count",
    "base_count",
    "increase",
    "areas",
    "rank",
    "bottom_ranks",
    "flagged_by",
    "required",
    "window",
    "n",
    "late_days",
}

#: The text that pingan.alerts.rules writes for a missing value.
_MISSING = "NA"


def _parse(evidence: str) -> dict[str, object]:
    """Split stored evidence into its keys and values, numbers as floats."""
    parsed: dict[str, object] = {}
    for part in str(evidence).split("; "):
        key, separator, text = part.partition("=")
        if not separator:
            continue
        if text == _MISSING:
            parsed[key] = None
            continue
        try:
            parsed[key] = float(text)
        except ValueError:
            parsed[key] = text
    return parsed


def _format(key: str, value: object, language: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if not isinstance(value, float):
        if key == "grade" and has_label(f"grade.{value}"):
            return label(f"grade.{value}", language)
        return str(value)
    if key in ("p_value", "p_adjusted"):
        return "< 0.001" if value < 0.001 else f"= {value:.3f}"
    if key == "change_pct":
        return f"{value:+.2f}%"
    if key == "change":
        return f"{value:+.2f}"
    if key in _COUNTS and value.is_integer():
        return f"{value:.0f}"
    return f"{value:.2f}"


def describe_evidence(
    evidence: str, language: str = "zh", region: str | None = None
) -> str:
    """Write stored evidence as a phrase in ``language``.

    Parameters
    ----------
    evidence : str
        The ``evidence`` text of a warning, ``key=value`` pairs joined by
        ``"; "``, with ``NA`` for a missing value.
    language : {'zh', 'en'}, default='zh'
        Language of the phrase.
    region : str, optional
        Name of the dataset's whole territory in ``language``
        (:meth:`pingan.datasets.Dataset.region_name`) for the mean of all
        areas. Default: the county.

    Returns
    -------
    str
        The parts joined by ``，`` in Chinese and ``, `` in English. Counts
        have no decimals when whole, percentage changes a sign and ``%``,
        p-values 3 decimals or ``< 0.001``, and other numbers 2 decimals. A
        key without a label is shown by its name.

    Examples
    --------
    >>> text = "value=20.80; base=11.18; change_pct=86.06; count=177.00"
    >>> describe_evidence(text, "zh")
    '本季度 20.80，上年同期 11.18，变化 +86.06%，计数 177'
    >>> describe_evidence("value=20.80; county_mean=26.88", "en", region="London")
    'this quarter 20.80, London mean 26.88'
    """
    check_language(language)
    parsed = _parse(evidence)
    rank = {key: position for position, key in enumerate(_ORDER)}
    keys = sorted(parsed, key=lambda k: rank.get(k, len(_ORDER)))
    parts = []
    for key in keys:
        value = _format(key, parsed[key], language)
        if has_label(f"evidence.{key}"):
            parts.append(label(f"evidence.{key}", language, value=value, region=region))
        else:
            parts.append(f"{key} {value}")
    return ("，" if language == "zh" else ", ").join(parts)


def readable_evidence(
    table: pd.DataFrame, language: str = "zh", region: str | None = None
) -> pd.DataFrame:
    """Return a copy of ``table`` with its ``evidence`` column written for readers.

    Each cell becomes :func:`describe_evidence` of it; a missing cell stays
    missing. A table without an ``evidence`` column is returned as a copy.

    Examples
    --------
    >>> table = pd.DataFrame({"evidence": ["late_days=4.00"]})
    >>> readable_evidence(table, "en")["evidence"].tolist()
    ['days late 4']
    """
    check_language(language)
    shown = table.copy()
    if "evidence" in shown.columns:
        shown["evidence"] = shown["evidence"].map(
            lambda text: describe_evidence(text, language, region),
            na_action="ignore",
        )
    return shown
