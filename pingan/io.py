"""Atomic writes of result tables, and SHA-256 manifests of input files.

Every output is first written to a temporary file in the destination folder
and then renamed over the target, so a reader never sees half a file and a
crash leaves the previous version in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

__all__ = [
    "atomic_path",
    "write_table",
    "write_text",
    "write_json",
    "sha256_file",
    "file_manifest",
]


def _umask() -> int:
    """Return the process's umask (reading it requires setting it briefly)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(target: str | os.PathLike[str]):
    """Yield a temporary path beside ``target``; rename it over ``target`` on success.

    Parameters
    ----------
    target : str or path-like
        Final path. Its folder is created if missing.

    Yields
    ------
    pathlib.Path
        Where the caller writes. It is removed if the block raises.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(folder / "a.txt") as tmp:
    ...     _ = tmp.write_text("done")
    >>> (folder / "a.txt").read_text()
    'done'
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def _to_csv(table: pd.DataFrame, path: Path) -> None:
    table.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def _to_xlsx(table: pd.DataFrame, path: Path) -> None:
    out = table.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.PeriodDtype):
            out[col] = out[col].astype(str)
    out.to_excel(path, index=False, engine="openpyxl")


_WRITERS: dict[str, Callable[[pd.DataFrame, Path], None]] = {
    ".csv": _to_csv,
    ".xlsx": _to_xlsx,
}


def write_table(table: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write a DataFrame atomically as CSV (UTF-8) or XLSX, chosen by suffix.

    Parameters
    ----------
    table : pandas.DataFrame
        The table; its index is not written.
    path : str or path-like
        Destination ending in ``.csv`` or ``.xlsx``.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValueError
        If the suffix is neither ``.csv`` nor ``.xlsx``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = write_table(pd.DataFrame({"a": [1, 2]}), out)
    >>> out.read_text()
    'a\\n1\\n2\\n'
    """
    path = Path(path)
    writer = _WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ValueError(
            f"write_table: cannot write {path}; use a .csv or .xlsx file name."
        )
    with atomic_path(path) as tmp:
        writer(table, tmp)
    return path


def write_text(text: str, path: str | os.PathLike[str]) -> Path:
    """Write UTF-8 text atomically and return the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "n.txt"
    >>> write_text("平安", out).read_text(encoding="utf-8")
    '平安'
    """
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path


def write_json(obj: object, path: str | os.PathLike[str]) -> Path:
    """Write an object as indented, key-sorted UTF-8 JSON, atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "m.json"
    >>> _ = write_json({"b": 1, "a": "平安"}, out)
    >>> json.loads(out.read_text(encoding="utf-8"))["a"]
    '平安'
    """
    text = json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    return write_text(text + "\n", path)


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Return the hexadecimal SHA-256 digest of a file's bytes.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "e"
    >>> _ = out.write_bytes(b"")
    >>> sha256_file(out)[:12]
    'e3b0c44298fc'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_manifest(
    paths: Iterable[str | os.PathLike[str]], root: str | os.PathLike[str] | None = None
) -> pd.DataFrame:
    """List files with their size and SHA-256 digest.

    Parameters
    ----------
    paths : iterable of path-like
        Files to describe.
    root : path-like, optional
        If given, paths are shown relative to it.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``path``, with columns

        - ``path``: str, POSIX path (relative to ``root`` when given);
        - ``bytes``: int, file size in bytes;
        - ``sha256``: str, hexadecimal digest.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "x.csv").write_text("a\\n1\\n")
    >>> file_manifest([folder / "x.csv"], root=folder)[["path", "bytes"]]
        path  bytes
    0  x.csv      4
    """
    rows = []
    for p in paths:
        p = Path(p)
        shown = p.relative_to(root) if root is not None else p
        rows.append(
            {
                "path": shown.as_posix(),
                "bytes": p.stat().st_size,
                "sha256": sha256_file(p),
            }
        )
    table = pd.DataFrame(rows, columns=["path", "bytes", "sha256"])
    return table.sort_values("path", ignore_index=True)
