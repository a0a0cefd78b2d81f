#include "experiment_plan.h"

#include <fmt/format.h>

#include <set>

#include "common.h"
#include "registry.h"

namespace geosim::cli {
namespace {

// A folder name for the file: its stem as an identifier, unique among `taken`.
std::string variant_name(const std::string& file, std::set<std::string>& taken) {
  std::string stem = std::filesystem::path(file).stem().string();
  for (char& c : stem) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  if (stem.empty() || std::isdigit(static_cast<unsigned char>(stem.front()))) stem = "v_" + stem;
  std::string name = stem;
  for (int suffix = 2; !taken.insert(name).second; ++suffix) name = fmt::format("{}_{}", stem, suffix);
  return name;
}

}  // namespace

std::vector<Outcome> parse_metrics(const std::vector<std::string>& metrics, std::vector<SourceLocation>& where) {
  const std::vector<std::string> texts = metrics.empty() ? std::vector<std::string>{"late:cooperation", "late:balance"} : metrics;
  std::vector<Outcome> outcomes;
  std::vector<Diagnostic> problems;
  for (const std::string& text : texts) {
    std::string why;
    if (auto outcome = parse_outcome(text, why)) {
      outcomes.push_back(*outcome);
      where.push_back({fmt::format("--metric {}", text), 0, 0});
    } else {
      problems.push_back({{fmt::format("--metric {}", text), 0, 0}, why, ""});
    }
  }
  if (!problems.empty()) throw InputError(std::move(problems));
  return outcomes;
}

LoadOptions load_options() {
  LoadOptions options;
  options.rules = agents::rule_catalog();
  return options;
}

SweepPlan experiment_plan(const ExperimentSpec& spec) {
  std::vector<Variant> variants;
  for (const ExperimentVariant& variant : spec.variants) {
    variants.push_back({variant.name, variant.spec, agents::build_rules(variant.spec.rules)});
  }
  SweepPlan plan = SweepPlan::make(std::move(variants), spec.design, spec.ticks, spec.record_every, spec.mode);
  plan.outcomes = spec.outcomes;
  return plan;
}

void check_metrics(const std::vector<Outcome>& outcomes, const std::vector<SourceLocation>& where,
                   const std::vector<const ScenarioSpec*>& specs, const std::vector<std::string>& names) {
  if (auto problems = check_outcomes(outcomes, where, specs, names); !problems.empty()) throw InputError(std::move(problems));
}

ExperimentSpec batch_experiment(const std::string& base, const std::vector<std::string>& variants,
                                const std::vector<std::string>& metrics) {
  ExperimentSpec spec;
  spec.name = fmt::format("batch on {}", base);
  std::vector<SourceLocation> where;
  spec.outcomes = parse_metrics(metrics, where);
  std::set<std::string> taken{"baseline"};
  spec.variants.push_back({"baseline", "", load(base)});
  for (const std::string& file : variants) spec.variants.push_back({variant_name(file, taken), "", load(file)});
  spec.design.seed = spec.variants.front().spec.run.seed;
  std::vector<const ScenarioSpec*> specs;
  std::vector<std::string> names;
  for (const auto& variant : spec.variants) {
    specs.push_back(&variant.spec);
    names.push_back(variant.name);
  }
  check_metrics(spec.outcomes, where, specs, names);
  return spec;
}

}  // namespace geosim::cli
