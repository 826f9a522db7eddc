"""Execute the weighting-scheme exploration notebook with papermill."""

from __future__ import annotations

import nbformat
import pytest

from pingan.composite.explore import check_exploration_parameters
from pingan.exceptions import PinganError
from pingan.i18n import label

SMALL = {
    "schemes": ["points", "equal", "entropy", "points_geometric"],
    "n_draws": 50,
    "sobol_n": 8,
}


def _execute(dataset, quarter, language, out_dir, notebook_text):
    from pingan.report import execute_notebook

    parameters = {"dataset": dataset, "quarter": quarter, "language": language}
    nb, _ = execute_notebook(
        "02-weights-exploration", parameters | SMALL, out_dir, progress=False
    )
    return notebook_text(nbformat.read(nb, as_version=4))


@pytest.fixture(scope="module")
def english(tmp_path_factory, notebook_text):
    out = tmp_path_factory.mktemp("weights-en")
    return _execute("xundian-example", "2025Q4", "en", out, notebook_text)


@pytest.fixture(scope="module")
def chinese(tmp_path_factory, notebook_text):
    out = tmp_path_factory.mktemp("weights-zh")
    return _execute("london", "2025Q3", "zh", out, notebook_text)


@pytest.mark.slow
def test_english_notebook_has_no_chinese(english):
    assert english.cjk_lines() == []
    assert "Lianhe Township" in english.all
    assert "Mean absolute rank shift" in english.all
    assert english.headings()[0] == label("weights_title", "en").splitlines()[0]


@pytest.mark.slow
def test_chinese_notebook_headings(chinese, text_heading):
    headings = chinese.headings()
    for key in ("weights_title", "weights_schemes", "weights_audit"):
        assert text_heading(key, "zh") in headings
    assert "威斯敏斯特" in chinese.all
    assert "平均排名变化(绝对值)" in chinese.all


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "zh"])
def test_figures_titled_in_language(language, english, chinese):
    run = english if language == "en" else chinese
    assert run.figure_titles() == [
        label(key, language)
        for key in ("fig_rank_shifts", "fig_uncertainty", "fig_sensitivity")
    ]
    for text in run.figures:
        assert "\nx: " in text
        assert "\ny: " in text


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "zh"])
def test_sobol_factors_and_no_printed_warnings(language, english, chinese):
    run = english if language == "en" else chinese
    assert "weights_domain" in run.all
    assert "missing from font" not in run.all
    # Warnings are listed in a table at the end, never printed to stderr.
    assert "Warning" not in "\n".join(run.streams)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"schemes": ["points"]}, "at least two names"),
        ({"schemes": ["points", "magic"]}, r"unknown scheme\(s\) \['magic'\]"),
        ({"n_draws": 5}, "n_draws must be in"),
        ({"sobol_n": 100}, "sobol_n must be a power of 2"),
        ({"language": "fr"}, "language must be one of 'zh', 'en'"),
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


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "zh"])
def test_tables_read_like_a_report(language, english, chinese):
    run = english if language == "en" else chinese
    assert run.html_tables()
    assert run.raw_cells() == []


@pytest.mark.slow
@pytest.mark.parametrize("language", ["en", "zh"])
def test_published_ranking_shown(language, english, chinese):
    text = {"en": english, "zh": chinese}[language]
    assert label("scheme.published", language) in text.all
    assert label("spearman", language) in text.all


def test_points_scheme_compared_with_published_index():
    from pingan.composite import build_composite, rank_table
    from pingan.composite.explore import (
        published_agreement,
        published_ranks,
        quarter_inputs,
    )
    from pingan.pipeline import run_quarter

    result = run_quarter("xundian-example", "2025Q4", write=False)
    data, catalogue = quarter_inputs(result)
    ranks = rank_table([build_composite(data, catalogue, "points")])
    published = published_ranks(result)
    assert sorted(published) == list(range(1, 17))
    row = published_agreement(ranks, published).iloc[0]
    # Min-max rescaling of the quarter ranks the townships differently from
    # the published goalpost scores: related, but far from the same order.
    assert 0.0 < row["spearman"] < 0.9
    assert row["areas_moved"] >= 8
