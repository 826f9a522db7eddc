"""Rebuild a bundled dataset folder: ``python -m pingan.datasets build NAME``.

The folder is written under ``data/raw/NAME`` of the project root (see
:func:`pingan.config.raw_dir`), or under ``--out`` when given.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from pathlib import Path

from pingan.config import raw_dir

#: Dataset name -> builder module.
BUILDERS = {
    "london": "pingan.datasets.london",
    "ireland": "pingan.datasets.ireland",
    "xundian-example": "pingan.datasets.xundian",
}

log = logging.getLogger("pingan.datasets")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pingan.datasets", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="rebuild one dataset folder")
    build.add_argument("name", choices=sorted(BUILDERS), help="dataset to build")
    build.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder to write (default: data/raw/NAME of the project)",
    )
    build.add_argument(
        "--source",
        type=Path,
        default=None,
        help="folder of the original files (default: OUT/source)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : list of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        Exit status, 0 on success. Invalid arguments exit through argparse
        with status 2.

    Examples
    --------
    >>> import tempfile
    >>> main(["build", "xundian-example", "--out", tempfile.mkdtemp()])
    0
    """
    args = _parser().parse_args(argv)
    out = args.out if args.out is not None else raw_dir(args.name)
    source = args.source
    if source is None and args.out is not None and args.name != "xundian-example":
        source = raw_dir(args.name) / "source"
    builder = importlib.import_module(BUILDERS[args.name])
    log.info("building %s into %s", args.name, out)
    builder.build(Path(out), source)
    log.info("built %s", args.name)
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    sys.exit(main())
