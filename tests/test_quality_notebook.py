"""The data-quality notebook runs end to end under papermill."""

import json

import papermill as pm
import pytest

from pingan.config import notebooks_dir


@pytest.mark.slow
def test_data_quality_notebook_runs(tmp_path):
    output = tmp_path / "04-data-quality.ipynb"
    pm.execute_notebook(
        str(notebooks_dir() / "04-data-quality.ipynb"),
        str(output),
        parameters={"dataset": "xundian-example", "quarter": "2025Q3"},
        kernel_name="python3",
        progress_bar=False,
    )
    cells = json.loads(output.read_text(encoding="utf-8"))["cells"]
    text = json.dumps([c.get("outputs", []) for c in cells], ensure_ascii=False)
    assert "late_submission" in text
    assert "not applied: no power" in text
    assert '"output_type": "error"' not in text
