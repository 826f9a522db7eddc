"""Rebuild the bundled datasets and check them against the committed folders."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pingan.config import raw_dir
from pingan.datasets import ireland, load_dataset, london, xundian
from pingan.datasets.__main__ import main

BUILDERS = {"london": london, "ireland": ireland, "xundian-example": xundian}
HAND_WRITTEN = {"README.md"}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _built_files(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file a builder writes (not source/)."""
    return {
        p.relative_to(folder).as_posix(): _sha256(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and p.name not in HAND_WRITTEN
        and p.relative_to(folder).parts[0] != "source"
    }


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> dict[str, Path]:
    folders = {}
    for name, module in BUILDERS.items():
        out = tmp_path_factory.mktemp(name)
        source = raw_dir(name) / "source" if name != "xundian-example" else None
        folders[name] = module.build(out, source)
    return folders


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_rebuild_reproduces_committed_bytes(rebuilt, name):
    committed = _built_files(raw_dir(name))
    fresh = _built_files(rebuilt[name])
    assert sorted(fresh) == sorted(committed)
    changed = [path for path in fresh if fresh[path] != committed[path]]
    assert changed == []


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_catalogue_points_sum_to_100(name):
    catalogue = pd.read_csv(raw_dir(name) / "catalogue.csv", dtype=str)
    assert pd.to_numeric(catalogue["points"]).sum() == pytest.approx(100)
    assert catalogue["indicator"].is_unique


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_catalogue_matches_framework_and_departments(name):
    folder = raw_dir(name)
    catalogue = pd.read_csv(folder / "catalogue.csv", dtype=str)
    framework = pd.read_csv(folder / "framework.csv", dtype=str, keep_default_na=False)
    departments = pd.read_csv(folder / "departments.csv", dtype=str)
    parents = framework.set_index("code")["parent"]
    assert set(catalogue["dimension"]) <= set(parents.index)
    assert (parents[catalogue["dimension"]].to_numpy() == catalogue["domain"]).all()
    parts = set(catalogue["department"].str.split("|").explode())
    assert parts <= set(departments["department"])


def test_build_command_writes_folder(tmp_path):
    assert main(["build", "ireland", "--out", str(tmp_path / "ie")]) == 0
    assert (tmp_path / "ie" / "2003Q1" / "garda.csv").is_file()


# --- xundian-example -----------------------------------------------------

XD = raw_dir("xundian-example")


def test_xundian_areas_by_type():
    areas = pd.read_csv(XD / "areas.csv", dtype=str)
    assert len(areas) == 16
    assert areas["type"].value_counts().to_dict() == {"镇": 9, "乡": 4, "街道": 3}
    assert areas["area_code"].str.startswith("530129").all()
    rende = areas.set_index("area_code").loc["530129001", "aliases"].split("|")
    assert "仁德" in rende
    assert "仁德\u3000街道" in rende


def test_xundian_catalogue_shape():
    catalogue = pd.read_csv(XD / "catalogue.csv", dtype=str)
    framework = pd.read_csv(XD / "framework.csv", dtype=str)
    departments = pd.read_csv(XD / "departments.csv", dtype=str)
    assert len(catalogue) == 21
    assert len(departments) == 12
    assert framework["level"].value_counts().to_dict() == {"dimension": 21, "domain": 5}
    points = catalogue.assign(points=pd.to_numeric(catalogue["points"]))
    by_domain = points.groupby("domain")["points"].sum().to_dict()
    assert by_domain == {"PS": 15, "SO": 30, "PU": 20, "DI": 20, "RL": 15}
    core = set(catalogue.loc[catalogue["core"] == "true", "indicator"])
    assert core == {"SO02", "SO04", "SO05", "DI01"}
    assert catalogue["department"].str.contains("|", regex=False).sum() >= 1


def test_xundian_population_sums_to_census():
    population = pd.read_csv(XD / "population.csv", dtype={"area_code": str})
    year_2020 = population[population["year"] == 2020]
    # 2020 census resident population of Xundian county: 460,739.
    assert year_2020["population"].sum() == 460_739
    gongshan = year_2020.set_index("area_code").loc["530129106"]
    assert gongshan["population"] == 30_417
    assert not gongshan["estimate"]
    assert population["estimate"].sum() == len(population) - 1
    assert sorted(population["year"].unique()) == list(range(2020, 2026))


def test_xundian_every_department_every_quarter():
    departments = pd.read_csv(XD / "departments.csv", dtype=str)["department"]
    quarters = sorted(p.name for p in XD.iterdir() if p.is_dir())
    assert quarters[0] == "2022Q1"
    assert quarters[-1] == "2025Q4"
    assert len(quarters) == 16
    for quarter in quarters:
        stems = {p.stem for p in (XD / quarter).iterdir() if p.name[0] != "_"}
        assert stems == set(departments), quarter


def _read_fraud(quarter: str) -> pd.DataFrame:
    """Read police_fraud of a quarter: GBK CSV until 2024, XLSX with a title row."""
    csv = XD / quarter / "police_fraud.csv"
    if csv.exists():
        return pd.read_csv(csv, encoding="gbk")
    return pd.read_excel(XD / quarter / "police_fraud.xlsx", header=1)


def _fraud_totals() -> pd.DataFrame:
    rows = []
    for year in (2024, 2025):
        for q in range(1, 5):
            table = _read_fraud(f"{year}Q{q}").drop_duplicates()
            rows.append((year, q, table["SO04"].sum(), table["SO05"].sum()))
    return pd.DataFrame(rows, columns=["year", "q", "cases", "losses"])


def test_xundian_fraud_change_2025():
    totals = _fraud_totals().groupby("year")[["cases", "losses"]].sum()
    change = (100 * (totals.loc[2025] / totals.loc[2024] - 1)).round(2)
    assert change["cases"] == -5.19
    assert change["losses"] == -11.95


def test_xundian_fraud_rises_then_falls():
    totals = _fraud_totals().pivot(index="q", columns="year")
    for column in ("cases", "losses"):
        up = totals[(column, 2025)] > totals[(column, 2024)]
        assert up.tolist() == [True, True, False, False], column


def test_xundian_order_incidents_rise_in_2025():
    by_year = {}
    for year in (2024, 2025):
        tables = [
            pd.read_csv(XD / f"{year}Q{q}" / "police_110.csv") for q in range(1, 5)
        ]
        calls = pd.concat(tables).drop_duplicates()
        by_year[year] = calls.loc[calls["indicator"] == "SO02", "value"].sum()
    assert by_year[2025] > 1.1 * by_year[2024]


def test_xundian_petitions_rise_in_two_townships():
    def petitions(year):
        tables = [
            pd.read_excel(XD / f"{year}Q{q}" / "petitions.xlsx", header=1)
            for q in range(1, 5)
        ]
        return pd.concat(tables).groupby("乡镇")["DI01"].sum()

    ratio = petitions(2025) / petitions(2024)
    assert ratio["七星镇"] > 1.5
    assert ratio["鸡街镇"] > 1.5


def _read_any(path: Path) -> pd.DataFrame:
    """Read a submission without a header row, every cell as text."""
    if path.suffix == ".xlsx":
        return pd.read_excel(path, header=None, dtype=str)
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return pd.read_csv(path, header=None, dtype=str, encoding=encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError(f"cannot decode {path}")


PLANTED = pd.read_csv(XD / "planted_problems.csv", dtype=str, keep_default_na=False)


def test_planted_problems_listed():
    assert sorted(PLANTED["expected_rule"]) == [
        "area_alias",
        "duplicate_identical",
        "late_submission",
        "negative_value",
        "unit_error",
    ]
    assert not PLANTED["indicator"].isin(["SO04", "SO05"]).any()


@pytest.mark.parametrize(
    "rule", ["unit_error", "negative_value", "duplicate_identical", "area_alias"]
)
def test_planted_problem_in_file(rule):
    spec = PLANTED.set_index("expected_rule").loc[rule]
    rows = _read_any(XD / spec["source_file"])
    row = rows.iloc[int(spec["source_row"]) - 1].tolist()
    if rule == "unit_error":
        assert "380000" in row
    elif rule == "negative_value":
        assert row[:3] == [spec["area_code"], spec["indicator"], "-1"]
    elif rule == "duplicate_identical":
        assert row == rows.iloc[int(spec["source_row"]) - 2].tolist()
        assert row[:2] == [spec["area_code"], spec["indicator"]]
    else:
        assert row[0] == "仁德"


def test_planted_late_receipt():
    spec = PLANTED.set_index("expected_rule").loc["late_submission"]
    receipts = pd.read_csv(XD / spec["quarter"] / "_receipts.csv")
    arrival = receipts.set_index("department").loc[spec["department"], "submitted_at"]
    deadline = pd.Period(spec["quarter"]).end_time.normalize() + pd.Timedelta(days=11)
    assert pd.Timestamp(arrival) > deadline
    others = pd.to_datetime(receipts["submitted_at"])
    assert (others < deadline).sum() == 11


def test_receipts_on_time_elsewhere():
    late = 0
    for folder in sorted(p for p in XD.iterdir() if p.is_dir()):
        receipts = pd.read_csv(folder / "_receipts.csv")
        deadline = pd.Period(folder.name).end_time.normalize() + pd.Timedelta(days=11)
        late += (pd.to_datetime(receipts["submitted_at"]) >= deadline).sum()
    assert late == 1


# --- london --------------------------------------------------------------

LD = raw_dir("london")


def _london_submissions() -> pd.DataFrame:
    folders = sorted(p for p in LD.iterdir() if p.is_dir() and p.name != "source")
    return pd.concat(
        pd.read_csv(f / "mps.csv", dtype={"area": str}).assign(quarter=f.name)
        for f in folders
    )


def test_london_quarters_and_areas():
    quarters = sorted(p.name for p in LD.iterdir() if p.is_dir() and p.name != "source")
    assert quarters[0] == "2010Q2"
    assert quarters[-1] == "2025Q3"
    assert len(quarters) == 62
    areas = pd.read_csv(LD / "areas.csv", dtype=str)
    assert len(areas) == 32
    assert "E09000001" not in set(areas["area_code"])  # City of London
    aliases = "|".join(areas["aliases"].dropna())
    assert "Kingston" in aliases
    assert "Hammersmith & Fulham" in aliases


def test_london_counts_conserved():
    monthly = london.read_monthly(LD / "source")
    monthly = monthly[monthly["quarter"] <= "2025Q3"]
    submitted = _london_submissions()["value"].sum()
    excluded = pd.read_csv(LD / "excluded_counts.csv")["count"].sum()
    assert submitted + excluded == monthly["count"].sum()


def test_london_burglary_sums_all_minors():
    monthly = london.read_monthly(LD / "source")
    westminster = monthly[
        (monthly["area_code"] == "E09000033")
        & (monthly["quarter"] == "2023Q2")
        & (monthly["major_category"] == "BURGLARY")
    ]
    assert westminster["minor_category"].nunique() >= 3
    mps = pd.read_csv(LD / "2023Q2" / "mps.csv")
    value = mps.query("area == 'E09000033' and indicator == 'BUR'")["value"].item()
    assert value == westminster["count"].sum()


def test_london_population_years():
    population = pd.read_csv(LD / "population.csv", dtype={"area_code": str})
    assert sorted(population["year"].unique()) == list(range(2011, 2025))
    assert population["area_code"].nunique() == 32
    assert population["estimate"].all()
    # ONS mid-2011 estimate for Barnet, also implied by MPS/GLA crime rates.
    barnet = population.query("area_code == 'E09000003' and year == 2011")
    assert barnet["population"].item() == 357_538


# --- ireland -------------------------------------------------------------

IE = raw_dir("ireland")


def test_ireland_shape_and_codes():
    quarters = sorted(p.name for p in IE.iterdir() if p.is_dir() and p.name != "source")
    assert (quarters[0], quarters[-1], len(quarters)) == ("2003Q1", "2019Q3", 67)
    areas = pd.read_csv(IE / "areas.csv", dtype=str)
    assert len(areas) == 28
    assert areas["area_code"].is_unique
    garda = pd.read_csv(IE / "2019Q3" / "garda.csv", dtype=str)
    assert "09" in set(garda["indicator"])
    assert not (IE / "population.csv").exists()


def test_ireland_catalogue_core_and_method():
    catalogue = pd.read_csv(IE / "catalogue.csv", dtype=str)
    assert len(catalogue) == 14
    core = set(catalogue.loc[catalogue["core"] == "true", "indicator"])
    assert core == {"09", "13"}
    assert (catalogue["params"] == "weight_county=0; tolerance=1").all()
    assert (catalogue["denominator"] == "none").all()


def test_ireland_counts_conserved():
    offences = ireland.read_offences(IE / "source")
    fraud = offences[offences["offence_code"] == "09"]
    garda = pd.concat(
        pd.read_csv(f, dtype={"indicator": str}) for f in sorted(IE.glob("*/garda.csv"))
    )
    assert garda["value"].sum() == offences["count"].sum()
    assert garda.loc[garda["indicator"] == "09", "value"].sum() == fraud["count"].sum()


# --- read back with the package reader -------------------------------------


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_dataset_yaml_loads(name):
    meta = yaml.safe_load((raw_dir(name) / "dataset.yaml").read_text(encoding="utf-8"))
    assert meta["name"] == name
    assert meta["kind"] == ("synthetic" if name == "xundian-example" else "real")
    assert meta["notes"].strip()


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_load_dataset_reads_folder(name):
    dataset = load_dataset(name)
    assert str(dataset.quarters[0]) == dataset.meta["first_quarter"]
    assert str(dataset.quarters[-1]) == dataset.meta["last_quarter"]
    result = dataset.read_quarter(dataset.quarters[-1])
    assert result.problems.empty
    assert result.rejected.empty
    assert len(result.data) > 0


@pytest.fixture(scope="module")
def xundian_read():
    dataset = load_dataset("xundian-example")
    return dataset.read_quarters(dataset.quarters)


def test_reader_finds_planted_problems(xundian_read):
    result = xundian_read
    rejected = set(
        zip(result.rejected["source_file"], result.rejected["rule"], strict=True)
    )
    assert rejected == {
        ("2024Q2/emergency.csv", "negative_value"),
        ("2024Q4/police_110.csv", "duplicate_identical"),
    }
    notes = set(zip(result.notes["source_file"], result.notes["rule"], strict=True))
    assert ("2025Q1/township.csv", "area_alias") in notes
    assert result.problems.empty


def test_reader_fraud_change_2025(xundian_read):
    data = xundian_read.data
    fraud = data[data["indicator"].isin(["SO04", "SO05"])]
    totals = fraud.groupby([fraud["quarter"].dt.year, "indicator"])["value"].sum()
    change = (100 * (totals[2025] / totals[2024] - 1)).round(2)
    assert change["SO04"] == -5.19
    assert change["SO05"] == -11.95
