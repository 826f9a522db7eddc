"""Trend, change-point and anomaly detection on quarterly series, and a test harness.

Every detector takes a Series indexed by quarterly Periods, or a tidy panel
with ``quarter``, ``value`` and key columns (e.g. ``area_code``,
``indicator``), and returns one tidy table with the columns

- ``method``, ``statistic``, ``p_value``, ``threshold``, ``is_anomaly``
  (bool) and ``reason`` (why a row is NaN),

with one row per series for tests (``mann_kendall``, ``seasonal_mann_kendall``,
``sens_slope``, ``pettitt``) and one row per series and quarter for flags
(``cusum``, ``segment``, ``ewma_chart``, ``shewhart_chart``, ``ears``,
``farrington``, ``stl_anomaly``). :func:`detect_all` runs any of them over a
panel; :func:`simulate` and :func:`evaluate` measure false alarms, power and
delay on simulated series with a planted change.
"""

from pingan.changes import period_change
from pingan.detect.aberration import ears, farrington
from pingan.detect.changepoint import cusum, pettitt, segment
from pingan.detect.control import ewma_chart, shewhart_chart
from pingan.detect.evaluate import evaluate, per_series, summarise
from pingan.detect.plots import plot_alarm_counts, plot_delay, plot_power
from pingan.detect.runner import DETECTORS, DetectionResult, detect_all, get_detector
from pingan.detect.seasonal import stl_anomaly
from pingan.detect.simulate import Simulation, simulate
from pingan.detect.study import (
    StudyParameters,
    alarm_counts,
    check_study_parameters,
    compare,
    dataset_panel,
    flag_counts,
)
from pingan.detect.trend import mann_kendall, seasonal_mann_kendall, sens_slope

__all__ = [
    "DETECTORS",
    "DetectionResult",
    "Simulation",
    "StudyParameters",
    "alarm_counts",
    "check_study_parameters",
    "flag_counts",
    "plot_alarm_counts",
    "plot_delay",
    "plot_power",
    "compare",
    "dataset_panel",
    "cusum",
    "detect_all",
    "ears",
    "evaluate",
    "ewma_chart",
    "farrington",
    "get_detector",
    "mann_kendall",
    "per_series",
    "period_change",
    "pettitt",
    "seasonal_mann_kendall",
    "segment",
    "sens_slope",
    "shewhart_chart",
    "simulate",
    "stl_anomaly",
    "summarise",
]
