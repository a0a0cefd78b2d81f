// Sweep designs: how the values of each design point are chosen (include/geosim/design.h).
//
// Every design maps a uniform coordinate u in [0, 1) per input through that input's inverse
// CDF (Distribution::quantile), except grid, which lists values. Point p's values are a pure
// function of (DesignSpec, inputs, p): any point can be regenerated alone, on any thread.
// All randomness comes from the run generator (Philox4x32-10, include/geosim/rng.h) on its own
// stream, Stream::kDesign, keyed by Rng::key_for(seed, p, kDesignStream); runs draw only on
// the cooperation and hazard streams, so design and run numbers never share a counter.
//
// mc     Independent uniforms: input k of point p is draw 0 of the block at counter
//        (0, kDesign << 24 | 0, k, 0) under the key of (seed, p).
// lhs    Latin hypercube (McKay, Beckman and Conover 1979). Input k of point p falls in
//        stratum pi_k(p) of the P equal strata of [0, 1), where pi_k is a random permutation
//        of [0, P) chosen independently for each input, and at a uniform jitter inside it:
//        u = (pi_k(p) + v) / P. pi_k is a keyed pseudo-random permutation evaluated one
//        element at a time in O(1) memory: a 6-round balanced Feistel network (splitmix64
//        round function) over the smallest even number of bits that holds P - 1, restricted
//        to [0, P) by cycle walking (Black and Rogaway 2002). Its key is a Philox word of
//        (seed, k); the jitter v is a Philox uniform of (seed, p, k). Each input therefore
//        hits every stratum exactly once over p = 0 .. P-1.
// sobol  Point p is Sobol point p of Boost's generator (boost::random::sobol, direction
//        numbers of Joe and Kuo 2008, 64-bit words), in Gray-code order (Antonov and Saleev
//        1979), with input k as dimension k. Nothing is skipped: point 0 is the origin, and
//        point p >= 1 equals the (p-1)-th vector boost::random::sobol yields, because Boost
//        starts after the origin. With this numbering the first 2^m points form a (t, m, s)-
//        net, so each dimension puts exactly one point in each interval [j/2^m, (j+1)/2^m).
//        Coordinates are the top 53 bits of the 64-bit word times 2^-53. At most 3667
//        inputs (Boost's table). Scrambling (the default) is a random digital shift (Owen
//        2003 calls it a digital shift; Matousek 1998): each dimension's 64-bit integer
//        coordinate is XORed with a Philox word of (seed, k). XOR with a constant maps every
//        elementary interval in base 2 onto another elementary interval of the same shape,
//        so the shifted points are still a (t, m, s)-net with the same t, and no point
//        lands on the origin unless the shift is 0. Unscrambled, point 0 maps to each
//        quantile at u = 0 (the minimum; about -8.2 sd for the normal).
// grid   The full factorial over each input's explicit `grid` values, or else
//        Distribution::grid_levels(levels) (the choice values, or the quantiles at
//        (i + 0.5) / levels). Points are enumerated with the LAST input varying fastest, like
//        nested loops in input order; points() is the product of the level counts.
// saltelli  The Saltelli design of engine/sensitivity/saltelli.h over N = spec.points base
//        samples (scrambled by default, like sobol); its unit values go through the quantiles.
// morris The Morris trajectories of engine/sensitivity/morris.h (r = spec.points, p =
//        spec.levels). Level i of p maps to the quantile at (i + 0.5) / p, the grid design's
//        levels, so that unbounded distributions (normal) never reach an infinite quantile;
//        elementary effects are then reported per unit of the input (README, "Sensitivity").
#include "geosim/design.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "geosim/rng.h"
#include "sweep/permutation.h"
#include "sensitivity/morris.h"
#include "sensitivity/saltelli.h"
#include "sweep/sobol_points.h"

namespace geosim {
namespace {

/// The replicate slot of Rng::key_for used for design draws; the Stream::kDesign counter
/// keeps them apart from any run's draws whatever the replicate.
constexpr std::uint64_t kDesignStream = static_cast<std::uint64_t>(Stream::kDesign);

/// The `k` field of the counter: what a design draw is for.
enum Purpose : std::uint32_t { kMcDraw = 0, kLhsJitter = 1, kLhsKey = 2, kSobolShift = 3 };

[[noreturn]] void invalid_design(std::string message) {
  throw InputError({Diagnostic{{}, std::move(message), {}}});
}

std::uint64_t word(const std::array<std::uint32_t, 4>& block) {
  return (static_cast<std::uint64_t>(block[0]) << 32) | block[1];
}

/// A 64-bit Philox word of (seed, k) for one purpose, the same for every point.
std::uint64_t input_word(std::uint64_t seed, std::size_t k, Purpose purpose) {
  const Rng rng(Rng::key_for(seed, 0, kDesignStream));
  return word(rng.block(0, Stream::kDesign, purpose, static_cast<std::uint32_t>(k), 0));
}

double point_uniform(const Rng& rng, std::size_t k, Purpose purpose) {
  return rng.uniform2(0, Stream::kDesign, purpose, static_cast<std::uint32_t>(k), 0)[0];
}

/// The product of the level counts, or 0 when it overflows 64 bits.
std::uint64_t grid_size(const std::vector<std::vector<double>>& levels) {
  std::uint64_t product = 1;
  for (const auto& list : levels) {
    const auto n = static_cast<std::uint64_t>(list.size());
    if (n != 0 && product > std::numeric_limits<std::uint64_t>::max() / n) return 0;
    product *= n;
  }
  return product;
}

}  // namespace

std::string design_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::kMc: return "mc";
    case DesignKind::kLhs: return "lhs";
    case DesignKind::kSobol: return "sobol";
    case DesignKind::kGrid: return "grid";
    case DesignKind::kSaltelli: return "saltelli";
    case DesignKind::kMorris: return "morris";
  }
  return "mc";
}

Design::Design(const DesignSpec& spec, const std::vector<UncertainInput>& inputs)
    : spec_(spec), inputs_(inputs), points_(spec.points) {
  if (spec_.kind == DesignKind::kGrid) {
    init_grid();
    return;
  }
  if (points_ == 0) invalid_design(fmt::format("a {} design needs at least 1 point", design_name(spec_.kind)));
  if (spec_.kind == DesignKind::kLhs) init_words(kLhsKey);
  if (spec_.kind == DesignKind::kSobol) init_sobol();
  if (spec_.kind == DesignKind::kSaltelli) init_saltelli();
  if (spec_.kind == DesignKind::kMorris) init_morris();
}

void Design::init_saltelli() {
  sensitivity::SaltelliSpec saltelli;
  saltelli.inputs = inputs_.size();
  saltelli.samples = spec_.points;
  saltelli.second_order = spec_.second_order;
  saltelli.seed = spec_.seed;
  saltelli.scramble = spec_.scramble;
  saltelli_ = std::make_shared<const sensitivity::SaltelliDesign>(saltelli);
  points_ = saltelli_->runs();
}

void Design::init_morris() {
  if (spec_.levels < 2) invalid_design(fmt::format("morris levels must be an even number >= 2, got {}", spec_.levels));
  sensitivity::MorrisSpec morris;
  morris.inputs = inputs_.size();
  morris.trajectories = spec_.points;
  morris.levels = static_cast<unsigned>(spec_.levels);
  morris.seed = spec_.seed;
  morris_ = std::make_shared<const sensitivity::MorrisDesign>(morris);
  points_ = morris_->runs();
}

void Design::init_grid() {
  if (spec_.levels < 1) invalid_design(fmt::format("grid levels must be >= 1, got {}", spec_.levels));
  for (const auto& input : inputs_) {
    grid_levels_.push_back(input.grid.empty() ? input.distribution.grid_levels(spec_.levels)
                                              : input.grid);
  }
  for (std::size_t k = 0; k < grid_levels_.size(); ++k) {
    if (grid_levels_[k].empty()) invalid_design(fmt::format("uncertain input {} has no grid levels", k));
  }
  points_ = grid_size(grid_levels_);
  if (points_ == 0) invalid_design("the grid design has more than 2^64 - 1 points");
}

void Design::init_words(std::uint32_t purpose) {
  for (std::size_t k = 0; k < inputs_.size(); ++k) {
    words_.push_back(input_word(spec_.seed, k, static_cast<Purpose>(purpose)));
  }
}

void Design::init_sobol() {
  if (inputs_.size() > sweep::SobolDirections::max_dimension()) {
    invalid_design(fmt::format("a sobol design handles at most {} uncertain inputs (the "
                               "dimensions of Boost's Sobol table), got {}",
                               sweep::SobolDirections::max_dimension(), inputs_.size()));
  }
  if (inputs_.empty()) return;
  sobol_ = std::make_shared<const sweep::SobolDirections>(inputs_.size());
  if (spec_.scramble) init_words(kSobolShift);
}

std::vector<double> Design::values(std::uint64_t point) const {
  if (point >= points_) {
    throw std::out_of_range(fmt::format("design point {} is beyond the last, {}", point, points_ - 1));
  }
  switch (spec_.kind) {
    case DesignKind::kMc: return mc_values(point);
    case DesignKind::kLhs: return lhs_values(point);
    case DesignKind::kSobol: return sobol_values(point);
    case DesignKind::kGrid: return grid_values(point);
    case DesignKind::kSaltelli: return saltelli_values(point);
    case DesignKind::kMorris: return morris_values(point);
  }
  return {};
}

std::uint64_t Design::key_point(std::uint64_t point) const {
  if (saltelli_) return point - point % saltelli_->block();
  if (morris_) return point - point % morris_->block();
  return point;
}

std::vector<double> Design::saltelli_values(std::uint64_t point) const {
  std::vector<double> out = saltelli_->point(point);
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = inputs_[k].distribution.quantile(out[k]);
  return out;
}

std::vector<double> Design::morris_values(std::uint64_t point) const {
  std::vector<double> out = morris_->point(point);
  const double p = static_cast<double>(morris_->levels());
  for (std::size_t k = 0; k < out.size(); ++k) {
    const double level = std::round(out[k] * (p - 1));
    out[k] = inputs_[k].distribution.quantile((level + 0.5) / p);
  }
  return out;
}

std::vector<double> Design::mc_values(std::uint64_t point) const {
  const Rng rng(Rng::key_for(spec_.seed, point, kDesignStream));
  std::vector<double> out;
  for (std::size_t k = 0; k < inputs_.size(); ++k) {
    out.push_back(inputs_[k].distribution.quantile(point_uniform(rng, k, kMcDraw)));
  }
  return out;
}

std::vector<double> Design::lhs_values(std::uint64_t point) const {
  const Rng rng(Rng::key_for(spec_.seed, point, kDesignStream));
  const auto strata = static_cast<double>(points_);
  std::vector<double> out;
  for (std::size_t k = 0; k < inputs_.size(); ++k) {
    const auto stratum = static_cast<double>(sweep::KeyedPermutation(points_, words_[k])(point));
    const double upper = std::nextafter((stratum + 1) / strata, 0.0);  // stay inside the stratum
    const double u = std::min((stratum + point_uniform(rng, k, kLhsJitter)) / strata, upper);
    out.push_back(inputs_[k].distribution.quantile(u));
  }
  return out;
}

std::vector<double> Design::sobol_values(std::uint64_t point) const {
  std::vector<double> out;
  if (!sobol_) return out;
  const auto coordinates = sobol_->point(point);
  for (std::size_t k = 0; k < inputs_.size(); ++k) {
    const std::uint64_t shift = spec_.scramble ? words_[k] : 0;
    out.push_back(inputs_[k].distribution.quantile(sweep::to_unit_interval(coordinates[k] ^ shift)));
  }
  return out;
}

std::vector<double> Design::grid_values(std::uint64_t point) const {
  std::vector<double> out(inputs_.size());
  for (std::size_t k = inputs_.size(); k-- > 0;) {  // the last input varies fastest
    const auto n = static_cast<std::uint64_t>(grid_levels_[k].size());
    out[k] = grid_levels_[k][point % n];
    point /= n;
  }
  return out;
}

}  // namespace geosim
