"""The pingan command line: exit status and one-line errors for bad arguments."""

from __future__ import annotations

import pytest

from pingan.cli import main

COMMANDS = ["validate", "report", "publish"]


def run(argv: list[str], capsys) -> tuple[int, str]:
    """Run the command line; return its exit status and standard error."""
    try:
        status = main(argv)
    except SystemExit as stop:  # argparse exits on its own errors
        status = stop.code
    return status, capsys.readouterr().err


def assert_one_line_error(err: str, message: str) -> None:
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("error: ")


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("quarter", "message"),
    [
        ("2024Q5", "quarter number must be 1 to 4"),
        ("2024-3", "quarter must be written YYYYQn, for example 2025Q3; got '2024-3'"),
        ("2031Q1", "no submissions for 2031Q1"),
    ],
)
def test_bad_quarter_exits_2(tiny_root, capsys, command, quarter, message):
    status, err = run([command, "--dataset", "tiny", "--quarter", quarter], capsys)
    assert status == 2
    assert_one_line_error(err, message)
    assert not (tiny_root / "reports").exists()


def test_missing_quarter_lists_available(tiny_root, capsys):
    _, err = run(["report", "--dataset", "tiny", "--quarter", "2031Q1"], capsys)
    assert "it has 2023Q1 to 2024Q4. Choose one of those quarters." in err


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "--dataset", "nowhere", "--quarter", "2024Q4"],
        ["report", "--dataset", "nowhere", "--quarter", "2024Q4"],
        ["report", "--dataset", "nowhere"],
        ["publish", "--dataset", "nowhere", "--quarter", "2024Q4"],
        ["publish", "--dataset", "nowhere"],
    ],
)
def test_unknown_dataset_exits_2(tiny_root, capsys, argv):
    status, err = run(argv, capsys)
    assert status == 2
    assert_one_line_error(err, "unknown dataset 'nowhere'")
    assert "Known datasets: tiny." in err


def test_no_datasets_names_search_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PINGAN_HOME", str(tmp_path))
    status, err = run(["report", "--dataset", "london"], capsys)
    assert status == 2
    assert_one_line_error(err, f"No dataset found under {tmp_path / 'data' / 'raw'}")
    assert "PINGAN_HOME" in err


@pytest.mark.parametrize("command", ["report", "publish"])
def test_bad_language_exits_2(tiny_root, capsys, command):
    argv = [command, "--dataset", "tiny", "--quarter", "2024Q4", "--language", "fr"]
    status, err = run(argv, capsys)
    assert status == 2
    assert "invalid choice: 'fr' (choose from 'zh', 'en')" in err
    assert "Traceback" not in err
    assert not (tiny_root / "reports").exists()


def test_datasets_rejects_unknown_option(tiny_root, capsys):
    status, err = run(["datasets", "--dataset", "tiny"], capsys)
    assert status == 2
    assert "unrecognized arguments: --dataset tiny" in err


def test_datasets_lists_the_fixture(tiny_root, capsys):
    assert main(["datasets"]) == 0
    assert "Tiny test data" in capsys.readouterr().out


def test_datasets_in_empty_home(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PINGAN_HOME", str(tmp_path))
    assert main(["datasets"]) == 0
    assert "No datasets found under data/raw/." in capsys.readouterr().out


@pytest.mark.parametrize("command", COMMANDS)
def test_broken_catalogue_exits_1(tiny_root, capsys, command):
    catalogue = tiny_root / "data" / "raw" / "tiny" / "catalogue.csv"
    catalogue.write_text("indicator,direction\n", encoding="utf-8")
    status, err = run([command, "--dataset", "tiny", "--quarter", "2024Q4"], capsys)
    assert status == 1
    assert "missing required column 'points'" in err
    assert str(catalogue) in err
    assert "Traceback" not in err
    assert not (tiny_root / "reports").exists()


@pytest.mark.parametrize("command", ["datasets", *COMMANDS])
def test_help_states_exit_status(capsys, command):
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "Exit status: 0 success, 1 the data has errors, 2 invalid arguments" in text
