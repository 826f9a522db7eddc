"""pingan: a quarterly public-safety index (平安指数) for the townships of a county.

The package reads departments' quarterly submissions into one tidy table,
scores every area on a 100-point index, compares areas with each other and
with their own history, detects worsening trends and anomalies, grades the
quality of each department's data, and drives the early-warning loop.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pingan")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
