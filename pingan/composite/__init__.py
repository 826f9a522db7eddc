"""Build, compare and stress-test composite indices.

The toolkit normalises, treats, imputes, weights, aggregates and audits an
index built from a hierarchy of indicators (indicator -> dimension ->
domain -> index), and measures how much ranks depend on the choices made.

Each family lives in its own module and has one call shape:

- :mod:`~pingan.composite.normalise`, :mod:`~pingan.composite.outliers`,
  :mod:`~pingan.composite.impute` take and return a wide frame (index:
  areas, columns: indicators);
- :mod:`~pingan.composite.weights` and :mod:`~pingan.composite.ahp` return
  weights as a Series or a tidy weights table;
- :mod:`~pingan.composite.aggregate` maps a wide frame and weights to one
  score per area;
- :mod:`~pingan.composite.scheme` builds the whole index from a catalogue
  and a :class:`Scheme`;
- :mod:`~pingan.composite.audit` and :mod:`~pingan.composite.uncertainty`
  describe how much the result depends on the choices made.
"""

from pingan.composite.aggregate import AGGREGATE_METHODS, aggregate
from pingan.composite.ahp import RANDOM_INDEX, AhpResult, ahp_hierarchy, ahp_weights
from pingan.composite.audit import (
    compare_schemes,
    correlations,
    cronbach_alpha,
    pca_variance,
    rank_table,
    removal_impact,
)
from pingan.composite.impute import IMPUTE_METHODS, ImputeResult, impute
from pingan.composite.normalise import NORMALISE_METHODS, normalise
from pingan.composite.outliers import OutlierResult, skew_kurtosis, treat_outliers
from pingan.composite.ranking import rank_scores
from pingan.composite.scheme import (
    SCHEMES,
    CompositeResult,
    Scheme,
    build_composite,
    get_scheme,
    to_wide,
)
from pingan.composite.uncertainty import (
    UncertaintyResult,
    rank_uncertainty,
    scheme_sensitivity,
    sensitivity_indices,
)
from pingan.composite.weights import (
    combine_weights,
    effective_weights,
    equal_weights,
    hierarchy_weights,
    objective_weights,
    optimise_weights,
    points_weights,
)

__all__ = [
    "AGGREGATE_METHODS",
    "IMPUTE_METHODS",
    "NORMALISE_METHODS",
    "RANDOM_INDEX",
    "SCHEMES",
    "AhpResult",
    "CompositeResult",
    "ImputeResult",
    "OutlierResult",
    "Scheme",
    "UncertaintyResult",
    "aggregate",
    "ahp_hierarchy",
    "ahp_weights",
    "build_composite",
    "combine_weights",
    "compare_schemes",
    "correlations",
    "cronbach_alpha",
    "effective_weights",
    "equal_weights",
    "get_scheme",
    "hierarchy_weights",
    "impute",
    "normalise",
    "objective_weights",
    "optimise_weights",
    "pca_variance",
    "points_weights",
    "rank_scores",
    "rank_table",
    "rank_uncertainty",
    "removal_impact",
    "scheme_sensitivity",
    "sensitivity_indices",
    "skew_kurtosis",
    "to_wide",
    "treat_outliers",
]
