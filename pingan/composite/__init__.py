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
