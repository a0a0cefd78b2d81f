#pragma once
// From an experiment (a file, or `batch`'s command line) to the sweep plan that runs it.
#include <string>
#include <vector>

#include "geosim/experiment.h"
#include "geosim/sweep.h"

namespace geosim::cli {

/// The load options of the CLI (the registry's rule names).
LoadOptions load_options();

/// The plan of an experiment: its variants (the baseline first) with their rules, its design
/// and its outcomes.
SweepPlan experiment_plan(const ExperimentSpec& spec);

/// --metric values as outcomes (default late:cooperation and late:balance), with a location per
/// outcome in `where` for later messages. Throws InputError listing every malformed one.
std::vector<Outcome> parse_metrics(const std::vector<std::string>& metrics, std::vector<SourceLocation>& where);

/// Throws InputError when a variant lacks an outcome's metric (check_outcomes).
void check_metrics(const std::vector<Outcome>& outcomes, const std::vector<SourceLocation>& where,
                   const std::vector<const ScenarioSpec*>& specs, const std::vector<std::string>& names);

/// The experiment `geosim batch BASE VARIANT... --metric ...` describes: variants named by
/// their file stems ("_2", "_3" ... on clashes), outcomes parsed from `metrics` (default
/// late:cooperation and late:balance). Throws InputError for a bad outcome.
ExperimentSpec batch_experiment(const std::string& base, const std::vector<std::string>& variants,
                                const std::vector<std::string>& metrics);

}  // namespace geosim::cli
