#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geosim/error.h"

namespace geosim {

struct ScenarioSpec;

enum class DistributionKind { kUniform, kNormal, kTruncNormal, kTriangular, kBeta, kChoice };

/// A distribution over one numeric scenario input (MODEL.md section 6, `uncertain:`).
/// Parameters used per kind: uniform (min, max); normal (mean, sd); truncnormal (mean, sd, min,
/// max); triangular (min, mode, max); beta (alpha, beta, scaled to [min, max], default [0, 1]);
/// choice (values, optional weights).
struct Distribution {
  DistributionKind kind = DistributionKind::kUniform;
  double min = 0, max = 1, mean = 0, sd = 1, mode = 0, alpha = 1, beta = 1;
  std::vector<double> values;
  std::vector<double> weights;  ///< empty: equal weights

  /// The inverse CDF at u in [0, 1): the value a design's uniform coordinate maps to. For the
  /// unbounded normal, u is first clamped to [2^-54, 1 - 2^-53] so that the result is finite.
  double quantile(double u) const;
  /// `levels` values for a grid design: the choice values for `choice`, else the quantiles at
  /// (i + 0.5) / levels.
  std::vector<double> grid_levels(int levels) const;
};

/// What an input's path resolves to, filled by the loader so that apply_inputs never parses
/// a path or looks up an id (it runs once per sweep run). Indexes are 0-based, in scenario
/// order; which of them are used depends on `kind`.
struct InputTarget {
  enum class Kind {
    kParam,            ///< a: index in param_table()
    kCapability,       ///< a: agent
    kSusceptibility,   ///< a: agent
    kGrowth,           ///< a: agent
    kCapital,          ///< a: agent
    kPosition,         ///< a: agent, b: issue
    kAnchor,           ///< a: agent, b: issue
    kSalience,         ///< a: agent, b: issue
    kAffinity,         ///< a: from, b: to (A0_ab)
    kInitialAffinity,  ///< a: from, b: to (A_ab(0))
    kTrade,            ///< a, b: the dyad (e_ab = e_ba)
    kClimate,          ///< a: region
    kPolicyAt,         ///< a: index in ScenarioSpec::policies
    kPivotShare,       ///< a: policy, b: entry in PivotPolicy::shares
    kPolicyAnchor,     ///< a: policy, b: entry in AnchorPolicy::anchors
    kPolicySalience,   ///< a: policy, b: entry in SaliencePolicy::saliences
    kPolicyClimate,    ///< a: policy (a ClimatePolicy)
    kTradeFactor,      ///< a: policy (a SanctionPolicy)
    kEventAt,          ///< a: index in ScenarioSpec::events
    kHazard,           ///< a: event
  };
  Kind kind = Kind::kParam;
  int a = 0;
  int b = 0;
  /// The valid range the value is clipped to (the loader's range for the path).
  double min = 0;
  double max = 0;
  bool min_exclusive = false;  ///< clipped to the next double above `min`
  bool max_exclusive = false;  ///< clipped to the next double below `max`
  bool integer = false;        ///< a tick: rounded to the nearest integer
  /// kAffinity: also set A_ab(0), because the scenario gives no separate initial_affinity
  /// for the dyad (A(0) defaults to A0). kPosition: also set the anchor, which defaults to
  /// the position. False when the other field is given or is itself an uncertain input.
  bool also_initial = false;
};

/// One uncertain input: a numeric path of the scenario and its distribution.
/// Paths (ids as in the scenario):
///   params.<key>
///   agents.<I>.capability | susceptibility | growth | capital
///   agents.<I>.interests.<K>.position | anchor | salience
///   relations.<I>.<J>.affinity | initial_affinity   (directed: A_IJ only)
///   relations.<I>.<J>.trade                          (symmetric)
///   regions.<R>.climate
///   policies.<policy id>.at | pivot.<J> | anchor.<K> | salience.<K> | climate | trade_factor
///   events.<event id>.at | hazard
struct UncertainInput {
  std::string path;
  Distribution distribution;
  std::vector<double> grid;  ///< explicit grid values (`grid: [...]`), empty if not given
  SourceLocation where;
  std::string id;            ///< optional `id` (for overlays and messages)
  InputTarget target;        ///< `path` resolved by the loader
};

/// The scenario with sampled values applied. Each value is clipped to its path's valid range
/// (integer paths such as ticks are rounded), and an agent's saliences are renormalised: the
/// saliences not sampled are rescaled so that all sum to 1 (or all are divided by their sum
/// when the sampled ones alone exceed 1, or when the others are all 0; equal saliences when
/// every one is 0). `values[i]` is for `spec.uncertain[i]`; the values actually used (after
/// clipping, rounding and renormalisation) are written back into `values`.
/// A sampled pivot share is also capped at 1 minus the policy's other shares. A sampled
/// affinity or position also moves A(0) or the anchor when those default to it (see
/// InputTarget::also_initial). Throws std::invalid_argument when values.size() differs from
/// spec.uncertain.size().
ScenarioSpec apply_inputs(const ScenarioSpec& spec, std::span<double> values);

}  // namespace geosim
