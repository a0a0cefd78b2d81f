// Saltelli sampling and Sobol' index estimation (engine/sensitivity/saltelli.h).
//
// The estimators see the outputs as a table with one row per complete base sample and one
// column per run of its block (A, AB^1..k, [BA^1..k], B). Every estimate, whether from all
// rows, the first half or a bootstrap resample, is one serial pass over a list of row numbers,
// so the same list always gives the same bits whatever thread computes it.
#include "sensitivity/saltelli.h"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "geosim/error.h"
#include "geosim/rng.h"
#include "sweep/sobol_points.h"

namespace geosim::sensitivity {
namespace {

/// The replicate slot of Rng::key_for, as in the sweep designs (engine/sweep/design.cpp).
constexpr std::uint64_t kDesignStream = static_cast<std::uint64_t>(Stream::kDesign);

/// The `k` field of the Philox counter: what a draw is for. Distinct from the sweep designs'
/// purposes (0 to 3) so that a sensitivity design and a sweep design never share a counter.
enum Purpose : std::uint32_t { kSaltelliShift = 0x5301, kBootstrapDraw = 0x5302 };

constexpr double kStableFloor = 0.05;  ///< see SobolIndices: the convergence rule
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void invalid(std::string message) {
  throw InputError({Diagnostic{{}, std::move(message), {}}});
}

std::uint64_t shift_word(std::uint64_t seed, std::size_t dimension) {
  const Rng rng(Rng::key_for(seed, 0, kDesignStream));
  const auto b = rng.block(0, Stream::kDesign, kSaltelliShift, static_cast<std::uint32_t>(dimension), 0);
  return (static_cast<std::uint64_t>(b[0]) << 32) | b[1];
}

void check_spec(const SaltelliSpec& spec) {
  const std::size_t most = sweep::SobolDirections::max_dimension() / 2;
  if (spec.inputs == 0 || spec.inputs > most) {
    invalid(fmt::format("a Saltelli design needs between 1 and {} inputs, got {}", most, spec.inputs));
  }
  if (spec.samples == 0) invalid("a Saltelli design needs at least 1 base sample, got 0");
  const std::uint64_t block = (spec.second_order ? 2 : 1) * spec.inputs + 2;
  if (spec.samples > std::numeric_limits<std::uint64_t>::max() / block) {
    invalid(fmt::format("a Saltelli design of {} base samples has more than 2^64 - 1 runs", spec.samples));
  }
}

}  // namespace

SaltelliDesign::SaltelliDesign(const SaltelliSpec& spec) : spec_(spec) {
  check_spec(spec_);
  sobol_ = std::make_shared<const sweep::SobolDirections>(2 * spec_.inputs);
  shifts_.assign(2 * spec_.inputs, 0);
  if (!spec_.scramble) return;
  for (std::size_t d = 0; d < shifts_.size(); ++d) shifts_[d] = shift_word(spec_.seed, d);
}

std::uint64_t SaltelliDesign::block() const { return (spec_.second_order ? 2 : 1) * spec_.inputs + 2; }

std::uint64_t SaltelliDesign::sobol_index(std::uint64_t sample) const {
  return spec_.scramble ? sample : sample + 1;
}

RunRole SaltelliDesign::role(std::uint64_t run) const {
  if (run >= runs()) throw std::out_of_range(fmt::format("Saltelli run {} is beyond the last, {}", run, runs() - 1));
  const std::uint64_t slot = run % block();
  const std::size_t k = spec_.inputs;
  RunRole out{run / block(), Matrix::kA, 0};
  if (slot == block() - 1) {
    out.matrix = Matrix::kB;
  } else if (slot >= 1 && slot <= k) {
    out.matrix = Matrix::kAB;
    out.input = static_cast<std::size_t>(slot - 1);
  } else if (slot > k) {
    out.matrix = Matrix::kBA;
    out.input = static_cast<std::size_t>(slot - 1 - k);
  }
  return out;
}

std::uint64_t SaltelliDesign::run(std::uint64_t sample, Matrix matrix, std::size_t input) const {
  const bool column = matrix == Matrix::kAB || matrix == Matrix::kBA;
  if (sample >= spec_.samples || (column && input >= spec_.inputs) ||
      (matrix == Matrix::kBA && !spec_.second_order)) {
    throw std::out_of_range(fmt::format("no Saltelli run for base sample {}, input {}", sample, input));
  }
  const std::uint64_t first = sample * block();
  switch (matrix) {
    case Matrix::kA: return first;
    case Matrix::kAB: return first + 1 + input;
    case Matrix::kBA: return first + 1 + spec_.inputs + input;
    case Matrix::kB: return first + block() - 1;
  }
  return first;
}

std::vector<double> SaltelliDesign::point(std::uint64_t run) const {
  const RunRole r = role(run);
  const std::size_t k = spec_.inputs;
  const auto words = sobol_->point(sobol_index(r.sample));
  auto coordinate = [&](std::size_t d) { return sweep::to_unit_interval(words[d] ^ shifts_[d]); };
  const bool from_b = r.matrix == Matrix::kB || r.matrix == Matrix::kBA;
  std::vector<double> out(k);
  for (std::size_t i = 0; i < k; ++i) out[i] = coordinate(from_b ? k + i : i);
  if (r.matrix == Matrix::kAB) out[r.input] = coordinate(k + r.input);
  if (r.matrix == Matrix::kBA) out[r.input] = coordinate(r.input);
  return out;
}

namespace {

/// The centred outputs of the complete base samples, one row of `width` runs per sample.
struct Table {
  std::size_t k = 0;
  bool second_order = false;
  std::size_t width = 0;
  std::vector<double> y;               ///< rows * width
  std::vector<std::uint64_t> sample;   ///< the base sample of each row
  double mean = 0;                     ///< of f(A) and f(B), subtracted from y

  std::size_t rows() const { return sample.size(); }
  const double* row(std::size_t r) const { return y.data() + r * width; }
  /// Indices per estimate: S_i, ST_i, then S_ij for i < j.
  std::size_t count() const { return 2 * k + (second_order ? k * (k - 1) / 2 : 0); }
};

bool complete(std::span<const double> block) {
  return std::all_of(block.begin(), block.end(), [](double v) { return std::isfinite(v); });
}

Table make_table(const SaltelliDesign& design, std::span<const double> outputs) {
  Table t{design.inputs(), design.second_order(), static_cast<std::size_t>(design.block()), {}, {}, 0};
  double sum = 0;
  for (std::uint64_t j = 0; j < design.samples(); ++j) {
    const auto block = outputs.subspan(j * t.width, t.width);
    if (!complete(block)) continue;
    t.y.insert(t.y.end(), block.begin(), block.end());
    t.sample.push_back(j);
    sum += block.front() + block.back();
  }
  if (t.rows() == 0) return t;
  t.mean = sum / static_cast<double>(2 * t.rows());
  for (double& v : t.y) v -= t.mean;
  return t;
}

/// Sums over the listed rows, in list order.
struct Sums {
  double a = 0, a2 = 0;  ///< f(A), f(A)^2 and the same for B, for V
  std::vector<double> first, total, pair;
};

void add_pairs(const Table& t, const double* y, std::vector<double>& pair) {
  const std::size_t k = t.k;
  const double ab = y[0] * y[t.width - 1];
  std::size_t p = 0;
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = i + 1; j < k; ++j) pair[p++] += y[1 + k + i] * y[1 + j] - ab;
  }
}

Sums sum_rows(const Table& t, std::span<const std::size_t> rows) {
  const std::size_t k = t.k;
  Sums s{0, 0, std::vector<double>(k), std::vector<double>(k), std::vector<double>(t.count() - 2 * k)};
  for (const std::size_t r : rows) {
    const double* y = t.row(r);
    const double a = y[0];
    const double b = y[t.width - 1];
    s.a += a + b;
    s.a2 += a * a + b * b;
    for (std::size_t i = 0; i < k; ++i) {
      s.first[i] += b * (y[1 + i] - a);
      s.total[i] += (a - y[1 + i]) * (a - y[1 + i]);
    }
    if (t.second_order) add_pairs(t, y, s.pair);
  }
  return s;
}

/// V: the population variance of the 2n values f(A) and f(B) summed in `s`.
double variance(const Sums& s, std::size_t rows) {
  const auto n2 = static_cast<double>(2 * rows);
  const double centre = s.a / n2;
  return s.a2 / n2 - centre * centre;
}

/// Every index from the listed rows: S_i, ST_i, S_ij (NaN when V is 0 or there are no rows).
std::vector<double> estimate(const Table& t, std::span<const std::size_t> rows) {
  const std::size_t k = t.k;
  std::vector<double> out(t.count(), kNaN);
  if (rows.empty()) return out;
  const Sums s = sum_rows(t, rows);
  const auto n = static_cast<double>(rows.size());
  const double v = variance(s, rows.size());
  if (!(v > 0)) return out;
  for (std::size_t i = 0; i < k; ++i) {
    out[i] = s.first[i] / n / v;
    out[k + i] = s.total[i] / (2 * n) / v;
  }
  std::size_t p = 0;
  for (std::size_t i = 0; i < k && t.second_order; ++i) {
    for (std::size_t j = i + 1; j < k; ++j, ++p) out[2 * k + p] = s.pair[p] / n / v - out[i] - out[j];
  }
  return out;
}

std::vector<std::size_t> all_rows(const Table& t) {
  std::vector<std::size_t> rows(t.rows());
  for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
  return rows;
}

std::vector<std::size_t> first_half_rows(const Table& t, std::uint64_t samples) {
  std::vector<std::size_t> rows;
  for (std::size_t r = 0; r < t.rows() && t.sample[r] < samples / 2; ++r) rows.push_back(r);
  return rows;
}

/// Resample b: n rows drawn with replacement, uniforms keyed only by (seed, b).
std::vector<std::size_t> resample_rows(std::size_t n, std::uint64_t seed, std::uint64_t b) {
  const Rng rng(Rng::key_for(seed, b, kDesignStream));
  std::vector<std::size_t> rows(n);
  for (std::size_t d = 0; d < n; d += 2) {
    const std::uint64_t pair = d / 2;
    const auto u = rng.uniform2(0, Stream::kDesign, kBootstrapDraw, static_cast<std::uint32_t>(pair),
                                static_cast<std::uint32_t>(pair >> 32));
    for (std::size_t h = 0; h < 2 && d + h < n; ++h) {
      const auto r = static_cast<std::size_t>(u[h] * static_cast<double>(n));
      rows[d + h] = std::min(r, n - 1);
    }
  }
  return rows;
}

/// replicates[b * count + m]: index m of resample b.
std::vector<double> bootstrap(const Table& t, const SobolOptions& options) {
  const std::size_t count = t.count();
  std::vector<double> out(options.resamples * count);
  const auto body = [&](const tbb::blocked_range<std::uint64_t>& range) {
    for (std::uint64_t b = range.begin(); b != range.end(); ++b) {
      const auto values = estimate(t, resample_rows(t.rows(), options.seed, b));
      std::copy(values.begin(), values.end(), out.begin() + static_cast<std::ptrdiff_t>(b * count));
    }
  };
  tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, options.resamples), body);
  return out;
}

/// The q-quantile of sorted values, interpolating linearly between order statistics.
double percentile(const std::vector<double>& sorted, double q) {
  const double h = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  if (lo + 1 >= sorted.size()) return sorted.back();
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[lo + 1] - sorted[lo]);
}

double standard_deviation(const std::vector<double>& values) {
  if (values.size() < 2) return kNaN;
  double mean = 0;
  for (const double v : values) mean += v;
  mean /= static_cast<double>(values.size());
  double squares = 0;
  for (const double v : values) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

/// Index m's estimate with the interval and SD of its finite replicates.
Estimate summarise(double value, const std::vector<double>& replicates, std::size_t m,
                   std::size_t count, double confidence) {
  std::vector<double> finite;
  for (std::size_t at = m; at < replicates.size(); at += count) {
    if (std::isfinite(replicates[at])) finite.push_back(replicates[at]);
  }
  if (finite.empty()) return {value, kNaN, kNaN, kNaN};
  std::sort(finite.begin(), finite.end());
  const double tail = (1 - confidence) / 2;
  return {value, percentile(finite, tail), percentile(finite, 1 - tail), standard_deviation(finite)};
}

bool unstable(const Estimate& full, double half) {
  const double width = std::isfinite(full.high - full.low) ? (full.high - full.low) / 2 : 0;
  return !(std::fabs(full.value - half) <= std::max(kStableFloor, width));
}

void check_outputs(const SaltelliDesign& design, std::span<const double> outputs, const SobolOptions& options) {
  if (outputs.size() != design.runs()) {
    invalid(fmt::format("the Saltelli design has {} runs but {} outputs were given", design.runs(), outputs.size()));
  }
  if (!options.names.empty() && options.names.size() != design.inputs()) {
    invalid(fmt::format("{} input names were given for {} inputs", options.names.size(), design.inputs()));
  }
  if (!(options.confidence > 0 && options.confidence < 1)) {
    invalid(fmt::format("the confidence level must be in (0, 1), got {}", options.confidence));
  }
}

std::vector<InputIndices> input_indices(const Table& t, const std::vector<Estimate>& all,
                                        const std::vector<double>& half, const SobolOptions& options) {
  std::vector<InputIndices> out(t.k);
  for (std::size_t i = 0; i < t.k; ++i) {
    InputIndices& x = out[i];
    x.input = i;
    x.name = options.names.empty() ? std::string() : options.names[i];
    x.first = all[i];
    x.total = all[t.k + i];
    x.first_half = half[i];
    x.total_half = half[t.k + i];
    x.unstable = unstable(x.first, x.first_half) || unstable(x.total, x.total_half);
  }
  return out;
}

std::vector<PairIndex> pair_indices(const Table& t, const std::vector<Estimate>& all) {
  std::vector<PairIndex> out;
  if (!t.second_order) return out;
  for (std::size_t i = 0; i < t.k; ++i) {
    for (std::size_t j = i + 1; j < t.k; ++j) out.push_back({i, j, all[2 * t.k + out.size()]});
  }
  return out;
}

}  // namespace

SobolIndices sobol_indices(const SaltelliDesign& design, std::span<const double> outputs,
                           const SobolOptions& options) {
  check_outputs(design, outputs, options);
  const Table t = make_table(design, outputs);
  if (t.rows() < 2) {
    throw Error(fmt::format("Sobol' indices need at least 2 base samples whose runs all have finite "
                            "outputs; {} of {} have",
                            t.rows(), design.samples()));
  }
  const auto full = estimate(t, all_rows(t));
  const auto half = estimate(t, first_half_rows(t, design.samples()));
  const auto replicates = bootstrap(t, options);
  std::vector<Estimate> all(t.count());
  for (std::size_t m = 0; m < all.size(); ++m) {
    all[m] = summarise(full[m], replicates, m, t.count(), options.confidence);
  }
  SobolIndices out;
  out.inputs = input_indices(t, all, half, options);
  out.pairs = pair_indices(t, all);
  out.variance = variance(sum_rows(t, all_rows(t)), t.rows());
  out.used = t.rows();
  out.dropped = design.samples() - t.rows();
  return out;
}

}  // namespace geosim::sensitivity
