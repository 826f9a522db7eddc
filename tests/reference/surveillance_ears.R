# Reference values of EARS C1, C2 and C3 for tests/test_detect_aberration.py.
# Run from the repository root:
#   Rscript tests/reference/surveillance_ears.R
# Produced with R surveillance 1.20.3 (Debian package r-cran-surveillance).
# The series is quarterly (freq = 4). alpha = 1 - pnorm(3) makes the C1/C2
# threshold exactly 3 standard deviations; C3 uses alpha = 1 - pnorm(2).
suppressPackageStartupMessages(library(surveillance))
y <- c(14, 12, 11, 10, 7, 10, 9, 8, 21, 12, 10, 14, 11, 11, 15, 8, 16, 8,
       15, 15, 34, 9, 19, 8, 22, 15, 7, 14, 37, 8, 45, 36, 7, 18, 13, 9,
       10, 30, 8, 17)
s <- sts(observed = y, frequency = 4, start = c(2015, 1))
out <- data.frame(position = seq_along(y), observed = y)
for (method in c("C1", "C2", "C3")) {
  alpha <- if (method == "C3") 1 - pnorm(2) else 1 - pnorm(3)
  res <- earsC(s, control = list(method = method, baseline = 8, alpha = alpha))
  rows <- (length(y) - nrow(res) + 1):length(y)
  out[[paste0(tolower(method), "_upper")]] <- NA
  out[[paste0(tolower(method), "_alarm")]] <- NA
  out[rows, paste0(tolower(method), "_upper")] <- upperbound(res)[, 1]
  out[rows, paste0(tolower(method), "_alarm")] <- alarms(res)[, 1]
}
write.csv(out, "tests/reference/surveillance_ears.csv", row.names = FALSE)
