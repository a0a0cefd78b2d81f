#pragma once
// Helpers around geosim::Distribution (include/geosim/uncertain.h) shared by the loader, the
// designs and the tests: names, supports and the analytic CDF.
#include <optional>
#include <span>
#include <string_view>
#include <utility>

#include "geosim/uncertain.h"

namespace geosim::sweep {

/// A distribution kind and its name under `dist:` in a scenario.
struct DistributionName {
  std::string_view name;
  DistributionKind kind;
};

/// Every kind, in DistributionKind order.
std::span<const DistributionName> distribution_names();

/// The YAML name of `kind` ("uniform", "truncnormal", ...).
std::string_view distribution_name(DistributionKind kind);

/// The smallest closed interval holding every value `d` can take; nullopt for the unbounded
/// normal. For choice, the smallest and largest value.
std::optional<std::pair<double, double>> support(const Distribution& d);

/// P(X <= x), the analytic CDF (used by the goodness-of-fit tests).
double cdf(const Distribution& d, double x);

}  // namespace geosim::sweep
