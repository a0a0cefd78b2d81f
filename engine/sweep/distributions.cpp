// Distribution::quantile, grid_levels and the helpers of distributions.h.
//
// Inverse CDFs: closed forms for uniform and triangular; Boost.Math (1.74) for the normal
// (boost::math::normal, via erfc_inv) and the beta (boost::math::beta_distribution, via
// ibeta_inv); the truncated normal by inversion of the normal restricted to [a, b],
//   F^-1(u) = Phi^-1(Phi(a) + u (Phi(b) - Phi(a))),
// computed with survival functions when a is above the mean so that intervals far in the
// upper tail keep their precision (Robert 1995 and Chopin 2011 discuss the tail problem);
// choice by walking the cumulative weights.
#include "sweep/distributions.h"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>

namespace geosim {
namespace sweep {
namespace {

namespace bm = boost::math;

constexpr std::array<DistributionName, 6> kNames{{{"uniform", DistributionKind::kUniform},
                                                  {"normal", DistributionKind::kNormal},
                                                  {"truncnormal", DistributionKind::kTruncNormal},
                                                  {"triangular", DistributionKind::kTriangular},
                                                  {"beta", DistributionKind::kBeta},
                                                  {"choice", DistributionKind::kChoice}}};

/// The normal's quantile needs u strictly inside (0, 1); 2^-54 gives about -8.2 sd.
constexpr double kLowestU = 0x1.0p-54;
constexpr double kHighestU = 1.0 - 0x1.0p-53;

/// The standard normal quantile, from the nearer tail so that both tails keep precision.
double standard_normal_quantile(double u) {
  const bm::normal standard;
  u = std::clamp(u, kLowestU, kHighestU);
  return u < 0.5 ? bm::quantile(standard, u) : bm::quantile(bm::complement(standard, 1.0 - u));
}

double truncnormal_quantile(const Distribution& d, double u) {
  const bm::normal standard;
  const double za = (d.min - d.mean) / d.sd;
  const double zb = (d.max - d.mean) / d.sd;
  double z = 0;
  if (za >= 0) {  // [a, b] in the upper tail: Phi(a) and Phi(b) would both round to 1
    const double sa = bm::cdf(bm::complement(standard, za));
    const double sb = bm::cdf(bm::complement(standard, zb));
    const double s = sa - u * (sa - sb);
    if (!(sa > sb) || !(s > 0)) return d.min + u * (d.max - d.min);  // no mass left in doubles
    z = bm::quantile(bm::complement(standard, std::min(s, 1.0)));
  } else {
    const double fa = bm::cdf(standard, za);
    const double fb = bm::cdf(standard, zb);
    const double f = fa + u * (fb - fa);
    if (!(fb > fa) || !(f > 0)) return d.min + u * (d.max - d.min);
    if (f >= 1) return d.max;
    z = bm::quantile(standard, f);
  }
  return std::clamp(d.mean + d.sd * z, d.min, d.max);
}

double triangular_quantile(const Distribution& d, double u) {
  const double width = d.max - d.min;
  const double f_mode = (d.mode - d.min) / width;
  if (u < f_mode) return d.min + std::sqrt(u * width * (d.mode - d.min));
  return d.max - std::sqrt((1.0 - u) * width * (d.max - d.mode));
}

double beta_quantile(const Distribution& d, double u) {
  const bm::beta_distribution<double> beta(d.alpha, d.beta);
  return d.min + (d.max - d.min) * bm::quantile(beta, u);
}

/// The weight of choice value i (equal weights when none are given).
double weight(const Distribution& d, std::size_t i) { return d.weights.empty() ? 1.0 : d.weights[i]; }

double total_weight(const Distribution& d) {
  double total = 0;
  for (std::size_t i = 0; i < d.values.size(); ++i) total += weight(d, i);
  return total;
}

/// The first value whose cumulative weight exceeds u * total: value i is chosen with
/// probability w_i / total, and a zero-weight value never.
double choice_quantile(const Distribution& d, double u) {
  const double target = u * total_weight(d);
  double cumulative = 0;
  std::size_t last_positive = 0;
  for (std::size_t i = 0; i < d.values.size(); ++i) {
    if (weight(d, i) <= 0) continue;
    cumulative += weight(d, i);
    last_positive = i;
    if (target < cumulative) return d.values[i];
  }
  return d.values.empty() ? 0.0 : d.values[last_positive];  // u * total rounded up to total
}

double truncnormal_cdf(const Distribution& d, double x) {
  const bm::normal normal(d.mean, d.sd);
  const double fa = bm::cdf(normal, d.min);
  const double fb = bm::cdf(normal, d.max);
  return std::clamp((bm::cdf(normal, std::clamp(x, d.min, d.max)) - fa) / (fb - fa), 0.0, 1.0);
}

double triangular_cdf(const Distribution& d, double x) {
  if (x <= d.min) return 0;
  if (x >= d.max) return 1;
  const double width = d.max - d.min;
  if (x <= d.mode) return (x - d.min) * (x - d.min) / (width * (d.mode - d.min));
  return 1 - (d.max - x) * (d.max - x) / (width * (d.max - d.mode));
}

double choice_cdf(const Distribution& d, double x) {
  double below = 0;
  for (std::size_t i = 0; i < d.values.size(); ++i) {
    if (d.values[i] <= x) below += weight(d, i);
  }
  return below / total_weight(d);
}

}  // namespace

std::span<const DistributionName> distribution_names() { return kNames; }

std::string_view distribution_name(DistributionKind kind) {
  return kNames[static_cast<std::size_t>(kind)].name;
}

std::optional<std::pair<double, double>> support(const Distribution& d) {
  switch (d.kind) {
    case DistributionKind::kNormal:
      return std::nullopt;
    case DistributionKind::kChoice: {
      if (d.values.empty()) return std::nullopt;
      const auto [lo, hi] = std::minmax_element(d.values.begin(), d.values.end());
      return std::pair{*lo, *hi};
    }
    default:
      return std::pair{d.min, d.max};
  }
}

double cdf(const Distribution& d, double x) {
  switch (d.kind) {
    case DistributionKind::kUniform:
      return std::clamp((x - d.min) / (d.max - d.min), 0.0, 1.0);
    case DistributionKind::kNormal:
      return bm::cdf(bm::normal(d.mean, d.sd), x);
    case DistributionKind::kTruncNormal:
      return truncnormal_cdf(d, x);
    case DistributionKind::kTriangular:
      return triangular_cdf(d, x);
    case DistributionKind::kBeta:
      return bm::cdf(bm::beta_distribution<double>(d.alpha, d.beta),
                     std::clamp((x - d.min) / (d.max - d.min), 0.0, 1.0));
    case DistributionKind::kChoice:
      return choice_cdf(d, x);
  }
  return 0;
}

}  // namespace sweep

double Distribution::quantile(double u) const {
  u = std::clamp(u, 0.0, sweep::kHighestU);
  switch (kind) {
    case DistributionKind::kUniform:
      return min + u * (max - min);
    case DistributionKind::kNormal:
      return mean + sd * sweep::standard_normal_quantile(u);
    case DistributionKind::kTruncNormal:
      return sweep::truncnormal_quantile(*this, u);
    case DistributionKind::kTriangular:
      return sweep::triangular_quantile(*this, u);
    case DistributionKind::kBeta:
      return sweep::beta_quantile(*this, u);
    case DistributionKind::kChoice:
      return sweep::choice_quantile(*this, u);
  }
  return min;
}

std::vector<double> Distribution::grid_levels(int levels) const {
  if (kind == DistributionKind::kChoice) return values;
  std::vector<double> out;
  for (int i = 0; i < levels; ++i) out.push_back(quantile((i + 0.5) / levels));
  return out;
}

}  // namespace geosim
