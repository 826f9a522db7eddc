"""Build the real ``london`` dataset: MPS recorded crime by borough, by quarter.

The builder reads the two files in ``data/raw/london/source/``: monthly crime
counts by borough and minor category from the Metropolitan Police Service,
and ONS mid-year population estimates. It writes one submission
``<quarter>/mps.csv`` per calendar quarter, with eleven indicators grouped in
five domains.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pingan.datasets._build import (
    CATALOGUE_COLUMNS,
    check_catalogue_points,
    project_source_dir,
    write_csv,
    write_single_department,
)

__all__ = ["build", "catalogue_table", "read_monthly"]

NAME = "london"
CRIME_FILE = "london_borough_crime_monthly_long.csv.gz"
POPULATION_FILE = "london_borough_population_ons_mye_2011_2024.csv"

#: MPS major category -> indicator id. Fraud is left out of the index.
INDICATOR_OF_MAJOR = {
    "VIOLENCE AGAINST THE PERSON": "VIO",
    "SEXUAL OFFENCES": "SEX",
    "ROBBERY": "ROB",
    "POSSESSION OF WEAPONS": "WPN",
    "BURGLARY": "BUR",
    "THEFT": "THF",
    "VEHICLE OFFENCES": "VEH",
    "ARSON AND CRIMINAL DAMAGE": "DAM",
    "PUBLIC ORDER OFFENCES": "PUB",
    "DRUG OFFENCES": "DRG",
    "MISCELLANEOUS CRIMES AGAINST SOCIETY": "MSC",
}
EXCLUDED_MAJORS = {
    "FRAUD AND FORGERY": "fraud: recorded by Action Fraud and NFIB from 2013",
    "NFIB FRAUD": "fraud: recorded by Action Fraud and NFIB from 2013",
}

#: (code, name_zh, name_en)
DOMAINS = [
    ("VS", "暴力与性犯罪", "Violence and sexual offences"),
    ("RW", "抢劫与持械", "Robbery and weapons"),
    ("PR", "财产犯罪", "Property crime"),
    ("PD", "公共秩序与毒品", "Public order and drugs"),
    ("OT", "其他妨害社会犯罪", "Other crimes against society"),
]

#: Indicators watched for trends: the largest offence against the person, and
#: burglary, whose series crosses the April 2023 reclassification.
CORE = {"VIO", "BUR"}

#: indicator, dimension, domain, name_zh, name_en, points
INDICATORS = [
    ("VIO", "VS1", "VS", "侵害人身暴力犯罪", "Violence against the person", 20),
    ("SEX", "VS2", "VS", "性犯罪", "Sexual offences", 10),
    ("ROB", "RW1", "RW", "抢劫", "Robbery", 12),
    ("WPN", "RW2", "RW", "非法持有武器", "Possession of weapons", 8),
    ("BUR", "PR1", "PR", "入室盗窃", "Burglary (all types)", 10),
    ("THF", "PR2", "PR", "盗窃", "Theft", 8),
    ("VEH", "PR3", "PR", "涉车犯罪", "Vehicle offences", 6),
    ("DAM", "PR4", "PR", "纵火与刑事毁坏", "Arson and criminal damage", 6),
    ("PUB", "PD1", "PD", "扰乱公共秩序", "Public order offences", 8),
    ("DRG", "PD2", "PD", "毒品犯罪", "Drug offences", 7),
    ("MSC", "OT1", "OT", "其他妨害社会犯罪", "Miscellaneous crimes against society", 5),
]

#: GSS code -> (name_zh, aliases). The Chinese names are informal
#: transliterations, not official names.
BOROUGHS = {
    "E09000002": ("巴金-达格纳姆", "Barking & Dagenham|Barking"),
    "E09000003": ("巴尼特", ""),
    "E09000004": ("贝克斯利", ""),
    "E09000005": ("布伦特", ""),
    "E09000006": ("布罗姆利", ""),
    "E09000007": ("卡姆登", ""),
    "E09000008": ("克罗伊登", ""),
    "E09000009": ("伊灵", ""),
    "E09000010": ("恩菲尔德", ""),
    "E09000011": ("格林尼治", "Royal Borough of Greenwich"),
    "E09000012": ("哈克尼", ""),
    "E09000013": ("哈默史密斯-富勒姆", "Hammersmith & Fulham"),
    "E09000014": ("哈林盖", ""),
    "E09000015": ("哈罗", ""),
    "E09000016": ("黑弗灵", ""),
    "E09000017": ("希灵登", ""),
    "E09000018": ("豪恩斯洛", ""),
    "E09000019": ("伊斯灵顿", ""),
    "E09000020": ("肯辛顿-切尔西", "Kensington & Chelsea"),
    "E09000021": ("泰晤士河畔金斯顿", "Kingston"),
    "E09000022": ("兰贝斯", ""),
    "E09000023": ("刘易舍姆", ""),
    "E09000024": ("默顿", ""),
    "E09000025": ("纽汉", ""),
    "E09000026": ("雷德布里奇", ""),
    "E09000027": ("泰晤士河畔里士满", "Richmond"),
    "E09000028": ("萨瑟克", ""),
    "E09000029": ("萨顿", ""),
    "E09000030": ("陶尔哈姆莱茨", ""),
    "E09000031": ("沃尔瑟姆福里斯特", ""),
    "E09000032": ("旺兹沃思", ""),
    "E09000033": ("威斯敏斯特", "City of Westminster"),
}

NOTES = """\
Real data: notifiable offences recorded by the Metropolitan Police Service
(MPS) per London borough, summed from months to calendar quarters. Contains
public sector information licensed under the Open Government Licence v3.0
(crime: Metropolitan Police Service; population: ONS, Crown copyright).
Quarters: 2010Q2-2025Q3, the quarters with all three months published;
2025Q4 has only October and November and is left out.
Indicators: 11 MPS major categories, scored as offences per 1,000 residents
per quarter with goalposts (minimum and maximum over all boroughs and the
reference quarters 2022Q1-2024Q4). Rates use residents, so central boroughs
with many visitors (Westminster, Camden, Kensington and Chelsea) have very
high rates and set the upper goalposts of theft and robbery.
Core indicators (watched for trends): VIO and BUR.
Burglary is the sum of all burglary minor categories, so it stays consistent
over the April 2023 reclassification (DOMESTIC BURGLARY replaced by RES
BURGLARY OF A HOME and RES BURGLARY OF UNCONNECTED BUILDING).
Fraud (FRAUD AND FORGERY, NFIB FRAUD) is left out of the index because
recording moved to Action Fraud and the NFIB in 2013; its counts, and those
of the 'Unknown' and 'London Heathrow and London City Airports' rows, are
listed per quarter in excluded_counts.csv.
Areas: the 32 boroughs. The City of London has its own police force and no
rows in the MPS data, so it is not an area.
Population: ONS mid-year estimates 2011-2024 (all estimates). Quarters of
2010 use 2011 and quarters of 2025 use 2024 (nearest year).
Drug offences and possession of weapons depend strongly on police activity
(stop and search), so a rise can mean more enforcement, not more crime.
"""


def catalogue_table() -> pd.DataFrame:
    """Return the 11-indicator London catalogue as written to ``catalogue.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns of ``catalogue.csv``; rates per 1,000 residents
        (``denominator=population``, ``scale=1000``), ``direction=-1``,
        ``method=goalpost`` without fixed goalposts.

    Examples
    --------
    >>> table = catalogue_table()
    >>> len(table), int(table["points"].sum())
    (11, 100)
    """
    rows = [
        (
            ind,
            zh,
            en,
            "起",
            "offences",
            "count",
            -1,
            "mps",
            dim,
            dom,
            pts,
            "population",
            1000,
            "goalpost",
            "",
            "true" if ind in CORE else "false",
        )
        for ind, dim, dom, zh, en, pts in INDICATORS
    ]
    table = pd.DataFrame(rows, columns=CATALOGUE_COLUMNS)
    check_catalogue_points(table, NAME)
    return table


def read_monthly(source_dir: Path) -> pd.DataFrame:
    """Read the monthly MPS counts of ``source_dir``.

    Parameters
    ----------
    source_dir : pathlib.Path
        Folder holding ``london_borough_crime_monthly_long.csv.gz``.

    Returns
    -------
    pandas.DataFrame
        One row per area, month and minor category: ``area_code`` (str, empty
        for Unknown and the airports), ``area_name``, ``month`` (``YYYY-MM``),
        ``quarter`` (``YYYYQn``), ``major_category``, ``minor_category``
        (str) and ``count`` (int64).

    Examples
    --------
    >>> from pingan.config import raw_dir
    >>> monthly = read_monthly(raw_dir("london") / "source")
    >>> monthly["month"].min(), monthly["month"].max()
    ('2010-04', '2025-11')
    """
    columns = [
        "area_code",
        "area_name",
        "month",
        "quarter",
        "major_category",
        "minor_category",
    ]
    table = pd.read_csv(
        Path(source_dir) / CRIME_FILE,
        dtype={c: str for c in columns},
        keep_default_na=False,
    )
    return table[[*columns, "count"]].astype({"count": "int64"})


def _complete_quarters(monthly: pd.DataFrame) -> list[str]:
    months = monthly.groupby("quarter")["month"].nunique()
    return sorted(months.index[months == 3])


def _excluded(monthly: pd.DataFrame, quarters: list[str]) -> pd.DataFrame:
    """Sum the counts left out of the submissions, by quarter, area and category."""
    monthly = monthly[monthly["quarter"].isin(quarters)]
    no_area = monthly["area_code"] == ""
    fraud = monthly["major_category"].isin(EXCLUDED_MAJORS)
    part = monthly[no_area | fraud].copy()
    part["reason"] = part["major_category"].map(EXCLUDED_MAJORS)
    part.loc[part["area_code"] == "", "reason"] = (
        "no borough (Unknown or airports): not an area"
    )
    keys = ["quarter", "area_code", "area_name", "major_category", "reason"]
    table = part.groupby(keys, as_index=False)["count"].sum()
    table = table[table["count"] > 0]
    return table.sort_values(keys[:4], ignore_index=True)


def _quarterly(monthly: pd.DataFrame, quarters: list[str]) -> pd.DataFrame:
    """Return complete quarter x borough x indicator counts (absent rows are 0)."""
    kept = monthly[
        (monthly["area_code"] != "")
        & monthly["major_category"].isin(INDICATOR_OF_MAJOR)
        & monthly["quarter"].isin(quarters)
    ]
    kept = kept.assign(indicator=kept["major_category"].map(INDICATOR_OF_MAJOR))
    sums = kept.groupby(["quarter", "area_code", "indicator"])["count"].sum()
    grid = pd.MultiIndex.from_product(
        [quarters, sorted(BOROUGHS), [i[0] for i in INDICATORS]],
        names=["quarter", "area_code", "indicator"],
    )
    return sums.reindex(grid, fill_value=0).rename("value").reset_index()


def _areas(monthly: pd.DataFrame) -> pd.DataFrame:
    names = monthly.loc[monthly["area_code"] != ""].drop_duplicates("area_code")
    names = names.set_index("area_code")["area_name"]
    rows = [
        (code, zh, names[code], "borough", aliases)
        for code, (zh, aliases) in sorted(BOROUGHS.items())
    ]
    return pd.DataFrame(
        rows, columns=["area_code", "name_zh", "name_en", "type", "aliases"]
    )


def _population(source_dir: Path) -> pd.DataFrame:
    table = pd.read_csv(source_dir / POPULATION_FILE, dtype={"area_code": str})
    table = table[table["area_code"].isin(BOROUGHS)]
    table = table[["area_code", "year", "population"]].astype({"population": "int64"})
    table["estimate"] = "true"
    return table.sort_values(["area_code", "year"], ignore_index=True)


def _meta(quarters: list[str]) -> dict[str, object]:
    return {
        "name": NAME,
        "title_zh": "伦敦各区警方记录犯罪（季度）",
        "title_en": "London borough recorded crime (quarterly)",
        "region_name_zh": "全市",
        "region_name_en": "London",
        "kind": "real",
        "source": "Metropolitan Police Service, Recorded Crime: Geographic "
        "Breakdown (London Datastore); ONS mid-year population estimates",
        "licence": "OGL-UK-3.0",
        "first_quarter": quarters[0],
        "last_quarter": quarters[-1],
        "core_indicators": sorted(CORE),
        "reference_period": ["2022Q1", "2024Q4"],
        "notes": NOTES,
    }


def build(out_dir: Path, source_dir: Path | None = None) -> Path:
    """Write the ``london`` dataset folder from its source files.

    Parameters
    ----------
    out_dir : pathlib.Path
        Dataset folder to write, normally ``data/raw/london``.
    source_dir : pathlib.Path, optional
        Folder with the crime and population files; default
        ``out_dir / "source"``.

    Returns
    -------
    pathlib.Path
        ``out_dir``.

    Raises
    ------
    PinganError
        If the source folder does not exist.

    Notes
    -----
    Quarter values are sums of the three months. MPS omits a category for a
    borough when it is zero throughout a file, so a missing row counts as
    zero, and the submissions hold every borough x indicator pair.

    Examples
    --------
    >>> import tempfile
    >>> from pingan.config import raw_dir
    >>> out = build(Path(tempfile.mkdtemp()), raw_dir("london") / "source")
    >>> mps = pd.read_csv(out / "2025Q3" / "mps.csv")
    >>> mps.shape
    (352, 3)
    """
    out_dir = Path(out_dir)
    source_dir = project_source_dir(out_dir, source_dir)
    monthly = read_monthly(source_dir)
    quarters = _complete_quarters(monthly)
    values = _quarterly(monthly, quarters)
    write_single_department(
        out_dir,
        _meta(quarters),
        catalogue_table(),
        DOMAINS,
        [(d, p, zh, en) for _, d, p, zh, en, _ in INDICATORS],
        _areas(monthly),
        ("mps", "伦敦警察厅", "Metropolitan Police Service"),
        values.rename(columns={"area_code": "area"}),
        population=_population(source_dir),
    )
    write_csv(_excluded(monthly, quarters), out_dir / "excluded_counts.csv")
    return out_dir
