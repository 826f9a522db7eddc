"""The datasets bundled with pingan, and loading any dataset folder.

A dataset is a folder ``data/raw/<name>/`` in the format of
``docs/data-format.md``. Three ship with the project: ``london`` and
``ireland`` (real recorded-crime data) and ``xundian-example`` (synthetic).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from pingan.areas import read_areas, read_population
from pingan.catalogue import read_catalogue, read_framework
from pingan.config import raw_dir
from pingan.exceptions import InputError, PinganError, Problem
from pingan.i18n import check_language, label
from pingan.ingest import ReadResult, read_quarter, submission_files
from pingan.periods import parse_quarter, quarter_label

__all__ = ["Dataset", "load_dataset", "list_datasets", "dataset_names"]

_QUARTER_DIR = re.compile(r"^\d{4}Q[1-4]$", re.IGNORECASE)
_READ_CACHE: dict[tuple, ReadResult] = {}


def _stamp(folder: Path) -> tuple:
    """Return (name, size, mtime) of the files directly in ``folder``."""
    if not folder.is_dir():
        return ()
    return tuple(
        sorted(
            (p.name, p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.iterdir()
            if p.is_file()
        )
    )


_REQUIRED_META = ("name", "kind")


@dataclass
class Dataset:
    """A dataset folder with its validated metadata tables.

    Attributes
    ----------
    name : str
        Folder name, e.g. ``"london"``.
    root : pathlib.Path
        The folder ``data/raw/<name>``.
    meta : dict
        Contents of ``dataset.yaml``.
    catalogue, framework, areas, population, departments : pandas.DataFrame
        As described in ``docs/data-format.md``; ``population`` is empty
        (with its columns) when the dataset has no ``population.csv``.
    """

    name: str
    root: Path
    meta: dict
    catalogue: pd.DataFrame
    framework: pd.DataFrame
    areas: pd.DataFrame
    population: pd.DataFrame
    departments: pd.DataFrame

    @property
    def kind(self) -> str:
        """``'real'`` or ``'synthetic'``."""
        return str(self.meta.get("kind", ""))

    @property
    def quarters(self) -> list[pd.Period]:
        """Quarters that have a folder with at least one submission file."""
        found = [
            parse_quarter(p.name)
            for p in self.root.iterdir()
            if p.is_dir() and _QUARTER_DIR.match(p.name) and submission_files(p)
        ]
        return sorted(found)

    @property
    def core_indicators(self) -> list[str]:
        """Ids of the core indicators (``core`` true in the catalogue)."""
        return self.catalogue.loc[self.catalogue["core"], "indicator"].tolist()

    @property
    def reference_period(self) -> tuple[pd.Period, pd.Period] | None:
        """First and last quarter of the goalposts' reference period, if set."""
        ref = self.meta.get("reference_period")
        if not ref:
            return None
        return parse_quarter(ref[0]), parse_quarter(ref[1])

    def title(self, language: str = "en") -> str:
        """Return the dataset's title in ``'zh'`` or ``'en'``."""
        return str(self.meta.get(f"title_{language}") or self.name)

    def region_name(self, language: str = "zh") -> str:
        """Return the name of the whole territory, from ``region_name_<language>``.

        Labels such as the difference from the mean of all areas use it. A
        dataset without the entry covers a county: ``全县`` or ``county``.

        Examples
        --------
        >>> load_dataset("xundian-example").region_name("en")
        'county'
        >>> load_dataset("london").region_name("zh")
        '全市'
        """
        name = self.meta.get(f"region_name_{check_language(language)}")
        return str(name) if name else label("region", language)

    def area_names(self, language: str = "zh") -> pd.Series:
        """Return area names in ``'zh'`` or ``'en'``, indexed by area code.

        An area without a name in that language is shown by its code.

        Examples
        --------
        >>> load_dataset("xundian-example").area_names("en")["530129208"]
        'Lianhe Township'
        """
        return _localised(self.areas, "area_code", f"name_{check_language(language)}")

    def indicator_names(self, language: str = "zh") -> pd.Series:
        """Return indicator names in ``'zh'`` or ``'en'``, indexed by indicator id.

        Examples
        --------
        >>> load_dataset("london").indicator_names("zh")["BUR"]
        '入室盗窃'
        """
        column = f"name_{check_language(language)}"
        return _localised(self.catalogue, "indicator", column)

    def department_names(self, language: str = "zh") -> pd.Series:
        """Return department names in ``'zh'`` or ``'en'``, indexed by department id.

        Examples
        --------
        >>> load_dataset("london").department_names("en")["mps"]
        'Metropolitan Police Service'
        """
        column = f"name_{check_language(language)}"
        return _localised(self.departments, "department", column)

    def units(self, language: str = "zh") -> pd.Series:
        """Return each indicator's unit in ``'zh'`` or ``'en'``, indexed by id.

        The English unit is the catalogue's ``unit_en``; where that is empty
        the ``unit`` column is used in both languages.

        Examples
        --------
        >>> units = load_dataset("london").units("en")
        >>> units["BUR"], load_dataset("london").units("zh")["BUR"]
        ('offences', '起')
        """
        cat = self.catalogue.set_index("indicator")
        if check_language(language) == "zh":
            return cat["unit"].rename("unit")
        return cat["unit_en"].where(cat["unit_en"].ne(""), cat["unit"]).rename("unit")

    def read_quarter(self, quarter: str | pd.Period) -> ReadResult:
        """Read one quarter's submissions.

        Results are cached for the life of the process, keyed by the
        dataset's folder and the size and modification time of its metadata
        files and of the quarter's files, so an edited file is read again.
        """
        q = parse_quarter(quarter)
        folder = self.quarter_folder(q)
        key = (str(self.root), quarter_label(q), _stamp(self.root), _stamp(folder))
        if key not in _READ_CACHE:
            _READ_CACHE[key] = read_quarter(
                folder, q, self.catalogue, self.areas, self.departments, root=self.root
            )
        return _READ_CACHE[key]

    def quarter_folder(self, quarter: str | pd.Period) -> Path:
        """Return the quarter's folder (``2025Q1``; ``2025q1`` is accepted too)."""
        label = quarter_label(parse_quarter(quarter))
        exact = self.root / label
        if exact.is_dir():
            return exact
        for entry in self.root.iterdir():
            if entry.is_dir() and entry.name.upper() == label:
                return entry
        return exact

    def read_quarters(self, quarters: list | None = None) -> ReadResult:
        """Read several quarters (default: all) into one result."""
        wanted = self.quarters if quarters is None else quarters
        return ReadResult.concat([self.read_quarter(q) for q in wanted])

    def receipts(self, quarter: str | pd.Period) -> pd.DataFrame:
        """Return the quarter's ``_receipts.csv`` (empty frame if absent).

        Columns ``file``, ``department``, ``submitted_at`` (Timestamp).
        """
        path = self.quarter_folder(quarter) / "_receipts.csv"
        if not path.is_file():
            return pd.DataFrame(columns=["file", "department", "submitted_at"])
        table = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
        table["submitted_at"] = pd.to_datetime(table["submitted_at"])
        return table


def _localised(table: pd.DataFrame, key: str, column: str) -> pd.Series:
    """Return ``table[column]`` indexed by ``table[key]``, the key where empty."""
    frame = table.set_index(key)
    names = frame[column] if column in frame else pd.Series("", index=frame.index)
    names = names.fillna("").astype(str)
    return names.where(names.ne(""), frame.index.to_series()).rename("name")


def dataset_names(root: Path | None = None) -> list[str]:
    """Return the names of the dataset folders (those with a ``dataset.yaml``).

    Examples
    --------
    >>> "london" in dataset_names()
    True
    """
    base = raw_dir("x", root).parent
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / "dataset.yaml").is_file())


def _unknown_dataset(name: object, root: Path | None = None) -> PinganError:
    """Build the error for a dataset name without a ``dataset.yaml``."""
    base = raw_dir("x", root).parent
    known = dataset_names(root)
    if known:
        advice = f"Known datasets: {', '.join(known)}."
    else:
        advice = (
            f"No dataset found under {base}: set PINGAN_HOME to the project "
            "folder that holds data/raw/, or add a dataset folder there "
            "(docs/data-format.md)."
        )
    return PinganError(
        f"unknown dataset {name!r}: no {base}/{name}/dataset.yaml. {advice}"
    )


def _read_meta(folder: Path) -> dict:
    path = folder / "dataset.yaml"
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise InputError(Problem(f"invalid YAML ({err}).", file=str(path))) from err
    for key in ("first_quarter", "last_quarter"):
        if meta.get(key):
            try:
                parse_quarter(str(meta[key]), what=key)
            except PinganError as err:
                raise InputError(Problem(str(err), file=str(path))) from err
    for value in meta.get("reference_period") or []:
        try:
            parse_quarter(str(value), what="reference_period")
        except PinganError as err:
            raise InputError(Problem(str(err), file=str(path))) from err
    missing = [k for k in _REQUIRED_META if k not in meta]
    if missing:
        raise InputError(
            Problem(
                f"dataset.yaml lacks the key(s) {', '.join(missing)}.",
                file=str(path),
                hint="See docs/data-format.md for the keys.",
            )
        )
    return meta


def load_dataset(name: str, root: Path | None = None) -> Dataset:
    """Load and validate a dataset folder's metadata tables.

    Parameters
    ----------
    name : str
        Dataset name, the folder under ``data/raw/`` (see
        :func:`list_datasets`).
    root : pathlib.Path, optional
        Project root (default: :func:`pingan.config.project_root`).

    Returns
    -------
    Dataset
        With the validated catalogue, framework, areas, population and
        departments; submissions are read on demand.

    Raises
    ------
    PinganError
        If no such dataset exists (the message lists the known ones).
    InputError
        If a metadata file is invalid; every problem is listed.

    Examples
    --------
    >>> ds = load_dataset("xundian-example")
    >>> ds.kind, len(ds.areas), len(ds.catalogue)
    ('synthetic', 16, 21)
    >>> float(ds.catalogue["points"].sum())
    100.0
    """
    folder = raw_dir(name, root)
    if not isinstance(name, str) or Path(name).name != name or name in ("", ".", ".."):
        raise PinganError(
            f"dataset must be a folder name under data/raw/, not a path; got {name!r}. "
            f"Known datasets: {', '.join(dataset_names(root)) or 'none'}."
        )
    if not (folder / "dataset.yaml").is_file():
        raise _unknown_dataset(name, root)
    meta = _read_meta(folder)
    framework = read_framework(folder / "framework.csv")
    departments = _read_departments(folder / "departments.csv")
    catalogue = read_catalogue(folder / "catalogue.csv", framework, departments)
    areas = read_areas(folder / "areas.csv")
    population = _read_population(folder, areas, catalogue)
    _check_population_covers(population, areas, catalogue, folder)
    return Dataset(
        name, folder, meta, catalogue, framework, areas, population, departments
    )


def _read_departments(path: Path) -> pd.DataFrame:
    from pingan._read import read_table

    aliases = {"department": ["部门代码", "单位代码"], "name_zh": ["中文名称"]}
    table = read_table(path, aliases | {"name_en": ["英文名称"]}, ["department"])
    for column in ("name_zh", "name_en"):
        if column not in table:
            table[column] = table["department"]
    return table[["department", "name_zh", "name_en"]].reset_index(drop=True)


def _read_population(
    folder: Path, areas: pd.DataFrame, catalogue: pd.DataFrame
) -> pd.DataFrame:
    path = folder / "population.csv"
    if path.is_file():
        return read_population(path, areas)
    needing = catalogue.loc[catalogue["denominator"] == "population", "indicator"]
    if len(needing):
        raise InputError(
            Problem(
                "population.csv is missing but indicators "
                f"{', '.join(needing)} are divided by population.",
                file=str(path),
                hint="Add population.csv or set their denominator to none.",
            )
        )
    return pd.DataFrame(
        {
            "area_code": pd.Series(dtype=str),
            "year": pd.Series(dtype=int),
            "population": pd.Series(dtype=float),
            "estimate": pd.Series(dtype=bool),
        }
    )


def _check_population_covers(
    population: pd.DataFrame, areas: pd.DataFrame, catalogue: pd.DataFrame, folder: Path
) -> None:
    """Raise unless every area has a population when an indicator needs one."""
    if not (catalogue["denominator"] == "population").any():
        return
    missing = sorted(set(areas["area_code"]) - set(population["area_code"]))
    if missing:
        raise InputError(
            Problem(
                f"no population for area(s) {', '.join(missing)}, but indicators "
                "are divided by population.",
                file=str(folder / "population.csv"),
                column="area_code",
                hint="Add a row per year for each of these areas.",
            )
        )


def list_datasets(root: Path | None = None) -> pd.DataFrame:
    """List the available datasets.

    Returns
    -------
    pandas.DataFrame
        One row per dataset: ``name``, ``kind`` (``real`` or
        ``synthetic``), ``title_en``, ``title_zh``, ``first_quarter``,
        ``last_quarter``, ``licence``, ``source``.

    Examples
    --------
    >>> list_datasets()["name"].tolist()
    ['ireland', 'london', 'xundian-example']
    """
    rows = []
    for name in dataset_names(root):
        meta = _read_meta(raw_dir(name, root))
        rows.append(
            {
                "name": name,
                "kind": meta.get("kind"),
                "title_en": meta.get("title_en", ""),
                "title_zh": meta.get("title_zh", ""),
                "first_quarter": str(meta.get("first_quarter", "")),
                "last_quarter": str(meta.get("last_quarter", "")),
                "licence": meta.get("licence", ""),
                "source": str(meta.get("source", "")).strip(),
            }
        )
    columns = [
        "name",
        "kind",
        "title_en",
        "title_zh",
        "first_quarter",
        "last_quarter",
        "licence",
        "source",
    ]
    return pd.DataFrame(rows, columns=columns)
