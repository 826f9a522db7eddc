# Reference values of the improved Farrington algorithm (Noufaily et al. 2013)
# on quarterly counts, for tests/test_detect_aberration.py.
# Run from the repository root:
#   Rscript tests/reference/surveillance_farrington.R
# Produced with R surveillance 1.20.3 (Debian package r-cran-surveillance).
# Quarterly settings: b = 3 years, w = 0 with noPeriods = 4 (one factor level
# per quarter of the year), the last 2 quarters left out of each fit,
# Anscombe-residual weights above 2.58, negative binomial plug-in bound.
suppressPackageStartupMessages(library(surveillance))
y <- c(14, 12, 11, 10, 7, 10, 9, 8, 21, 12, 10, 14, 11, 11, 15, 8, 16, 8,
       15, 15, 34, 9, 19, 8, 22, 15, 7, 14, 37, 8, 45, 36, 7, 18, 13, 9,
       10, 30, 8, 17)
s <- sts(observed = y, frequency = 4, start = c(2015, 1))
control <- list(b = 3, w = 0, noPeriods = 4, pastWeeksNotIncluded = 2,
                reweight = TRUE, weightsThreshold = 2.58, alpha = 0.05,
                trend = TRUE, pThresholdTrend = 0.05, limit54 = c(5, 4),
                thresholdMethod = "nbPlugin", glmWarnings = FALSE)
res <- farringtonFlexible(s, control = control)
rows <- (length(y) - nrow(res) + 1):length(y)
out <- data.frame(position = rows, observed = y[rows],
                  upper = upperbound(res)[, 1], alarm = alarms(res)[, 1],
                  expected = res@control$expected[, 1],
                  phi = res@control$phiVector[, 1],
                  trend = res@control$trend[, 1],
                  p_value = res@control$pvalue[, 1])
write.csv(out, "tests/reference/surveillance_farrington.csv", row.names = FALSE)
