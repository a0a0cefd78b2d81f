#pragma once
// Test functions with known Sobol' indices, shared by the estimator and pipeline tests.
#include <cmath>
#include <numbers>
#include <vector>

namespace geosim::sensitivity {

/// Ishigami and Homma (1990): f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i uniform on
/// [-pi, pi]. Partial variances in closed form (Saltelli et al. 2008, Global Sensitivity
/// Analysis: The Primer, section 2.9): V1 = (1 + b pi^4 / 5)^2 / 2, V2 = a^2 / 8, V3 = 0,
/// V13 = 8 b^2 pi^8 / 225, all other terms 0.
struct Ishigami {
  double a = 7;
  double b = 0.1;

  double operator()(const std::vector<double>& u) const {
    const double pi = std::numbers::pi;
    const double x1 = -pi + 2 * pi * u[0];
    const double x2 = -pi + 2 * pi * u[1];
    const double x3 = -pi + 2 * pi * u[2];
    return std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * std::pow(x3, 4) * std::sin(x1);
  }
  static double pi4() { return std::pow(std::numbers::pi, 4); }
  double v1() const { return 0.5 * (1 + b * pi4() / 5) * (1 + b * pi4() / 5); }
  double v2() const { return a * a / 8; }
  double v13() const { return 8 * b * b * pi4() * pi4() / 225; }
  double variance() const { return v1() + v2() + v13(); }
  std::vector<double> first() const { return {v1() / variance(), v2() / variance(), 0}; }
  std::vector<double> total() const {
    return {(v1() + v13()) / variance(), v2() / variance(), v13() / variance()};
  }
  std::vector<double> pairs() const { return {0, v13() / variance(), 0}; }  ///< S12, S13, S23
};

/// Sobol's G function: prod_i (|4 x_i - 2| + a_i) / (1 + a_i), x_i uniform on [0, 1];
/// V_i = 1 / (3 (1 + a_i)^2), V = prod (1 + V_i) - 1, ST_i = V_i prod_{j != i} (1 + V_j) / V.
struct SobolG {
  std::vector<double> a;

  double operator()(const std::vector<double>& u) const {
    double product = 1;
    for (std::size_t i = 0; i < a.size(); ++i) product *= (std::fabs(4 * u[i] - 2) + a[i]) / (1 + a[i]);
    return product;
  }
  double partial(std::size_t i) const { return 1 / (3 * (1 + a[i]) * (1 + a[i])); }
  double variance() const {
    double product = 1;
    for (std::size_t i = 0; i < a.size(); ++i) product *= 1 + partial(i);
    return product - 1;
  }
  std::vector<double> first() const {
    std::vector<double> out;
    for (std::size_t i = 0; i < a.size(); ++i) out.push_back(partial(i) / variance());
    return out;
  }
  std::vector<double> total() const {
    std::vector<double> out;
    for (std::size_t i = 0; i < a.size(); ++i) {
      double others = 1;
      for (std::size_t j = 0; j < a.size(); ++j) others *= j == i ? 1 : 1 + partial(j);
      out.push_back(partial(i) * others / variance());
    }
    return out;
  }
};

}  // namespace geosim::sensitivity
