#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace geosim::sensitivity {

/// What a Morris design samples.
struct MorrisSpec {
  std::size_t inputs = 0;          ///< k, at least 1
  std::uint64_t trajectories = 0;  ///< r, at least 1
  unsigned levels = 4;             ///< p, even and at least 2
  std::uint64_t seed = 1;          ///< keys every trajectory
};

/// One trajectory on the p-level grid {0, 1/(p-1), ..., 1}: the grid level of each input at
/// step 0, the direction of its one move (+1 up or -1 down, by p/2 levels, which is Delta),
/// and the order of the moves: order[s - 1] is the input that moves at step s = 1..k.
struct MorrisTrajectory {
  std::vector<unsigned> start;
  std::vector<int> direction;
  std::vector<std::size_t> order;
};

/// Morris (1991) elementary-effects screening, with the trajectory construction of Campolongo,
/// Cariboni and Saltelli (2007): r trajectories of k + 1 points on a p-level grid in [0, 1]^k,
/// Delta = p / (2 (p - 1)). Each trajectory starts at a random grid point whose every input can
/// move by Delta in its random direction (the lower end of the move is uniform on the p/2
/// lowest levels), then moves the inputs one at a time, in a random order, each by exactly
/// +Delta or -Delta. p must be even so that Delta is a whole number (p/2) of grid steps.
///
/// Trajectory t is a pure function of (seed, t), drawn from Philox on Stream::kDesign keyed
/// by (seed, t): a design with more trajectories extends one with fewer. Runs are laid out by
/// trajectory, run t (k + 1) + s being step s of trajectory t; runs() = r (k + 1).
/// Immutable after construction; every accessor is pure and thread-safe.
class MorrisDesign {
 public:
  /// Throws InputError when k or r is 0, when p is odd or below 2, or when runs() would
  /// overflow 64 bits.
  explicit MorrisDesign(const MorrisSpec& spec);

  std::size_t inputs() const { return spec_.inputs; }
  std::uint64_t trajectories() const { return spec_.trajectories; }
  unsigned levels() const { return spec_.levels; }
  const MorrisSpec& spec() const { return spec_; }

  /// Delta = p / (2 (p - 1)), in unit-cube units.
  double delta() const;
  /// Runs per trajectory: k + 1.
  std::uint64_t block() const { return spec_.inputs + 1; }
  /// All runs: r (k + 1).
  std::uint64_t runs() const { return spec_.trajectories * block(); }

  /// Trajectory t. Throws std::out_of_range when t >= r.
  MorrisTrajectory trajectory(std::uint64_t t) const;

  /// The k unit-cube values of one run: grid level / (p - 1). Throws std::out_of_range when
  /// run >= runs().
  std::vector<double> point(std::uint64_t run) const;

 private:
  MorrisSpec spec_;
};

/// The elementary-effect statistics of one input.
struct MorrisIndices {
  std::size_t input = 0;
  std::string name;        ///< empty when no names were given
  double mu = 0;           ///< mean elementary effect
  double mu_star = 0;      ///< mean absolute elementary effect (Campolongo et al. 2007)
  double sigma = 0;        ///< sample standard deviation (n - 1 denominator) of the effects
  std::uint64_t effects = 0;  ///< effects used: r less those with a non-finite output
};

/// Elementary effects EE = (f(x + Delta e_i) - f(x)) / Delta, one per input per trajectory,
/// from `outputs` in the design's run order. Effects are in unit-cube units: a caller who wants
/// natural units divides by the input's range (upper - lower). An effect whose two outputs are
/// not both finite is skipped and not counted. mu and mu_star are NaN with no effects; sigma is
/// NaN with fewer than 2. Throws InputError when outputs.size() != design.runs() or when names
/// are given but not k of them.
std::vector<MorrisIndices> morris_indices(const MorrisDesign& design, std::span<const double> outputs,
                                          std::span<const std::string> names = {});

}  // namespace geosim::sensitivity
