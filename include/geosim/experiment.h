#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "geosim/design.h"
#include "geosim/scenario.h"
#include "geosim/sweep.h"

namespace geosim {

/// One scenario of an experiment: the baseline, a scenario file, or an inline overlay of the
/// baseline.
struct ExperimentVariant {
  std::string name;  ///< an identifier; the output sub-folder ("baseline" for the baseline)
  std::string description;
  ScenarioSpec spec;
};

/// An experiment file (README, "Experiments"): a baseline, its variants, the design, the
/// outcomes to compare and where the results go. Immutable once loaded.
struct ExperimentSpec {
  std::string name;
  std::string description;
  SourceFile file;   ///< the experiment file's path and text
  std::string hash;  ///< 16 hex digits, FNV-1a 64 over the file's text
  std::vector<ExperimentVariant> variants;  ///< the baseline first
  DesignSpec design;  ///< the seed defaults to the baseline's run.seed
  std::optional<int> ticks;
  std::optional<int> record_every;
  std::optional<Mode> mode;
  std::vector<Outcome> outcomes;
  std::optional<std::string> out;  ///< as written (relative to the working directory)
};

/// Reads and validates an experiment file and every scenario it names. Scenario paths are
/// relative to the experiment file. Throws InputError with every problem found (located,
/// compiler style; a variant's scenario errors point into its own file), or IoError when the
/// experiment file itself cannot be read.
ExperimentSpec load_experiment(const std::filesystem::path& file, const LoadOptions& options = {});

/// Checks outcomes against every variant's recorded columns; returns the problems (empty: ok).
/// `where` locates each outcome (same length as `outcomes`).
std::vector<Diagnostic> check_outcomes(const std::vector<Outcome>& outcomes, const std::vector<SourceLocation>& where,
                                       const std::vector<const ScenarioSpec*>& variants,
                                       const std::vector<std::string>& names);

}  // namespace geosim
