"""The ``pingan`` command line: list datasets, validate a quarter, run reports.

Every subcommand has ``--help``. Errors in the input print a readable message
and exit with status 1; the library itself never prints.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from pingan import __version__
from pingan.exceptions import InputError, PinganError

__all__ = ["main", "build_parser"]

log = logging.getLogger("pingan")

EXIT_STATUS = (
    "Exit status: 0 success, 1 the data has errors, 2 invalid arguments (an "
    "unknown dataset, a quarter not written YYYYQn or without submissions, an "
    "unsupported language)."
)


def _cmd_datasets(args: argparse.Namespace) -> int:
    from pingan.datasets import list_datasets

    table = list_datasets()
    if table.empty:
        print("No datasets found under data/raw/.")
        return 0
    shown = table[["name", "kind", "first_quarter", "last_quarter", "title_en"]]
    print(shown.to_string(index=False))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from pingan.validate import validate_command

    text, ok = validate_command(args.dataset, args.quarter)
    print(text)
    return 0 if ok else 1


def _cmd_report(args: argparse.Namespace) -> int:
    from pingan.report import latest_quarter, run_report

    quarter = args.quarter or latest_quarter(args.dataset)
    paths = run_report(
        args.dataset, quarter, args.language, args.show_code, progress=not args.quiet
    )
    print(paths["html"])
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    from pingan.config import reports_dir
    from pingan.publish import publish
    from pingan.report import latest_quarter, localised_name

    quarter = args.quarter or latest_quarter(args.dataset)
    steps = publish(args.dataset, quarter, args.language, progress=not args.quiet)
    for r in steps.itertuples():
        output = r.output if isinstance(r.output, str) else ""
        line = f"{r.status:7} {r.step:24} {r.seconds:7.1f} s  {output}"
        print(line if r.status == "done" else f"{line}{r.error}")
    print(
        reports_dir(args.dataset, quarter) / localised_name("index.html", args.language)
    )
    return 0 if steps["status"].ne("failed").all() else 1


def _add_dataset_arguments(
    parser: argparse.ArgumentParser,
    quarter_required: bool = False,
    language: str | None = None,
) -> None:
    """Add --dataset, --quarter and, when ``language`` is given, --language."""
    parser.add_argument(
        "--dataset",
        required=True,
        help="dataset folder name under data/raw/ (see 'pingan datasets')",
    )
    quarter_help = "quarter, written YYYYQn"
    if not quarter_required:
        quarter_help += " (default: the dataset's last complete quarter)"
    parser.add_argument("--quarter", required=quarter_required, help=quarter_help)
    if language is not None:
        parser.add_argument(
            "--language",
            default="zh",
            choices=["zh", "en"],
            help=f"{language} (default: zh)",
        )


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``pingan`` command.

    Examples
    --------
    >>> build_parser().parse_args(["report", "--dataset", "london"]).quarter is None
    True
    """
    parser = argparse.ArgumentParser(
        prog="pingan",
        description="Quarterly public-safety index (平安指数): datasets, validation "
        "and reports.",
        epilog="Datasets are folders under data/raw/ of the project root, which is "
        "the folder above the installed package unless the environment variable "
        f"PINGAN_HOME names another. {EXIT_STATUS}",
    )
    parser.add_argument("--version", action="version", version=f"pingan {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-v", "--verbose", action="store_true", help="log each step to standard error"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "datasets",
        parents=[common],
        epilog=EXIT_STATUS,
        help="list the datasets under data/raw/",
        description="List the dataset folders under data/raw/ with their kind "
        "(real or synthetic) and quarters.",
    )
    p.set_defaults(func=_cmd_datasets)

    p = sub.add_parser(
        "validate",
        parents=[common],
        epilog=EXIT_STATUS,
        help="check a quarter's data; exit 1 if any finding is an error",
        description="Assess the quarter's submissions: each department's "
        "submission status, every data-quality finding with its file, row, "
        "value and reason, the actions taken, and the departments' "
        "negative-list scores. Exit status 1 when a finding is an error.",
    )
    _add_dataset_arguments(p, quarter_required=True)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "report",
        parents=[common],
        epilog=EXIT_STATUS,
        help="score a quarter and render its report",
        description="Check the parameters, score the quarter into "
        "data/processed/<dataset>/<quarter>/ and render "
        "notebooks/01-quarterly-report.ipynb into reports/<dataset>/<quarter>/ "
        "as .ipynb and self-contained .html, with the result tables (CSV, XLSX) "
        "and run_manifest.json. An English report puts .en before each file's "
        "extension, so it does not replace the Chinese one. Prints the HTML path.",
    )
    _add_dataset_arguments(p, language="report language")
    p.add_argument(
        "--show-code", action="store_true", help="keep the code cells in the HTML"
    )
    p.add_argument("--quiet", action="store_true", help="hide the progress bar")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser(
        "publish",
        parents=[common],
        epilog=EXIT_STATUS,
        help="run validation, scoring, detection, warnings and every notebook",
        description="Publish a quarter into reports/<dataset>/<quarter>/: data "
        "quality, scores, detection flags, warnings with letters and the "
        "register, then every report notebook (the annual review too for a "
        "fourth quarter), with index.html linking them. In English every file "
        "has .en before its extension (index.en.html), so both languages are "
        "kept. A failing step is reported and the others still run; exit "
        "status 1 if any failed.",
    )
    _add_dataset_arguments(p, language="language of the reports and letters")
    p.add_argument("--quiet", action="store_true", help="hide the progress bar")
    p.set_defaults(func=_cmd_publish)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Examples
    --------
    >>> main(["validate", "--dataset", "xundian-example", "--quarter", "2030Q1"])
    2
    """
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return args.func(args)
    except InputError as err:  # the data is wrong
        print(f"error: {err}", file=sys.stderr)
        return 1
    except PinganError as err:  # an argument is wrong
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
