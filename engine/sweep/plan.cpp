#include <fmt/format.h>

#include <cmath>

#include "core/fnv.h"
#include "geosim/metrics.h"
#include "geosim/sweep.h"
#include "outcomes.h"
#include "tables.h"

namespace geosim {
namespace {

bool same_distribution(const Distribution& a, const Distribution& b) {
  return a.kind == b.kind && a.min == b.min && a.max == b.max && a.mean == b.mean && a.sd == b.sd &&
         a.mode == b.mode && a.alpha == b.alpha && a.beta == b.beta && a.values == b.values && a.weights == b.weights;
}

// Adds `input` to the union (or finds its path there) and returns its index.
std::size_t unite(std::vector<UncertainInput>& inputs, const UncertainInput& input) {
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    if (inputs[i].path != input.path) continue;
    if (!same_distribution(inputs[i].distribution, input.distribution) || inputs[i].grid != input.grid) {
      throw InputError({{input.where,
                         fmt::format("uncertain input '{}' has a different distribution here than in the other "
                                     "scenario ({}:{}); compared scenarios must agree on shared inputs",
                                     input.path, inputs[i].where.file, inputs[i].where.line),
                         ""}});
    }
    return i;
  }
  inputs.push_back(input);
  return inputs.size() - 1;
}

std::vector<double> flatten_summary(const RunResult& result) {
  std::vector<double> summary;
  summary.reserve(result.summary.size() * 2);
  for (const MetricSummary& metric : result.summary) summary.push_back(metric.final_value);
  for (const MetricSummary& metric : result.summary) summary.push_back(metric.late_mean);
  return summary;
}

// A run must end with every recorded value finite: anything else is a failed run.
void check_finite(const TimeSeries& series) {
  for (const auto& row : series.rows) {
    for (std::size_t column = 0; column < row.size(); ++column) {
      if (!std::isfinite(row[column])) {
        throw Error(fmt::format("non-finite value of '{}' at tick {}", series.columns[column], row[0]));
      }
    }
  }
}

RunRecord surrogate_run(const SweepPlan& plan, std::size_t v, const std::vector<double>& point, RunRecord record) {
  for (std::size_t index : plan.input_index[v]) record.inputs[index] = point[index];
  record.outcomes = plan.surrogate(point);
  if (record.outcomes.size() != plan.outcomes.size()) throw Error("the surrogate returned the wrong number of outcomes");
  record.summary.assign(2 * sweep::metric_columns(plan.variants[v]).size(), 0.0);
  return record;
}

RunRecord run_variant(const SweepPlan& plan, std::size_t v, const RunId& id, const std::vector<double>& point) {
  const Variant& variant = plan.variants[v];
  RunRecord record;
  record.inputs.assign(plan.inputs.size(), std::nan(""));
  std::vector<double> values;
  for (std::size_t index : plan.input_index[v]) values.push_back(point[index]);
  try {
    if (plan.surrogate) return surrogate_run(plan, v, point, std::move(record));
    std::optional<ScenarioSpec> sampled;
    if (!values.empty()) sampled = apply_inputs(variant.spec, values);
    const ScenarioSpec& spec = sampled ? *sampled : variant.spec;
    for (std::size_t i = 0; i < values.size(); ++i) record.inputs[plan.input_index[v][i]] = values[i];
    RunOptions options;
    options.seed = plan.design.seed;
    options.design_point = id.point;
    options.replicate = id.replicate;
    options.ticks = plan.ticks;
    options.record_every = plan.record_every;
    options.mode = plan.mode;
    RunResult result = run_scenario(spec, variant.rules, options);
    check_finite(result.series);
    record.summary = flatten_summary(result);
    for (const Outcome& outcome : plan.outcomes) {
      record.outcomes.push_back(sweep::outcome_value(outcome, result.series, plan.ticks));
    }
    record.series = std::move(result.series);
    record.initial_affinity = std::move(result.initial_affinity);
    record.final_affinity = std::move(result.final_affinity);
    record.final_capability = std::move(result.final_capability);
  } catch (const std::exception& error) {
    record.ok = false;
    record.error = error.what();
  }
  return record;
}

}  // namespace

SweepPlan SweepPlan::make(std::vector<Variant> variants, const DesignSpec& design, std::optional<int> ticks,
                          std::optional<int> record_every, std::optional<Mode> mode) {
  SweepPlan plan;
  plan.design = design;
  const ScenarioSpec& first = variants.front().spec;
  plan.ticks = ticks.value_or(first.run.ticks);
  plan.record_every = record_every.value_or(first.run.record_every);
  plan.mode = mode.value_or(first.run.mode);
  for (const Variant& variant : variants) {
    std::vector<std::size_t> indices;
    for (const UncertainInput& input : variant.spec.uncertain) indices.push_back(unite(plan.inputs, input));
    plan.input_index.push_back(std::move(indices));
  }
  plan.variants = std::move(variants);
  plan.sampler = std::make_shared<const Design>(design, plan.inputs);
  return plan;
}

std::uint64_t SweepPlan::runs() const { return sampler->runs(); }

std::string SweepPlan::fingerprint() const {
  std::uint64_t hash = kFnvOffsetBasis;
  for (const Variant& variant : variants) hash = fnv1a(hash, variant.name + '\0' + variant.spec.inputs_hash + '\0');
  hash = fnv1a(hash, fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", design_name(design.kind), design.points,
                                 design.replicates, design.seed, design.scramble, design.levels, ticks, record_every,
                                 mode == Mode::kExpected ? "expected" : "stochastic", runs()));
  if (design.kind == DesignKind::kSaltelli) hash = fnv1a(hash, design.second_order ? "second order" : "first order");
  // Outcomes are hashed only when present, so plain sweeps keep their fingerprints.
  for (const Outcome& outcome : outcomes) {
    hash = fnv1a(hash, fmt::format("{}@{}", outcome.label(), outcome.higher_is_better ? "higher" : "lower") + '\0');
  }
  return fmt::format("{:016x}", hash);
}

RunId run_id(const SweepPlan& plan, std::uint64_t id) {
  RunId run;
  run.id = id;
  run.point = id / plan.design.replicates;
  run.replicate = id % plan.design.replicates;
  run.key = Rng::key_for(plan.design.seed, plan.sampler->key_point(run.point), run.replicate);
  return run;
}

std::vector<RunRecord> compute_run(const SweepPlan& plan, std::uint64_t id) {
  const RunId run = run_id(plan, id);
  const std::vector<double> point = plan.sampler->values(run.point);
  std::vector<RunRecord> records;
  for (std::size_t v = 0; v < plan.variants.size(); ++v) records.push_back(run_variant(plan, v, run, point));
  return records;
}

}  // namespace geosim
