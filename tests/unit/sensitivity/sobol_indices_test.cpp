// Sobol' indices: analytic values of the Ishigami and G functions inside the bootstrap
// intervals, a direct transcription of the estimators, failed runs, convergence and
// determinism across thread counts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <vector>

#include "geosim/error.h"
#include "sensitivity/saltelli.h"
#include "unit/sensitivity/known_functions.h"

namespace geosim::sensitivity {
namespace {

using Model = std::function<double(const std::vector<double>&)>;

SaltelliDesign design(std::size_t inputs, std::uint64_t samples, bool second_order = false) {
  SaltelliSpec spec;
  spec.inputs = inputs;
  spec.samples = samples;
  spec.second_order = second_order;
  spec.seed = 2024;
  return SaltelliDesign(spec);
}

std::vector<double> evaluate(const SaltelliDesign& d, const Model& model) {
  std::vector<double> out(d.runs());
  for (std::uint64_t run = 0; run < d.runs(); ++run) out[run] = model(d.point(run));
  return out;
}

SobolOptions options(std::uint64_t resamples = 1000) {
  SobolOptions out;
  out.resamples = resamples;
  out.seed = 7;
  return out;
}

void expect_inside(const Estimate& e, double analytic, const std::string& what) {
  EXPECT_LE(e.low, analytic) << what << " = " << e.value << " [" << e.low << ", " << e.high << "]";
  EXPECT_GE(e.high, analytic) << what << " = " << e.value << " [" << e.low << ", " << e.high << "]";
}

TEST(SobolIndices, IshigamiIndicesLieInsideTheirBootstrapIntervals) {
  const Ishigami f;
  const SaltelliDesign d = design(3, 1 << 14);
  const SobolIndices s = sobol_indices(d, evaluate(d, f), options());
  ASSERT_EQ(s.inputs.size(), 3u);
  EXPECT_EQ(s.used, 1u << 14);
  EXPECT_EQ(s.dropped, 0u);
  for (std::size_t i = 0; i < 3; ++i) {
    expect_inside(s.inputs[i].first, f.first()[i], "S" + std::to_string(i + 1));
    expect_inside(s.inputs[i].total, f.total()[i], "ST" + std::to_string(i + 1));
    EXPECT_FALSE(s.inputs[i].unstable) << i;
  }
  // V from 2^15 points of a quasi-random net: within 1 % of the analytic 13.84.
  EXPECT_NEAR(s.variance, f.variance(), 0.01 * f.variance());
  EXPECT_TRUE(s.pairs.empty());
}

TEST(SobolIndices, SobolGFunctionIndicesLieInsideTheirBootstrapIntervals) {
  const SobolG g{{0, 1, 4.5, 9, 99, 99}};
  const SaltelliDesign d = design(6, 1 << 14);
  const SobolIndices s = sobol_indices(d, evaluate(d, g), options());
  for (std::size_t i = 0; i < 6; ++i) {
    expect_inside(s.inputs[i].first, g.first()[i], "S" + std::to_string(i + 1));
    expect_inside(s.inputs[i].total, g.total()[i], "ST" + std::to_string(i + 1));
    EXPECT_FALSE(s.inputs[i].unstable) << i;
  }
}

TEST(SobolIndices, IshigamiSecondOrderIndicesLieInsideTheirBootstrapIntervals) {
  const Ishigami f;
  const SaltelliDesign d = design(3, 1 << 14, true);
  const SobolIndices s = sobol_indices(d, evaluate(d, f), options());
  ASSERT_EQ(s.pairs.size(), 3u);
  const char* names[] = {"S12", "S13", "S23"};
  for (std::size_t p = 0; p < 3; ++p) expect_inside(s.pairs[p].value, f.pairs()[p], names[p]);
  EXPECT_EQ(s.pairs[1].i, 0u);
  EXPECT_EQ(s.pairs[1].j, 2u);
  for (std::size_t i = 0; i < 3; ++i) {
    expect_inside(s.inputs[i].first, f.first()[i], "S" + std::to_string(i + 1));
    expect_inside(s.inputs[i].total, f.total()[i], "ST" + std::to_string(i + 1));
  }
}

/// The estimators transcribed directly: outputs centred on the mean of f(A) and f(B) over the
/// complete base samples, then the sums of saltelli.h term by term.
struct Reference {
  std::vector<double> first, total, pairs;
};

Reference reference(const SaltelliDesign& d, const std::vector<double>& y) {
  const std::size_t k = d.inputs();
  std::vector<std::uint64_t> kept;
  for (std::uint64_t j = 0; j < d.samples(); ++j) {
    bool finite = true;
    for (std::uint64_t r = j * d.block(); r < (j + 1) * d.block(); ++r) finite = finite && std::isfinite(y[r]);
    if (finite) kept.push_back(j);
  }
  const auto n = static_cast<double>(kept.size());
  double mean = 0;
  for (const auto j : kept) mean += (y[d.run(j, Matrix::kA)] + y[d.run(j, Matrix::kB)]) / (2 * n);
  auto f = [&](std::uint64_t j, Matrix m, std::size_t i) { return y[d.run(j, m, i)] - mean; };
  double v = 0;
  for (const auto j : kept) {
    v += (std::pow(f(j, Matrix::kA, 0), 2) + std::pow(f(j, Matrix::kB, 0), 2)) / (2 * n);
  }
  Reference out{std::vector<double>(k), std::vector<double>(k), {}};
  for (std::size_t i = 0; i < k; ++i) {
    for (const auto j : kept) {
      out.first[i] += f(j, Matrix::kB, 0) * (f(j, Matrix::kAB, i) - f(j, Matrix::kA, 0)) / (n * v);
      out.total[i] += std::pow(f(j, Matrix::kA, 0) - f(j, Matrix::kAB, i), 2) / (2 * n * v);
    }
  }
  for (std::size_t a = 0; a < k; ++a) {
    for (std::size_t b = a + 1; b < k; ++b) {
      double sum = 0;
      for (const auto j : kept) {
        sum += f(j, Matrix::kBA, a) * f(j, Matrix::kAB, b) - f(j, Matrix::kA, 0) * f(j, Matrix::kB, 0);
      }
      out.pairs.push_back(sum / (n * v) - out.first[a] - out.first[b]);
    }
  }
  return out;
}

TEST(SobolIndices, MatchADirectTranscriptionOfTheEstimatorsWithFailedBlocksDropped) {
  const Ishigami f;
  const SaltelliDesign d = design(3, 256, true);
  auto y = evaluate(d, f);
  y[d.run(3, Matrix::kBA, 1)] = std::numeric_limits<double>::quiet_NaN();
  y[d.run(200, Matrix::kB)] = std::numeric_limits<double>::infinity();
  const SobolIndices s = sobol_indices(d, y, options(0));
  EXPECT_EQ(s.used, 254u);
  EXPECT_EQ(s.dropped, 2u);
  const Reference r = reference(d, y);
  // Indices are O(1) sums of 254 terms: rounding differences from the summation order stay
  // within a few hundred ulps of 1.
  constexpr double kTolerance = 1e-12;
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(s.inputs[i].first.value, r.first[i], kTolerance) << i;
    EXPECT_NEAR(s.inputs[i].total.value, r.total[i], kTolerance) << i;
  }
  for (std::size_t p = 0; p < 3; ++p) EXPECT_NEAR(s.pairs[p].value.value, r.pairs[p], kTolerance) << p;
  EXPECT_TRUE(std::isnan(s.inputs[0].first.low));  // no resamples, no interval
}

TEST(SobolIndices, DoNotDependOnAnOffsetInTheOutputs) {
  const Ishigami f;
  const SaltelliDesign d = design(3, 1024);
  auto y = evaluate(d, f);
  const SobolIndices plain = sobol_indices(d, y, options(0));
  for (double& v : y) v += 1e6;
  const SobolIndices shifted = sobol_indices(d, y, options(0));
  // Adding 1e6 rounds each output by at most half an ulp of 1e6 (5.8e-11), about 1.6e-11 of
  // the output SD (3.7); 1e-8 leaves a margin of several hundred for the sums.
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(plain.inputs[i].first.value, shifted.inputs[i].first.value, 1e-8) << i;
    EXPECT_NEAR(plain.inputs[i].total.value, shifted.inputs[i].total.value, 1e-8) << i;
  }
}

TEST(SobolIndices, FlagAnInputWhoseHalfSampleEstimateDisagrees) {
  // The first half of the base samples see y = x1, the second half y = x2: S1(N/2) = 1 while
  // S1(N) is about 1/2. x3 never matters, so its indices are 0 both ways.
  const SaltelliDesign d = design(3, 512);
  std::vector<double> y(d.runs());
  for (std::uint64_t run = 0; run < d.runs(); ++run) {
    const auto x = d.point(run);
    y[run] = d.role(run).sample < 256 ? x[0] : x[1];
  }
  const SobolIndices s = sobol_indices(d, y, options(200));
  EXPECT_NEAR(s.inputs[0].first_half, 1, 0.05);  // centred on the full-sample mean
  EXPECT_NEAR(s.inputs[0].first.value, 0.5, 0.1);
  EXPECT_TRUE(s.inputs[0].unstable);
  EXPECT_TRUE(s.inputs[1].unstable);
  EXPECT_FALSE(s.inputs[2].unstable);
  EXPECT_EQ(s.inputs[2].total.value, 0);
}

std::vector<double> flatten(const SobolIndices& s) {
  std::vector<double> out{s.variance};
  for (const auto& x : s.inputs) {
    for (const Estimate& e : {x.first, x.total}) out.insert(out.end(), {e.value, e.low, e.high, e.sd});
    out.insert(out.end(), {x.first_half, x.total_half, x.unstable ? 1.0 : 0.0});
  }
  for (const auto& p : s.pairs) out.insert(out.end(), {p.value.value, p.value.low, p.value.high, p.value.sd});
  return out;
}

TEST(SobolIndices, BootstrapIsBitIdenticalOnOneAndFourThreads) {
  const SaltelliDesign d = design(3, 1024, true);
  const auto y = evaluate(d, Ishigami{});
  std::vector<double> one, four;
  {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    one = flatten(sobol_indices(d, y, options(300)));
  }
  {
    const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 4);
    tbb::task_arena arena(4);
    arena.execute([&] { four = flatten(sobol_indices(d, y, options(300))); });
  }
  ASSERT_EQ(one.size(), four.size());
  for (std::size_t m = 0; m < one.size(); ++m) EXPECT_EQ(one[m], four[m]) << m;  // exact
  auto reseeded = options(300);
  reseeded.seed = 8;
  EXPECT_NE(flatten(sobol_indices(d, y, reseeded)), one);
}

TEST(SobolIndices, CarryTheInputNames) {
  const SaltelliDesign d = design(2, 64);
  auto o = options(10);
  o.names = {"alpha", "beta"};
  const auto s = sobol_indices(d, evaluate(d, [](const std::vector<double>& x) { return x[0] + 2 * x[1]; }), o);
  EXPECT_EQ(s.inputs[1].name, "beta");
  EXPECT_EQ(s.inputs[1].input, 1u);
}

TEST(SobolIndices, AreNaNAndUnstableWhenTheOutputsDoNotVary) {
  const SaltelliDesign d = design(2, 64);
  const SobolIndices s = sobol_indices(d, std::vector<double>(d.runs(), 3.0), options(20));
  EXPECT_EQ(s.variance, 0);
  EXPECT_TRUE(std::isnan(s.inputs[0].first.value));
  EXPECT_TRUE(std::isnan(s.inputs[0].total.low));
  EXPECT_TRUE(s.inputs[0].unstable);
}

TEST(SobolIndices, RejectOutputsOfTheWrongLengthWrongNamesAndBadConfidence) {
  using testing::HasSubstr;
  const SaltelliDesign d = design(2, 8);
  try {
    sobol_indices(d, std::vector<double>(31, 1.0));
    FAIL() << "31 outputs accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the Saltelli design has 32 runs but 31 outputs were given"));
  }
  auto named = options(10);
  named.names = {"only one"};
  const std::vector<double> y(32, 1.0);
  try {
    sobol_indices(d, y, named);
    FAIL() << "1 name for 2 inputs accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("1 input names were given for 2 inputs"));
  }
  auto level = options(10);
  level.confidence = 1;
  EXPECT_THROW(sobol_indices(d, y, level), InputError);
}

TEST(SobolIndices, NeedTwoCompleteBaseSamples) {
  const SaltelliDesign d = design(2, 8);
  std::vector<double> y(32, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t r = 0; r < 4; ++r) y[r] = 1;  // base sample 0 only
  try {
    sobol_indices(d, y);
    FAIL() << "1 complete base sample accepted";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), testing::HasSubstr("1 of 8 have"));
  }
}

}  // namespace
}  // namespace geosim::sensitivity
