#pragma once
// Where committed runs go: per variant the runs.csv stream and the per-tick statistics; for a
// two-variant comparison the paired statistics. Runs are committed strictly in run-id order, so
// every accumulator sees the same sequence whatever the thread count.
#include <cstdio>
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

#include "geosim/sweep.h"
#include "stats.h"

namespace geosim::sweep {

class VariantSink {
 public:
  VariantSink(const SweepPlan& plan, std::size_t v, const std::filesystem::path& dir);
  ~VariantSink();
  VariantSink(const VariantSink&) = delete;
  VariantSink& operator=(const VariantSink&) = delete;

  /// Opens runs.csv.partial: fresh (writing the header), or truncated to `resume_size` bytes.
  void open(std::optional<std::uint64_t> resume_size);
  /// Appends the run's runs.csv line (formatted by runs_row, off the serial path) and adds
  /// its affinity and capability to the sums. Call in run-id order.
  void commit(const std::string& row, const RunRecord& record);
  /// Adds the recorded values of a chunk of runs (in run-id order) to the per-cell
  /// statistics. Cells are independent, so they are updated in parallel; each cell still sees
  /// the runs in run-id order, so the result does not depend on the thread count.
  void add_cells(const std::vector<const RunRecord*>& records);
  /// Flushes runs.csv.partial to stable storage; returns its size.
  std::uint64_t sync();
  /// Writes bands.csv, affinity.csv, capability.csv and renames runs.csv.partial to runs.csv.
  void finish();

  void save(std::ostream& out) const;
  void load(std::istream& in);

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path runs_path() const { return dir_ / "runs.csv"; }
  const std::vector<std::string>& metrics() const { return metrics_; }
  const std::vector<int>& ticks() const { return ticks_; }

 private:
  const SweepPlan& plan_;
  std::size_t v_;
  std::filesystem::path dir_;
  std::vector<std::string> metrics_;
  std::vector<int> ticks_;
  std::vector<std::vector<CellStats>> cells_;  ///< [recorded row][metric]
  /// Sums over successful runs, in run-id order (so the means are thread-count independent) of
  /// the N x N initial and final affinity and the N final capability shares.
  std::vector<double> initial_sum_, final_sum_, capability_sum_;
  std::uint64_t summed_ = 0;
  std::FILE* partial_ = nullptr;
};

/// Paired statistics of B - A for every summary column and every (tick, metric) cell that the
/// two variants share by name.
class CompareSink {
 public:
  CompareSink(const VariantSink& a, const VariantSink& b);
  /// Adds a chunk of run pairs (in run-id order); parallel over statistics, each of which
  /// sees the pairs in order.
  void commit(const std::vector<const RunRecord*>& a, const std::vector<const RunRecord*>& b);
  /// compare.csv: per summary column, n, mean of A, B and B-A, the paired 95 % CI, d_z, P(B > A).
  std::string compare_csv() const;
  std::string diff_bands_csv() const;

  void save(std::ostream& out) const;
  void load(std::istream& in);

  struct Paired {
    std::string column;  ///< "final:<metric>" or "late:<metric>"
    RunningMoments a, b, diff;
    std::uint64_t greater = 0;  ///< pairs with B > A
  };
  const std::vector<Paired>& paired() const { return paired_; }

 private:
  std::vector<std::pair<std::size_t, std::size_t>> shared_;  ///< metric index in A, in B
  std::vector<std::string> names_;
  std::vector<int> ticks_;
  std::vector<Paired> paired_;
  std::vector<std::vector<CellStats>> diff_cells_;
};

/// The paired 95 % confidence half-width t_{0.975, n-1} sd / sqrt(n) (NaN for n < 2).
double paired_half_width(const RunningMoments& diff);
/// Effect size d_z = mean / sd of the differences (0 when both are 0, +-inf when only sd is 0).
double effect_size(const RunningMoments& diff);

}  // namespace geosim::sweep
