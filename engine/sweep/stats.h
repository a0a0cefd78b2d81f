#pragma once
#include <cstdint>
#include <iosfwd>
#include <span>
#include <vector>

namespace geosim::sweep {

/// Mean and variance by Welford's update: exact to rounding, one pass, O(1) memory.
/// Deterministic for a given order of values.
class RunningMoments {
 public:
  void add(double value);
  std::uint64_t count() const { return n_; }
  double mean() const { return n_ ? mean_ : 0.0; }
  /// Sample standard deviation (n - 1 denominator); 0 for fewer than 2 values.
  double sd() const;

  void save(std::ostream& out) const;
  void load(std::istream& in);

 private:
  std::uint64_t n_ = 0;
  double mean_ = 0;
  double m2_ = 0;
};

/// Streaming quantiles. Up to kExactLimit values are kept and quantiles are exact (type 7:
/// linear interpolation between order statistics, the default of R and numpy). Beyond that the
/// values move into a Greenwald-Khanna summary (SIGMOD 2001) with epsilon = kEpsilon: a
/// returned quantile is an observed value whose rank is within epsilon * n of the requested
/// rank ceil(p n). Memory is O((1 / epsilon) log(epsilon n)), independent of n in practice.
/// New values are buffered and merged kBatch at a time in ascending order (a valid GK
/// insertion order), so adding a value costs O(log kBatch + size / kBatch), not O(size).
/// Deterministic for a given order of values.
class QuantileSketch {
 public:
  static constexpr std::size_t kExactLimit = 2048;
  static constexpr double kEpsilon = 0.005;
  static constexpr std::size_t kBatch = 100;  ///< 1 / (2 epsilon): GK's compression period

  void add(double value);
  double quantile(double p) const;
  /// quantile(p) for each p, the same values (one sort in the exact phase).
  std::vector<double> quantiles(std::span<const double> ps) const;
  std::uint64_t count() const { return n_; }
  bool exact() const { return summary_.empty() && n_ <= kExactLimit; }
  std::size_t memory_entries() const { return values_.size() + summary_.size() + pending_.size(); }

  void save(std::ostream& out) const;
  void load(std::istream& in);

 private:
  struct Tuple {
    double value;
    std::uint64_t g;      ///< rmin(i) - rmin(i - 1)
    std::uint64_t delta;  ///< rmax(i) - rmin(i)
  };
  void start_summary();
  void flush();
  void compress();
  static double exact_quantile(const std::vector<double>& sorted, double p);
  double summary_quantile(double p) const;

  std::uint64_t n_ = 0;
  std::vector<double> values_;   ///< exact phase, in arrival order
  std::vector<Tuple> summary_;   ///< summary phase
  std::vector<double> pending_;  ///< summary phase: values not merged yet
};

/// Moments and quantiles of one (tick, metric) cell across runs.
struct CellStats {
  RunningMoments moments;
  QuantileSketch quantiles;
  void add(double value) {
    moments.add(value);
    quantiles.add(value);
  }
};

/// The quantiles reported in bands.csv.
inline constexpr double kBandQuantiles[] = {0.05, 0.25, 0.50, 0.75, 0.95};

// Binary helpers for checkpoints (native endianness: a checkpoint is resumed on the machine
// that wrote it).
void write_u64(std::ostream& out, std::uint64_t value);
void write_f64(std::ostream& out, double value);
std::uint64_t read_u64(std::istream& in);
double read_f64(std::istream& in);

}  // namespace geosim::sweep
