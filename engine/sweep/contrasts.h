#pragma once
// An experiment's contrasts: every variant against the baseline (variant 0), per outcome,
// paired over runs with common random numbers, with a multiple-comparison correction over
// the whole table (README, "Experiments").
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "geosim/sweep.h"
#include "stats.h"

namespace geosim::sweep {

class ContrastSink {
 public:
  explicit ContrastSink(const SweepPlan& plan);

  /// Adds a chunk of runs, records[variant][run] in run-id order. Parallel over the
  /// (variant, outcome) cells, each of which sees the runs in order.
  void commit(const std::vector<std::vector<const RunRecord*>>& records);

  /// contrasts.csv: one line per variant and outcome (the baseline's lines first).
  std::string contrasts_csv() const;

  void save(std::ostream& out) const;
  void load(std::istream& in);

  /// One variant's statistics for one outcome, over the runs where it and the baseline both
  /// succeeded (the baseline's own cells: over its successful runs, with `diff` unused).
  struct Cell {
    RunningMoments base, value, diff;
    std::uint64_t better = 0;  ///< pairs where the variant is better than the baseline
    std::uint64_t ties = 0;    ///< pairs with equal values
  };
  const Cell& cell(std::size_t variant, std::size_t outcome) const { return cells_[variant][outcome]; }

 private:
  const SweepPlan& plan_;
  std::vector<std::vector<Cell>> cells_;  ///< [variant][outcome]
};

/// Holm's step-down adjustment of p-values (NaN entries are left out of the family and stay
/// NaN): the adjusted values control the family-wise error rate.
std::vector<double> holm_adjust(const std::vector<double>& p);

/// The two-sided p-value of the paired t test of mean(diff) = 0 (1 when every difference is
/// 0, 0 when they are all equal and not 0, NaN below 2 pairs).
double paired_p_value(const RunningMoments& diff);

/// Competition ranks ("1224") of `values`, best first; NaN ranks last.
std::vector<int> competition_ranks(const std::vector<double>& values, bool higher_is_better);

}  // namespace geosim::sweep
