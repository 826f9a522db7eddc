"""Build the real ``ireland`` dataset: recorded crime by Garda division, by quarter.

The builder reads ``data/raw/ireland/source/`` (quarterly recorded crime
offences for the 28 Garda divisions, 2003Q1-2019Q3, published by the Central
Statistics Office, Ireland) and writes one submission ``<quarter>/garda.csv``
per quarter with the 14 offence groups as indicators. There is no population,
so every indicator is scored on counts against the division's own history.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pingan.datasets._build import (
    CATALOGUE_COLUMNS,
    check_catalogue_points,
    project_source_dir,
    write_single_department,
)

__all__ = ["build", "catalogue_table", "read_offences"]

NAME = "ireland"
CRIME_FILE = "ireland_crime_garda_division_quarterly_long.csv.gz"

#: CSO division name -> (area code, name_en, name_zh, region). Codes are built
#: from the ISO 3166-2:IE county letters; Dublin divisions use DMR.
DIVISIONS = {
    "D.M.R. SOUTH CENTRAL": ("IE-DMR-SC", "D.M.R. South Central", "都柏林中南区"),
    "D.M.R. NORTH CENTRAL": ("IE-DMR-NC", "D.M.R. North Central", "都柏林中北区"),
    "D.M.R. EASTERN": ("IE-DMR-E", "D.M.R. Eastern", "都柏林东区"),
    "D.M.R. NORTHERN": ("IE-DMR-N", "D.M.R. Northern", "都柏林北区"),
    "D.M.R. SOUTHERN": ("IE-DMR-S", "D.M.R. Southern", "都柏林南区"),
    "D.M.R. WESTERN": ("IE-DMR-W", "D.M.R. Western", "都柏林西区"),
    "KILDARE": ("IE-KE", "Kildare", "基尔代尔"),
    "LAOIS/OFFALY": ("IE-LS-OY", "Laois/Offaly", "利伊什/奥法利"),
    "MEATH": ("IE-MH", "Meath", "米斯"),
    "WESTMEATH": ("IE-WH", "Westmeath", "西米斯"),
    "WICKLOW": ("IE-WW", "Wicklow", "威克洛"),
    "CAVAN/MONAGHAN": ("IE-CN-MN", "Cavan/Monaghan", "卡文/莫纳汉"),
    "DONEGAL": ("IE-DL", "Donegal", "多尼戈尔"),
    "LOUTH": ("IE-LH", "Louth", "劳斯"),
    "SLIGO/LEITRIM": ("IE-SO-LM", "Sligo/Leitrim", "斯莱戈/利特里姆"),
    "KILKENNY/CARLOW": ("IE-KK-CW", "Kilkenny/Carlow", "基尔肯尼/卡洛"),
    "TIPPERARY": ("IE-TA", "Tipperary", "蒂珀雷里"),
    "WATERFORD": ("IE-WD", "Waterford", "沃特福德"),
    "WEXFORD": ("IE-WX", "Wexford", "韦克斯福德"),
    "CORK CITY": ("IE-CO-C", "Cork City", "科克市"),
    "CORK NORTH": ("IE-CO-N", "Cork North", "科克北"),
    "CORK WEST": ("IE-CO-W", "Cork West", "科克西"),
    "KERRY": ("IE-KY", "Kerry", "凯里"),
    "LIMERICK": ("IE-LK", "Limerick", "利默里克"),
    "CLARE": ("IE-CE", "Clare", "克莱尔"),
    "GALWAY": ("IE-G", "Galway", "戈尔韦"),
    "MAYO": ("IE-MO", "Mayo", "梅奥"),
    "ROSCOMMON/LONGFORD": ("IE-RN-LD", "Roscommon/Longford", "罗斯康芒/朗福德"),
}

#: (code, name_zh, name_en)
DOMAINS = [
    ("PE", "侵害人身犯罪", "Offences against the person"),
    ("PR", "财产犯罪", "Property offences"),
    ("FR", "诈骗", "Fraud"),
    ("PO", "公共秩序、毒品与武器", "Public order, drugs and weapons"),
    ("GJ", "妨害政府与司法", "Offences against government and justice"),
]

#: indicator (CSO offence group code), dimension, domain, name_zh, points, core
INDICATORS = [
    ("01", "PE1", "PE", "杀人犯罪", 6, False),
    ("02", "PE2", "PE", "性犯罪", 6, False),
    ("03", "PE3", "PE", "谋杀未遂/威胁、伤害、骚扰及相关犯罪", 10, False),
    ("04", "PE4", "PE", "危险或过失行为", 4, False),
    ("05", "PE5", "PE", "绑架及相关犯罪", 2, False),
    ("06", "PR1", "PR", "抢劫、勒索和劫持", 8, False),
    ("07", "PR2", "PR", "入室盗窃及相关犯罪", 10, False),
    ("08", "PR3", "PR", "盗窃及相关犯罪", 10, False),
    ("12", "PR4", "PR", "毁坏财产和环境", 6, False),
    ("09", "FR1", "FR", "诈骗及相关犯罪", 10, True),
    ("13", "PO1", "PO", "公共秩序及其他社会规范犯罪", 10, True),
    ("10", "PO2", "PO", "管制毒品犯罪", 6, False),
    ("11", "PO3", "PO", "武器和爆炸物犯罪", 6, False),
    ("15", "GJ1", "GJ", "妨害政府、司法程序及有组织犯罪", 6, False),
]

NOTES = """\
Real data: recorded crime offences by Garda division and offence group,
published quarterly by the Central Statistics Office (CSO), Ireland, under
CC BY 4.0. Source: Central Statistics Office, Ireland.
Areas: the 28 Garda divisions of the older layout (before the Garda
operating model merged them into fewer divisions); area codes are short
codes made for this dataset from the ISO 3166-2:IE county letters.
Indicators: the 14 CSO offence groups, submitted as counts per quarter.
Indicator ids are the CSO group codes written as text with their leading
zero (01 ... 15; there is no group 14). Fraud (09) and public order (13) are
the core indicators.
No population: Garda divisions do not match counties, and no population by
division is bundled. Every indicator is therefore scored with benchmark and
weight_county=0: a division is compared with its own mean of the same
quarter in the previous three years, which needs no size adjustment. The
first quarters (2003-2005) have less than three years of history.
Since 2018 the CSO publishes these figures under reservation because of
concerns about Garda recording; the CSO also revises past quarters, so this
2019 snapshot differs a little from current CSO tables.
"""


def read_offences(source_dir: Path) -> pd.DataFrame:
    """Read the quarterly offence counts of ``source_dir``.

    Parameters
    ----------
    source_dir : pathlib.Path
        Folder holding ``ireland_crime_garda_division_quarterly_long.csv.gz``.

    Returns
    -------
    pandas.DataFrame
        One row per division, quarter and offence type: ``region``,
        ``division``, ``quarter`` (``YYYYQn``), ``offence_group``,
        ``offence_code`` (str, leading zeros kept), ``offence`` (str),
        ``count`` (int64) and ``group_code`` (str, first two characters of
        ``offence_code``).

    Examples
    --------
    >>> from pingan.config import raw_dir
    >>> offences = read_offences(raw_dir("ireland") / "source")
    >>> offences["division"].nunique(), offences["quarter"].nunique()
    (28, 67)
    """
    table = pd.read_csv(
        Path(source_dir) / CRIME_FILE, dtype=str, keep_default_na=False
    ).astype({"count": "int64"})
    return table.assign(group_code=table["offence_code"].str[:2])


def catalogue_table(offences: pd.DataFrame) -> pd.DataFrame:
    """Return the 14-indicator catalogue, English names taken from the data.

    Parameters
    ----------
    offences : pandas.DataFrame
        Output of :func:`read_offences`; the CSO group names become
        ``name_en``.

    Returns
    -------
    pandas.DataFrame
        Columns of ``catalogue.csv``; counts (``denominator=none``),
        ``direction=-1``, ``method=benchmark`` with ``weight_county=0``.

    Examples
    --------
    >>> from pingan.config import raw_dir
    >>> table = catalogue_table(read_offences(raw_dir("ireland") / "source"))
    >>> table.loc[table["indicator"] == "09", "name_en"].item()
    'Fraud/deception and related offences'
    """
    names = offences.drop_duplicates("group_code").set_index("group_code")
    rows = []
    for ind, dim, dom, zh, pts, core in INDICATORS:
        cso_name = names.loc[ind, "offence_group"].replace("/ ", "/")
        name_en = " ".join(cso_name.split()).capitalize()
        rows.append(
            (
                ind,
                zh,
                name_en,
                "起",
                "offences",
                "count",
                -1,
                "garda",
                dim,
                dom,
                pts,
                "none",
                1,
                "benchmark",
                "weight_county=0; tolerance=1",
                "true" if core else "false",
            )
        )
    table = pd.DataFrame(rows, columns=CATALOGUE_COLUMNS)
    check_catalogue_points(table, NAME)
    return table


def _areas() -> pd.DataFrame:
    rows = [
        (code, zh, en, "division", cso) for cso, (code, en, zh) in DIVISIONS.items()
    ]
    table = pd.DataFrame(
        rows, columns=["area_code", "name_zh", "name_en", "type", "aliases"]
    )
    return table.sort_values("area_code", ignore_index=True)


def _quarterly(offences: pd.DataFrame) -> pd.DataFrame:
    """Sum offence types to groups: quarter, area, indicator, value."""
    table = offences.assign(area=offences["division"].map(lambda d: DIVISIONS[d][0]))
    sums = table.groupby(["quarter", "area", "group_code"], as_index=False)["count"]
    sums = sums.sum().rename(columns={"group_code": "indicator", "count": "value"})
    return sums.sort_values(["quarter", "area", "indicator"], ignore_index=True)


def _meta(quarters: list[str]) -> dict[str, object]:
    return {
        "name": NAME,
        "title_zh": "爱尔兰警察分区记录犯罪（季度）",
        "title_en": "Ireland recorded crime by Garda division (quarterly)",
        "region_name_zh": "全国",
        "region_name_en": "national",
        "kind": "real",
        "source": "Central Statistics Office, Ireland: recorded crime offences "
        "by Garda division and type of offence, quarterly",
        "licence": "CC-BY-4.0",
        "first_quarter": quarters[0],
        "last_quarter": quarters[-1],
        "core_indicators": ["09", "13"],
        "notes": NOTES,
    }


def build(out_dir: Path, source_dir: Path | None = None) -> Path:
    """Write the ``ireland`` dataset folder from its source file.

    Parameters
    ----------
    out_dir : pathlib.Path
        Dataset folder to write, normally ``data/raw/ireland``.
    source_dir : pathlib.Path, optional
        Folder with the CSO file; default ``out_dir / "source"``.

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
    Each indicator value is the sum of the offence types of one CSO offence
    group (the first two characters of the offence code). The source grid is
    complete (no missing cells), so every division has every group in every
    quarter.

    Examples
    --------
    >>> import tempfile
    >>> from pingan.config import raw_dir
    >>> out = build(Path(tempfile.mkdtemp()), raw_dir("ireland") / "source")
    >>> garda = pd.read_csv(out / "2019Q3" / "garda.csv", dtype=str)
    >>> garda.shape, sorted(garda["indicator"].unique())[:2]
    ((392, 3), ['01', '02'])
    """
    out_dir = Path(out_dir)
    offences = read_offences(project_source_dir(out_dir, source_dir))
    values = _quarterly(offences)
    catalogue = catalogue_table(offences)
    name_en = catalogue.set_index("indicator")["name_en"]
    return write_single_department(
        out_dir,
        _meta(sorted(values["quarter"].unique())),
        catalogue,
        DOMAINS,
        [(d, p, zh, name_en[i]) for i, d, p, zh, _, _ in INDICATORS],
        _areas(),
        ("garda", "爱尔兰国家警察", "An Garda Síochána"),
        values,
    )
