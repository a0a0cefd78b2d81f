#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace geosim::sweep {
class SobolDirections;
}

namespace geosim::sensitivity {

/// The sampling matrix a Saltelli run evaluates. AB^(i) is A with column i taken from B;
/// BA^(i) is B with column i taken from A.
enum class Matrix { kA, kAB, kBA, kB };

/// Which row of which matrix one run is: base sample j, the matrix, and i for AB^(i) and
/// BA^(i) (0 for A and B).
struct RunRole {
  std::uint64_t sample = 0;
  Matrix matrix = Matrix::kA;
  std::size_t input = 0;
};

/// What a Saltelli design samples.
struct SaltelliSpec {
  std::size_t inputs = 0;         ///< k, at least 1 and at most half of Boost's Sobol dimensions
  std::uint64_t samples = 0;      ///< N base samples, at least 1 (a power of two keeps the net)
  bool second_order = false;      ///< also sample BA^(i), for the second-order indices
  std::uint64_t seed = 1;         ///< keys the digital shift
  bool scramble = true;           ///< a random digital shift keyed by the seed
};

/// The Saltelli (2002, 2010) sampling design for Sobol' indices on the unit cube [0, 1)^k.
///
/// Base sample j uses one point of Boost's 2k-dimensional Sobol sequence (Joe and Kuo 2008,
/// engine/sweep/sobol_points.h): its first k coordinates are row j of A, its last k row j of B.
/// Unscrambled, sample j is Sobol point j + 1 (the origin is skipped, so these are Boost's first
/// N vectors, as in the classic construction). Scrambled, each of the 2k dimensions is XORed with
/// a Philox word of (seed, dimension), a random digital shift as in the sweep's sobol design, and
/// sample j is Sobol point j: the shifted points never sit on the origin and the first 2^m of
/// them stay a (t, m, 2k)-net (Owen 2020 argues against dropping the first point).
///
/// Runs are laid out by base sample in blocks of block() runs, as in the published construction:
///   A_j, AB_j^(1), ..., AB_j^(k), [BA_j^(1), ..., BA_j^(k) with second order], B_j
/// so run j * block() is A_j and run (j + 1) * block() - 1 is B_j. runs() = N (k + 2), or
/// N (2k + 2) with second order.
///
/// Immutable after construction; point() and role() are pure and thread-safe.
class SaltelliDesign {
 public:
  /// Throws InputError when k is 0 or above half of Boost's Sobol dimensions, when N is 0, or
  /// when runs() would overflow 64 bits.
  explicit SaltelliDesign(const SaltelliSpec& spec);

  std::size_t inputs() const { return spec_.inputs; }
  std::uint64_t samples() const { return spec_.samples; }
  bool second_order() const { return spec_.second_order; }
  const SaltelliSpec& spec() const { return spec_; }

  /// Runs per base sample: k + 2, or 2k + 2 with second order.
  std::uint64_t block() const;
  /// All runs: N * block().
  std::uint64_t runs() const { return spec_.samples * block(); }

  /// The k unit-cube values of one run. Throws std::out_of_range when run >= runs().
  std::vector<double> point(std::uint64_t run) const;

  /// The row and matrix of one run. Throws std::out_of_range when run >= runs().
  RunRole role(std::uint64_t run) const;

  /// The run that evaluates row `sample` of a matrix (input i for AB^(i) and BA^(i), ignored
  /// for A and B). Throws std::out_of_range for a row, input or matrix that is not sampled.
  std::uint64_t run(std::uint64_t sample, Matrix matrix, std::size_t input = 0) const;

  /// The Sobol point index base sample j uses: j + 1 unscrambled, j scrambled.
  std::uint64_t sobol_index(std::uint64_t sample) const;

 private:
  SaltelliSpec spec_;
  std::shared_ptr<const sweep::SobolDirections> sobol_;
  std::vector<std::uint64_t> shifts_;  ///< per Sobol dimension (2k); zeros unscrambled
};

/// An index with its bootstrap summary.
struct Estimate {
  double value = 0;  ///< from all complete base samples
  double low = 0;    ///< bootstrap percentile interval, lower end
  double high = 0;   ///< bootstrap percentile interval, upper end
  double sd = 0;     ///< bootstrap standard deviation (n - 1 denominator)
};

/// First- and total-order indices of one input.
struct InputIndices {
  std::size_t input = 0;
  std::string name;   ///< empty when no names were given
  Estimate first;     ///< S_i, Saltelli et al. (2010)
  Estimate total;     ///< ST_i, Jansen (1999)
  double first_half = 0;  ///< S_i from the complete base samples j < N / 2
  double total_half = 0;  ///< ST_i from the complete base samples j < N / 2
  bool unstable = false;  ///< see SobolIndices: the convergence rule
};

/// The second-order index S_ij of inputs i < j.
struct PairIndex {
  std::size_t i = 0;
  std::size_t j = 0;
  Estimate value;
};

/// How sobol_indices() estimates.
struct SobolOptions {
  std::uint64_t resamples = 1000;    ///< bootstrap resamples; 0 skips the bootstrap
  double confidence = 0.95;          ///< of the percentile intervals, in (0, 1)
  std::uint64_t seed = 1;            ///< keys the bootstrap draws
  std::vector<std::string> names;    ///< k input names, or empty
};

/// Sobol' indices estimated from a Saltelli design's outputs.
///
/// Estimators, over the n complete base samples, with outputs first centred on the mean of
/// f(A) and f(B) (Sobol' 2001: the product estimators lose accuracy when the mean is large;
/// a constant shift leaves the expectation of every estimator unchanged):
///   V     = population variance (denominator 2n) of the 2n values f(A) and f(B)
///   S_i   = (1/n) sum_j f(B)_j (f(AB^i)_j - f(A)_j) / V                  (Saltelli et al. 2010)
///   ST_i  = (1/(2n)) sum_j (f(A)_j - f(AB^i)_j)^2 / V                    (Jansen 1999)
///   S_ij  = (1/n) sum_j (f(BA^i)_j f(AB^j)_j - f(A)_j f(B)_j) / V - S_i - S_j  (Saltelli 2002)
/// When V is 0 every index is NaN.
///
/// Failed runs: a base sample whose block holds any non-finite output (NaN or infinite) is
/// dropped whole, since every estimator pairs rows of one block; `dropped` counts them.
///
/// Bootstrap: resample b draws n complete base samples with replacement, with uniforms keyed
/// only by (seed, b), and recomputes every index; intervals are the (1 -/+ confidence) / 2
/// percentiles of the finite replicates (linear interpolation between order statistics).
///
/// Convergence: each index is also computed from the complete base samples j < N / 2. An input
/// is `unstable` when, for S_i or ST_i, |S(N) - S(N/2)| > max(0.05, half-width of the interval),
/// or when either value is NaN (it cannot be shown to have converged). The half sample is a subset of the full
/// one, so S(N) - S(N/2) is half the difference of two independent half-sample estimates and
/// has about the standard error of S(N); at the 95 % level the half-width is 1.96 of those
/// errors, so a converged index is flagged about 1 time in 20. The floor of 0.05, the usual
/// threshold below which an input is called non-influential, keeps very narrow intervals from
/// flagging differences too small to change any conclusion.
struct SobolIndices {
  std::vector<InputIndices> inputs;
  std::vector<PairIndex> pairs;   ///< (i, j), i < j, in row order; empty without second order
  double variance = 0;            ///< V, of the outputs as given
  std::uint64_t used = 0;         ///< complete base samples n
  std::uint64_t dropped = 0;      ///< base samples dropped for a non-finite output
};

/// Estimates Sobol' indices from `outputs`, one per run in the design's run order.
/// Deterministic: the same outputs, design and options give bit-identical results at any
/// thread count (resamples run in parallel with oneTBB, each summed serially in a fixed order).
/// Throws InputError when outputs.size() != design.runs(), when names are given but not k of
/// them, or when confidence is not in (0, 1); throws Error when fewer than 2 base samples are
/// complete.
SobolIndices sobol_indices(const SaltelliDesign& design, std::span<const double> outputs,
                           const SobolOptions& options = {});

}  // namespace geosim::sensitivity
