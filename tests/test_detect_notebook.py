"""The trend-methods notebook runs end to end with papermill on small parameters."""

from pathlib import Path

import nbformat
import papermill
import pytest

from pingan.detect import check_study_parameters
from pingan.exceptions import PinganError

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "03-trend-methods.ipynb"


def test_notebook_parameters_cell_holds_literals():
    cell = nbformat.read(NOTEBOOK, as_version=4).cells[0]
    assert cell.metadata["tags"] == ["parameters"]
    for line in cell.source.splitlines():
        assert ": " in line.split("=")[0]
        assert "#" in line


def test_notebook_executes_on_small_parameters(tmp_path):
    out = tmp_path / "03-trend-methods.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={
            "n_sim": 5,
            "effects": [0.0, 1.0],
            "methods": ["mann_kendall", "ears_c1", "cusum"],
            "last_quarters": 8,
        },
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    executed = nbformat.read(out, as_version=4)
    errors = [
        o
        for c in executed.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert errors == []
    images = [
        o
        for c in executed.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "image/png" in o.get("data", {})
    ]
    assert len(images) == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_sim": 1}, "n_sim must be an integer >= 2"),
        ({"effects": [0.5]}, "effects must be non-negative and include 0"),
        ({"change": "jump"}, "change must be one of 'step', 'trend', 'outbreak'"),
        ({"methods": ["arima"]}, "methods must be one of 'mann_kendall'"),
    ],
)
def test_study_parameters_rejected(kwargs, message):
    args = {
        "n_sim": 10,
        "effects": [0, 1],
        "n_quarters": 16,
        "change": "step",
        "methods": ["mann_kendall"],
    } | kwargs
    with pytest.raises(PinganError, match=message):
        check_study_parameters(**args)
