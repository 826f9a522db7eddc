"""Execute the weighting-scheme exploration notebook with papermill."""

from __future__ import annotations

import nbformat
import pytest

from pingan.composite.explore import check_exploration_parameters
from pingan.exceptions import PinganError


def _outputs(path, stream: bool = False) -> str:
    """Text of the notebook's outputs, or of its stream (stdout, stderr) outputs."""
    nb = nbformat.read(path, as_version=4)
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if stream:
                parts.append(
                    out.get("text", "") if out["output_type"] == "stream" else ""
                )
            else:
                parts.append(out.get("text", ""))
                parts.append(str(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("dataset", "quarter", "expected"),
    [
        ("xundian-example", "2025Q4", "联合乡"),
        ("london", "2025Q3", "威斯敏斯特"),
    ],
)
def test_notebook_runs_on_bundled_datasets(dataset, quarter, expected, tmp_path):
    from pingan.report import execute_notebook

    parameters = {
        "dataset": dataset,
        "quarter": quarter,
        "schemes": ["points", "equal", "entropy", "points_geometric"],
        "n_draws": 50,
        "sobol_n": 8,
    }
    nb, _ = execute_notebook(
        "02-weights-exploration", parameters, tmp_path, progress=False
    )
    text = _outputs(nb)
    assert expected in text
    assert "weights_domain" in text
    assert "mean_abs_rank_shift" in text
    assert "missing from font" not in text
    # Warnings are listed in a table at the end, never printed to stderr.
    assert "Warning" not in _outputs(nb, stream=True)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"schemes": ["points"]}, "at least two names"),
        ({"schemes": ["points", "magic"]}, r"unknown scheme\(s\) \['magic'\]"),
        ({"n_draws": 5}, "n_draws must be in"),
        ({"sobol_n": 100}, "sobol_n must be a power of 2"),
    ],
)
def test_parameters_rejected(kwargs, message):
    base = {
        "dataset": "xundian-example",
        "quarter": "2025Q4",
        "schemes": ["points", "equal"],
    }
    with pytest.raises(PinganError, match=message):
        check_exploration_parameters(**(base | kwargs))
