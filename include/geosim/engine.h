#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "geosim/rule.h"
#include "geosim/scenario.h"

namespace geosim {

/// How to run a scenario once. Defaults come from the scenario's `run:` section.
struct RunOptions {
  std::uint64_t seed = 1;
  int ticks = 80;
  Mode mode = Mode::kExpected;
  int record_every = 1;
  std::uint64_t design_point = 0;
  std::uint64_t replicate = 0;

  static RunOptions from(const ScenarioSpec& spec);
};

/// Recorded metrics: one row per recorded tick, the first column is "tick".
struct TimeSeries {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;
};

/// Per metric: its final value and its mean over recorded rows with tick >= 0.75 T.
struct MetricSummary {
  std::string metric;
  double final_value = 0;
  double late_mean = 0;
};

struct RunResult {
  TimeSeries series;
  std::vector<MetricSummary> summary;
  /// Affinity A at tick 0 and after the last tick, N x N row-major (for the report's heatmaps
  /// and bloc network, which need the whole matrix, not only the tracked dyads).
  std::vector<double> initial_affinity;
  std::vector<double> final_affinity;
  /// Capability shares chat after the last tick (N).
  std::vector<double> final_capability;
};

/// One run of the model, tick by tick (the serial reference path). Not thread-safe; distinct
/// simulations may run on distinct threads.
class Simulation {
 public:
  /// Builds the initial state (tick 0). `spec` and `rules` must outlive the simulation.
  Simulation(const ScenarioSpec& spec, const RuleSet& rules, const RunOptions& options);

  /// Runs MODEL.md phases P0 to P7 of the next tick.
  void step();
  /// Ticks completed so far.
  int ticks_done() const { return done_; }
  const WorldState& state() const { return state_; }
  /// P2-P3 values of the tick just completed (of the initial state before any step).
  const TickScratch& scratch() const { return scratch_; }

 private:
  const ScenarioSpec& spec_;
  const RuleSet& rules_;
  RunOptions options_;
  Rng rng_;
  WorldState state_;
  TickScratch scratch_;
  int done_ = 0;
};

/// Runs the model of MODEL.md once, serially (the reference path). Deterministic: the same
/// spec, rules and options give bit-identical results; expected mode draws no random numbers.
/// Throws geosim::Error when the run reaches a state the scenario forbids (e.g. a salience
/// shift that zeroes every salience of an agent).
RunResult run_scenario(const ScenarioSpec& spec, const RuleSet& rules, const RunOptions& options);

/// The summary of a recorded series (MODEL.md section 4, last paragraph).
std::vector<MetricSummary> summarise(const TimeSeries& series, int ticks);

/// The mean of `column` over the recorded rows with tick >= 0.75 `ticks` (0 when none).
double late_mean(const TimeSeries& series, std::size_t column, int ticks);

}  // namespace geosim
