// Distribution::quantile and grid_levels against known values, and goodness of fit of the
// values an mc design draws from each distribution.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "geosim/design.h"
#include "sweep/distributions.h"

namespace geosim {
namespace {

Distribution uniform(double min, double max) {
  Distribution d;
  d.kind = DistributionKind::kUniform;
  d.min = min;
  d.max = max;
  return d;
}
Distribution normal(double mean, double sd) {
  Distribution d;
  d.kind = DistributionKind::kNormal;
  d.mean = mean;
  d.sd = sd;
  return d;
}
Distribution truncnormal(double mean, double sd, double min, double max) {
  Distribution d = normal(mean, sd);
  d.kind = DistributionKind::kTruncNormal;
  d.min = min;
  d.max = max;
  return d;
}
Distribution triangular(double min, double mode, double max) {
  Distribution d = uniform(min, max);
  d.kind = DistributionKind::kTriangular;
  d.mode = mode;
  return d;
}
Distribution beta(double alpha, double b, double min = 0, double max = 1) {
  Distribution d = uniform(min, max);
  d.kind = DistributionKind::kBeta;
  d.alpha = alpha;
  d.beta = b;
  return d;
}
Distribution choice(std::vector<double> values, std::vector<double> weights = {}) {
  Distribution d;
  d.kind = DistributionKind::kChoice;
  d.values = std::move(values);
  d.weights = std::move(weights);
  return d;
}

TEST(Quantile, OfTheNormalAt0975IsTheMeanPlus1Point96Sd) {
  EXPECT_NEAR(normal(1, 2).quantile(0.975), 1 + 2 * 1.959963984540054, 1e-12);
  EXPECT_NEAR(normal(1, 2).quantile(0.025), 1 - 2 * 1.959963984540054, 1e-12);
  EXPECT_EQ(normal(3, 1).quantile(0.5), 3.0);
}

TEST(Quantile, OfTheNormalIsFiniteAtZeroAndJustBelowOne) {
  EXPECT_TRUE(std::isfinite(normal(0, 1).quantile(0.0)));
  EXPECT_TRUE(std::isfinite(normal(0, 1).quantile(std::nextafter(1.0, 0.0))));
  EXPECT_LT(normal(0, 1).quantile(0.0), -8);
}

TEST(Quantile, OfTheUniformAndTriangularFollowTheirClosedForms) {
  EXPECT_EQ(uniform(2, 4).quantile(0.25), 2.5);
  EXPECT_EQ(uniform(2, 4).quantile(0.0), 2.0);
  EXPECT_NEAR(triangular(0, 0.5, 1).quantile(0.5), 0.5, 1e-15);
  // F(x) = x^2 / (w (c - a)) below the mode: with [0, 4], mode 1, F(1) = 1/4.
  EXPECT_NEAR(triangular(0, 1, 4).quantile(0.25), 1.0, 1e-15);
  EXPECT_NEAR(triangular(0, 1, 4).quantile(1.0 / 16), 0.5, 1e-15);
  EXPECT_NEAR(triangular(0, 0, 1).quantile(0.75), 0.5, 1e-15);  // mode at the minimum
}

TEST(Quantile, OfTheBetaMatchesKnownValuesAndScalesToItsInterval) {
  EXPECT_NEAR(beta(2, 2).quantile(0.5), 0.5, 1e-14);
  EXPECT_NEAR(beta(1, 1).quantile(0.3), 0.3, 1e-14);
  // Beta(2, 1) has F(x) = x^2, so its quantile is sqrt(u).
  EXPECT_NEAR(beta(2, 1).quantile(0.49), 0.7, 1e-14);
  EXPECT_NEAR(beta(2, 1, 10, 20).quantile(0.49), 17, 1e-12);
}

TEST(Quantile, OfTheTruncatedNormalStaysInsideItsIntervalEvenFarInTheTail) {
  EXPECT_NEAR(truncnormal(0, 1, -1, 1).quantile(0.5), 0.0, 1e-15);
  // Phi(1.959963984540054) = 0.975: truncated to [0, inf) the quantile at 0.95 is that.
  EXPECT_NEAR(truncnormal(0, 1, 0, 1e9).quantile(0.95), 1.959963984540054, 1e-9);
  const Distribution tail = truncnormal(0, 1, 10, 11);  // Phi(10) is 1 in doubles
  double last = 10;
  for (double u : {0.0, 0.1, 0.5, 0.9, 0.999}) {
    const double x = tail.quantile(u);
    EXPECT_GE(x, last);
    EXPECT_LE(x, 11.0);
    last = x;
  }
  EXPECT_GT(tail.quantile(0.5), 10.0);
  EXPECT_LT(tail.quantile(0.5), 10.2);  // the mass is crowded against the lower bound
}

TEST(Quantile, OfAChoiceWalksTheCumulativeWeightsAndNeverPicksAZeroWeight) {
  const Distribution d = choice({0.4, 0.5, 0.6}, {1, 2, 1});
  EXPECT_EQ(d.quantile(0.0), 0.4);
  EXPECT_EQ(d.quantile(0.2), 0.4);
  EXPECT_EQ(d.quantile(0.25), 0.5);
  EXPECT_EQ(d.quantile(0.7), 0.5);
  EXPECT_EQ(d.quantile(0.8), 0.6);
  EXPECT_EQ(d.quantile(std::nextafter(1.0, 0.0)), 0.6);
  const Distribution skip = choice({1, 2, 3}, {1, 0, 1});
  for (double u = 0; u < 1; u += 0.001) EXPECT_NE(skip.quantile(u), 2.0);
  EXPECT_EQ(choice({7, 8}).quantile(0.49), 7.0);
}

TEST(GridLevels, AreTheMidQuantilesOrTheChoiceValues) {
  EXPECT_EQ(uniform(0, 1).grid_levels(4), (std::vector<double>{0.125, 0.375, 0.625, 0.875}));
  EXPECT_EQ(normal(5, 1).grid_levels(1), (std::vector<double>{5.0}));
  EXPECT_EQ(choice({1, 2, 3}, {0, 1, 1}).grid_levels(7), (std::vector<double>{1, 2, 3}));
}

/// n values of d drawn by an mc design (seed 2024), one input.
std::vector<double> mc_sample(const Distribution& d, std::uint64_t n) {
  UncertainInput input;
  input.path = "params.coop_threshold";
  input.distribution = d;
  const Design design(DesignSpec{DesignKind::kMc, n, 1, 2024, true, 3}, {input});
  std::vector<double> out;
  for (std::uint64_t p = 0; p < n; ++p) out.push_back(design.values(p)[0]);
  return out;
}

/// The Kolmogorov-Smirnov statistic D = sup |F_n(x) - F(x)| of a sample against d's CDF.
double ks_statistic(std::vector<double> sample, const Distribution& d) {
  std::sort(sample.begin(), sample.end());
  const auto n = static_cast<double>(sample.size());
  double worst = 0;
  for (std::size_t i = 0; i < sample.size(); ++i) {
    const double f = sweep::cdf(d, sample[i]);
    const double i_d = static_cast<double>(i);
    worst = std::max({worst, std::abs((i_d + 1) / n - f), std::abs(f - i_d / n)});
  }
  return worst;
}

// The asymptotic Kolmogorov distribution gives P(sqrt(n) D > c) = alpha for
// c = sqrt(-ln(alpha / 2) / 2); for alpha = 0.001, c = sqrt(ln(2000) / 2) = 1.9495, so at
// n = 20000 a correct sampler stays below 1.95 / sqrt(n) = 0.01379 in 999 seeds out of 1000.
constexpr std::uint64_t kSamples = 20000;
const double kKsCritical = 1.95 / std::sqrt(static_cast<double>(kSamples));

TEST(McSamples, PassTheKolmogorovSmirnovTestForEveryContinuousDistribution) {
  const std::vector<std::pair<const char*, Distribution>> cases{
      {"uniform", uniform(-1, 3)},
      {"normal", normal(0.5, 0.1)},
      {"truncnormal", truncnormal(0, 0.2, -0.5, 0.5)},
      {"truncnormal in the upper tail", truncnormal(0, 1, 2, 4)},
      {"triangular", triangular(0.1, 0.2, 0.4)},
      {"beta", beta(2, 5, 0, 0.2)},
      {"beta, U-shaped", beta(0.5, 0.5)}};
  for (const auto& [name, d] : cases) {
    SCOPED_TRACE(name);
    EXPECT_LT(ks_statistic(mc_sample(d, kSamples), d), kKsCritical);
  }
}

TEST(McSamples, OfAChoicePassThePearsonChiSquareTest) {
  const Distribution d = choice({0.4, 0.5, 0.6}, {1, 2, 1});
  std::vector<double> counts(3, 0);
  for (double v : mc_sample(d, kSamples)) counts[v == 0.4 ? 0 : v == 0.5 ? 1 : 2] += 1;
  const std::vector<double> expected{kSamples / 4.0, kSamples / 2.0, kSamples / 4.0};
  double chi2 = 0;
  for (std::size_t i = 0; i < 3; ++i) chi2 += std::pow(counts[i] - expected[i], 2) / expected[i];
  // The chi-square distribution with 2 degrees of freedom exceeds -2 ln(0.001) = 13.816
  // with probability 0.001.
  EXPECT_LT(chi2, 13.816);
}

}  // namespace
}  // namespace geosim
