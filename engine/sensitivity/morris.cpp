// Morris elementary effects (engine/sensitivity/morris.h).
//
// Trajectory t draws, under the Philox key of (seed, t) on Stream::kDesign, one block per input
// for its start (draw 0: the lower end of its move, uniform on the p/2 lowest levels; draw 1:
// the direction) and one block per position of a Fisher-Yates shuffle for the order of moves.
#include "sensitivity/morris.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "geosim/error.h"
#include "geosim/rng.h"

namespace geosim::sensitivity {
namespace {

constexpr std::uint64_t kDesignStream = static_cast<std::uint64_t>(Stream::kDesign);

/// The `k` field of the Philox counter; distinct from the sweep designs and Saltelli's.
enum Purpose : std::uint32_t { kMorrisStart = 0x4d01, kMorrisOrder = 0x4d02 };

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void invalid(std::string message) {
  throw InputError({Diagnostic{{}, std::move(message), {}}});
}

void check_spec(const MorrisSpec& spec) {
  if (spec.inputs == 0) invalid("a Morris design needs at least 1 input, got 0");
  if (spec.inputs > std::numeric_limits<std::uint32_t>::max()) {
    invalid(fmt::format("a Morris design handles at most 2^32 - 1 inputs, got {}", spec.inputs));
  }
  if (spec.trajectories == 0) invalid("a Morris design needs at least 1 trajectory, got 0");
  if (spec.levels < 2 || spec.levels % 2 != 0) {
    invalid(fmt::format("Morris levels must be even and at least 2 (so that Delta = p / (2 (p - 1)) is "
                        "a whole number of grid steps), got {}",
                        spec.levels));
  }
  if (spec.trajectories > std::numeric_limits<std::uint64_t>::max() / (spec.inputs + 1)) {
    invalid(fmt::format("a Morris design of {} trajectories has more than 2^64 - 1 runs", spec.trajectories));
  }
}

/// A uniform draw scaled to an integer in [0, n).
std::size_t below(double u, std::size_t n) {
  return std::min(static_cast<std::size_t>(u * static_cast<double>(n)), n - 1);
}

std::vector<std::size_t> shuffled_inputs(const Rng& rng, std::size_t k) {
  std::vector<std::size_t> order(k);
  for (std::size_t i = 0; i < k; ++i) order[i] = i;
  for (std::size_t m = k; m-- > 1;) {
    const double u = rng.uniform2(0, Stream::kDesign, kMorrisOrder, static_cast<std::uint32_t>(m), 0)[0];
    std::swap(order[m], order[below(u, m + 1)]);
  }
  return order;
}

/// step[i]: the step (1..k) at which input i moves.
std::vector<std::size_t> move_steps(const std::vector<std::size_t>& order) {
  std::vector<std::size_t> step(order.size());
  for (std::size_t s = 0; s < order.size(); ++s) step[order[s]] = s + 1;
  return step;
}

}  // namespace

MorrisDesign::MorrisDesign(const MorrisSpec& spec) : spec_(spec) { check_spec(spec_); }

double MorrisDesign::delta() const {
  const auto p = static_cast<double>(spec_.levels);
  return p / (2 * (p - 1));
}

MorrisTrajectory MorrisDesign::trajectory(std::uint64_t t) const {
  if (t >= spec_.trajectories) {
    throw std::out_of_range(fmt::format("Morris trajectory {} is beyond the last, {}", t, spec_.trajectories - 1));
  }
  const Rng rng(Rng::key_for(spec_.seed, t, kDesignStream));
  const unsigned half = spec_.levels / 2;
  MorrisTrajectory out{std::vector<unsigned>(spec_.inputs), std::vector<int>(spec_.inputs),
                       shuffled_inputs(rng, spec_.inputs)};
  for (std::size_t i = 0; i < spec_.inputs; ++i) {
    const auto u = rng.uniform2(0, Stream::kDesign, kMorrisStart, static_cast<std::uint32_t>(i), 0);
    const auto lower = static_cast<unsigned>(below(u[0], half));
    out.direction[i] = u[1] < 0.5 ? 1 : -1;
    out.start[i] = out.direction[i] > 0 ? lower : lower + half;
  }
  return out;
}

std::vector<double> MorrisDesign::point(std::uint64_t run) const {
  if (run >= runs()) throw std::out_of_range(fmt::format("Morris run {} is beyond the last, {}", run, runs() - 1));
  const MorrisTrajectory path = trajectory(run / block());
  const auto s = static_cast<std::size_t>(run % block());
  const auto step = move_steps(path.order);
  const auto top = static_cast<double>(spec_.levels - 1);
  const auto half = static_cast<int>(spec_.levels / 2);
  std::vector<double> out(spec_.inputs);
  for (std::size_t i = 0; i < spec_.inputs; ++i) {
    const int level = static_cast<int>(path.start[i]) + (step[i] <= s ? path.direction[i] * half : 0);
    out[i] = static_cast<double>(level) / top;
  }
  return out;
}

namespace {

/// The effects of each input, trajectory by trajectory, skipping non-finite pairs.
std::vector<std::vector<double>> elementary_effects(const MorrisDesign& design, std::span<const double> outputs) {
  std::vector<std::vector<double>> out(design.inputs());
  for (std::uint64_t t = 0; t < design.trajectories(); ++t) {
    const MorrisTrajectory path = design.trajectory(t);
    const auto y = outputs.subspan(t * design.block(), design.block());
    for (std::size_t s = 1; s < y.size(); ++s) {
      const std::size_t i = path.order[s - 1];
      if (!std::isfinite(y[s]) || !std::isfinite(y[s - 1])) continue;
      out[i].push_back((y[s] - y[s - 1]) / design.delta() * path.direction[i]);
    }
  }
  return out;
}

MorrisIndices summarise(const std::vector<double>& effects) {
  MorrisIndices out;
  out.effects = effects.size();
  const auto n = static_cast<double>(effects.size());
  double sum = 0, absolute = 0;
  for (const double e : effects) {
    sum += e;
    absolute += std::fabs(e);
  }
  out.mu = effects.empty() ? kNaN : sum / n;
  out.mu_star = effects.empty() ? kNaN : absolute / n;
  double squares = 0;
  for (const double e : effects) squares += (e - out.mu) * (e - out.mu);
  out.sigma = effects.size() < 2 ? kNaN : std::sqrt(squares / (n - 1));
  return out;
}

}  // namespace

std::vector<MorrisIndices> morris_indices(const MorrisDesign& design, std::span<const double> outputs,
                                          std::span<const std::string> names) {
  if (outputs.size() != design.runs()) {
    invalid(fmt::format("the Morris design has {} runs but {} outputs were given", design.runs(), outputs.size()));
  }
  if (!names.empty() && names.size() != design.inputs()) {
    invalid(fmt::format("{} input names were given for {} inputs", names.size(), design.inputs()));
  }
  const auto effects = elementary_effects(design, outputs);
  std::vector<MorrisIndices> out;
  for (std::size_t i = 0; i < design.inputs(); ++i) {
    out.push_back(summarise(effects[i]));
    out.back().input = i;
    if (!names.empty()) out.back().name = names[i];
  }
  return out;
}

}  // namespace geosim::sensitivity
