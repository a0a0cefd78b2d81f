#pragma once
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "geosim/uncertain.h"

namespace geosim {

namespace sweep {
class SobolDirections;
}
namespace sensitivity {
class SaltelliDesign;
class MorrisDesign;
}

/// kSaltelli and kMorris are the designs of `geosim sensitivity` (README, "Sensitivity").
enum class DesignKind { kMc, kLhs, kSobol, kGrid, kSaltelli, kMorris };

/// How design points are chosen over the uncertain inputs.
struct DesignSpec {
  DesignKind kind = DesignKind::kMc;
  std::uint64_t points = 100;   ///< design points (ignored by grid: the product of levels)
  std::uint64_t replicates = 1; ///< stochastic replicates per point
  std::uint64_t seed = 1;       ///< master seed
  bool scramble = true;         ///< sobol: a random digital shift keyed by the seed
  int levels = 3;               ///< grid: levels for inputs without explicit grid values; morris: p
  bool second_order = false;    ///< saltelli: also sample BA^(i) for the second-order indices
};

/// A design over a list of inputs. Point p's values are a pure function of (spec, inputs, p):
/// any point can be regenerated alone, on any thread. The methods are described at the top
/// of engine/sweep/design.cpp. The constructor throws InputError for an impossible design:
/// no points, grid levels < 1, a grid over 2^64 - 1 points, or a sobol design with more
/// inputs than Boost's table has dimensions (3667).
class Design {
 public:
  Design(const DesignSpec& spec, const std::vector<UncertainInput>& inputs);

  /// Design points. saltelli: N (k + 2) or N (2k + 2) for N = spec.points base samples;
  /// morris: r (k + 1) for r = spec.points trajectories.
  std::uint64_t points() const { return points_; }
  std::uint64_t runs() const { return points_ * spec_.replicates; }
  const DesignSpec& spec() const { return spec_; }

  /// The input values of design point p (one per input, before clipping).
  /// Throws std::out_of_range when point >= points().
  std::vector<double> values(std::uint64_t point) const;

  /// The point whose run keys point p's runs use: p itself, except that every run of one
  /// saltelli base sample, or of one morris trajectory, shares the keys of its first point
  /// (common random numbers: in stochastic mode the differences the estimators take are then
  /// differences of the inputs, not of the noise).
  std::uint64_t key_point(std::uint64_t point) const;

  /// The sensitivity designs behind kSaltelli and kMorris (null for the others).
  const sensitivity::SaltelliDesign* saltelli() const { return saltelli_.get(); }
  const sensitivity::MorrisDesign* morris() const { return morris_.get(); }

 private:
  void init_grid();
  void init_words(std::uint32_t purpose);
  void init_sobol();
  void init_saltelli();
  void init_morris();
  std::vector<double> mc_values(std::uint64_t point) const;
  std::vector<double> lhs_values(std::uint64_t point) const;
  std::vector<double> sobol_values(std::uint64_t point) const;
  std::vector<double> grid_values(std::uint64_t point) const;
  std::vector<double> saltelli_values(std::uint64_t point) const;
  std::vector<double> morris_values(std::uint64_t point) const;

  DesignSpec spec_;
  std::vector<UncertainInput> inputs_;
  std::uint64_t points_ = 0;
  std::vector<std::vector<double>> grid_levels_;
  std::vector<std::uint64_t> words_;  ///< per input: the LHS permutation key or Sobol shift
  std::shared_ptr<const sweep::SobolDirections> sobol_;  ///< immutable, shared by copies
  std::shared_ptr<const sensitivity::SaltelliDesign> saltelli_;
  std::shared_ptr<const sensitivity::MorrisDesign> morris_;
};

std::string design_name(DesignKind kind);

}  // namespace geosim
