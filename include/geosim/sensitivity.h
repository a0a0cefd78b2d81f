#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "geosim/sweep.h"

namespace geosim {

/// How the indices of a sensitivity sweep are estimated (README, "Sensitivity").
struct SensitivityOptions {
  std::uint64_t resamples = 1000;  ///< bootstrap resamples of the Sobol' indices
};

/// One input's indices for one outcome: Sobol' (first, total, with bootstrap intervals and the
/// half-sample check) or Morris (mu, mu*, sigma per unit of the input; mu* per unit of its
/// probability scale).
struct SensitivityRow {
  std::string outcome, input;
  double s1 = 0, s1_low = 0, s1_high = 0, st = 0, st_low = 0, st_high = 0, s1_half = 0, st_half = 0;
  bool unstable = false;
  double mu = 0, mu_star = 0, sigma = 0, mu_star_unit = 0;
  std::uint64_t used = 0;     ///< base samples (Sobol') or effects (Morris) used
  std::uint64_t dropped = 0;  ///< base samples dropped for a failed run (Sobol')
};

/// A second-order index S_ij of one outcome.
struct SensitivityPair {
  std::string outcome, input_i, input_j;
  double value = 0, low = 0, high = 0;
};

struct SensitivityResult {
  bool morris = false;
  std::vector<SensitivityRow> rows;    ///< outcome by outcome, inputs in plan order
  std::vector<SensitivityPair> pairs;  ///< with second order only
};

/// The indices of a completed sweep whose plan has a saltelli or morris design, per plan
/// outcome, read back from the runs.csv of each variant in `dir`. With one variant, of its
/// outcomes; with two, of the paired difference variant 1 - variant 0 (common random
/// numbers). A point's output is the mean over its replicates (NaN when one failed).
/// Deterministic: the same plan and runs give the same bits at any thread count.
SensitivityResult sensitivity_indices(const SweepPlan& plan, const std::filesystem::path& dir,
                                      const SensitivityOptions& options = {});

/// sensitivity.csv (and sensitivity_pairs.csv when there are pairs) of `result` into `dir`.
void write_sensitivity(const SensitivityResult& result, const std::filesystem::path& dir);

}  // namespace geosim
