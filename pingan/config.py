"""Paths of the project folders, resolved in one place.

The project root is the folder holding ``data/``, ``notebooks/`` and
``reports/``. It is the environment variable ``PINGAN_HOME`` when set, and
otherwise the folder above the installed ``pingan`` package (the checkout, for
an editable install).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "project_root",
    "raw_dir",
    "processed_dir",
    "reports_dir",
    "notebooks_dir",
]


def project_root() -> Path:
    """Return the project root folder.

    Returns
    -------
    pathlib.Path
        ``$PINGAN_HOME`` if set, else the parent of the ``pingan`` package.

    Examples
    --------
    >>> (project_root() / "pingan").is_dir() or "PINGAN_HOME" in os.environ
    True
    """
    home = os.environ.get("PINGAN_HOME")
    if home:
        return Path(home).expanduser().resolve()
    return Path(__file__).resolve().parents[1]


def raw_dir(dataset: str, root: Path | None = None) -> Path:
    """Return ``data/raw/<dataset>`` under ``root`` (default: the project root).

    Examples
    --------
    >>> raw_dir("london", Path("/srv/pingan")).as_posix()
    '/srv/pingan/data/raw/london'
    """
    return (root or project_root()) / "data" / "raw" / dataset


def processed_dir(dataset: str, root: Path | None = None) -> Path:
    """Return ``data/processed/<dataset>`` under ``root`` (default: project root).

    Examples
    --------
    >>> processed_dir("london", Path("/srv/pingan")).as_posix()
    '/srv/pingan/data/processed/london'
    """
    return (root or project_root()) / "data" / "processed" / dataset


def reports_dir(dataset: str, quarter: str, root: Path | None = None) -> Path:
    """Return ``reports/<dataset>/<quarter>`` under ``root`` (default: project root).

    Examples
    --------
    >>> reports_dir("london", "2025Q3", Path("/srv/pingan")).as_posix()
    '/srv/pingan/reports/london/2025Q3'
    """
    return (root or project_root()) / "reports" / dataset / quarter


def notebooks_dir(root: Path | None = None) -> Path:
    """Return the folder of the report notebooks.

    Examples
    --------
    >>> notebooks_dir(Path("/srv/pingan")).as_posix()
    '/srv/pingan/notebooks'
    """
    return (root or project_root()) / "notebooks"
