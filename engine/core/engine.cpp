#include "geosim/engine.h"

#include "geosim/metrics.h"
#include "schedule.h"

namespace geosim {
namespace {

void apply_rule(const std::shared_ptr<const Rule>& rule, TickContext& context) {
  if (rule) rule->apply(context);
}

// The tick-0 row uses the expected-mode cooperation of the initial state (MODEL.md section 4).
void prepare_initial_row(const WorldState& state, TickScratch& scratch, const RuleSet& rules, const Rng& rng) {
  compute_interaction(state, scratch);
  WorldState copy = state;
  TickContext context{copy, scratch, Mode::kExpected, rng, 0};
  apply_rule(rules.cooperation, context);
}

// MODEL.md section 3, P0 to P7, for tick `tick`.
void run_tick(const ScenarioSpec& spec, const RuleSet& rules, WorldState& state, TickScratch& scratch,
              Mode mode, const Rng& rng, int tick) {
  apply_schedule(spec, state, tick, mode, rng);
  TickContext context{state, scratch, mode, rng, tick};
  apply_rule(rules.engagement, context);
  compute_interaction(state, scratch);
  // A cooperation rule writes every entry of o and X (rule.h); without one they are 0.
  if (!rules.cooperation) {
    scratch.o.setZero();
    scratch.X.setZero();
  }
  apply_rule(rules.cooperation, context);
  apply_rule(rules.affinity, context);
  apply_rule(rules.influence, context);
  apply_rule(rules.economy, context);
  state.c = state.c.cwiseProduct((Vector::Ones(state.agents()) + state.g));  // MODEL.md P7
}

// State is row-major, so its storage is already the row-major copy.
std::vector<double> flattened(const Matrix& matrix) {
  return {matrix.data(), matrix.data() + matrix.size()};
}

bool is_recorded(int completed, const RunOptions& options) {
  return completed % options.record_every == 0 || completed == options.ticks;
}

}  // namespace

RunOptions RunOptions::from(const ScenarioSpec& spec) {
  RunOptions options;
  options.seed = spec.run.seed;
  options.ticks = spec.run.ticks;
  options.mode = spec.run.mode;
  options.record_every = spec.run.record_every;
  return options;
}

Simulation::Simulation(const ScenarioSpec& spec, const RuleSet& rules, const RunOptions& options)
    : spec_(spec),
      rules_(rules),
      options_(options),
      rng_(Rng::key_for(options.seed, options.design_point, options.replicate)),
      state_(make_initial_state(spec)),
      scratch_(state_.agents(), state_.issues()) {
  prepare_initial_row(state_, scratch_, rules_, rng_);
}

void Simulation::step() {
  run_tick(spec_, rules_, state_, scratch_, options_.mode, rng_, done_);
  ++done_;
}

RunResult run_scenario(const ScenarioSpec& spec, const RuleSet& rules, const RunOptions& options) {
  Simulation simulation(spec, rules, options);
  const MetricRecorder recorder(spec);
  RunResult result;
  result.series.columns = recorder.columns();
  result.series.rows.push_back(recorder.record(0, simulation.state(), simulation.scratch()));
  result.initial_affinity = flattened(simulation.state().A);
  while (simulation.ticks_done() < options.ticks) {
    simulation.step();
    const int done = simulation.ticks_done();
    if (is_recorded(done, options)) result.series.rows.push_back(recorder.record(done, simulation.state(), simulation.scratch()));
  }
  result.summary = summarise(result.series, options.ticks);
  result.final_affinity = flattened(simulation.state().A);
  const Vector share = simulation.state().capability_share();
  result.final_capability.assign(share.data(), share.data() + share.size());
  return result;
}

double late_mean(const TimeSeries& series, std::size_t column, int ticks) {
  const double late_from = 0.75 * ticks;
  double total = 0;
  int count = 0;
  for (const auto& row : series.rows) {
    if (row[0] >= late_from) {
      total += row[column];
      ++count;
    }
  }
  return count > 0 ? total / count : 0.0;
}

std::vector<MetricSummary> summarise(const TimeSeries& series, int ticks) {
  std::vector<MetricSummary> summary;
  if (series.rows.empty()) return summary;
  for (std::size_t column = 1; column < series.columns.size(); ++column) {
    summary.push_back({series.columns[column], series.rows.back()[column], late_mean(series, column, ticks)});
  }
  return summary;
}

}  // namespace geosim
