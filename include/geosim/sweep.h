#pragma once
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geosim/cluster.h"
#include "geosim/design.h"
#include "geosim/engine.h"
#include "geosim/scenario.h"

namespace geosim {

/// One scenario of a sweep. A plain sweep has one variant; `compare` has two (A and B) that
/// run on the same design points with the same run keys (common random numbers).
struct Variant {
  std::string name;  ///< "a", "b", ...: the output sub-folder (empty: the output folder itself)
  ScenarioSpec spec;
  RuleSet rules;
};

/// One summary of one metric's recorded series that an experiment compares across variants
/// (README, "Experiments").
struct Outcome {
  enum class Summary { kFinal, kLate, kCross };
  std::string metric;  ///< a timeseries column, e.g. "coop:USA:RUS"
  Summary summary = Summary::kFinal;
  /// kCross: the first recorded tick whose value is >= threshold (above) or <= threshold
  /// (below); a run that never crosses counts as the last tick (right-censored).
  double threshold = 0;
  bool above = true;
  bool higher_is_better = true;

  /// "final:M", "late:M", "cross:M>=T" or "cross:M<=T": the outcome's column name.
  std::string label() const;
};

/// Parses an outcome written as its label, optionally followed by "@higher" or "@lower" (which
/// value is better; default higher, except lower for cross). Returns nullopt with `why` set
/// when `text` is malformed.
std::optional<Outcome> parse_outcome(const std::string& text, std::string& why);

/// Everything that decides a sweep's results. Two sweeps with equal plans give byte-identical
/// runs.csv and bands.csv, whatever the thread count, chunking or interruptions.
struct SweepPlan {
  std::vector<Variant> variants;
  std::vector<UncertainInput> inputs;  ///< the union of the variants' inputs, by path
  /// Per variant, per its own uncertain input, the index into `inputs`.
  std::vector<std::vector<std::size_t>> input_index;
  DesignSpec design;
  int ticks = 80;
  int record_every = 1;
  Mode mode = Mode::kStochastic;
  std::shared_ptr<const Design> sampler;  ///< the design over `inputs`
  /// Outcomes: runs.csv gets one column per outcome; with more than one variant the plan is an
  /// experiment: variant 0 is the baseline and every other variant is contrasted with it
  /// (contrasts.csv, and each variant's compare.csv and diff_bands.csv).
  std::vector<Outcome> outcomes;
  /// For tests of the analyses on functions with known answers (Ishigami, Sobol's G): when
  /// set, a run does not simulate; its outcomes are this function of the run's input values
  /// (one per plan input, before clipping), one value per outcome, and its recorded series
  /// and metric summaries are empty (zeros). Must be thread-safe. Not part of the fingerprint.
  std::function<std::vector<double>(const std::vector<double>&)> surrogate;

  /// Builds a plan; inputs with the same path must have the same distribution (InputError).
  static SweepPlan make(std::vector<Variant> variants, const DesignSpec& design,
                        std::optional<int> ticks, std::optional<int> record_every, std::optional<Mode> mode);
  std::uint64_t runs() const;
  /// A hash of everything above (scenario hashes, design, settings), 16 hex digits.
  std::string fingerprint() const;
};

/// The outcome of one run of one variant.
struct RunRecord {
  bool ok = true;
  std::string error;
  std::vector<double> inputs;   ///< the values used, per plan input (NaN for inputs not in this variant)
  std::vector<double> summary;  ///< per metric: final value, then late mean (2 x metrics)
  std::vector<double> outcomes; ///< per plan outcome, its value
  TimeSeries series;            ///< recorded rows (empty columns when failed)
  std::vector<double> initial_affinity;  ///< N x N row-major, as RunResult (empty when failed)
  std::vector<double> final_affinity;    ///< N x N row-major
  std::vector<double> final_capability;  ///< N capability shares
};

/// One run id: its design point, replicate and run key.
struct RunId {
  std::uint64_t id = 0;
  std::uint64_t point = 0;
  std::uint64_t replicate = 0;
  std::uint64_t key = 0;
};
RunId run_id(const SweepPlan& plan, std::uint64_t id);

/// Runs run `id` of every variant (a pure function of the plan and the id; thread-safe).
std::vector<RunRecord> compute_run(const SweepPlan& plan, std::uint64_t id);

/// The runs.csv header line of variant v (with its newline).
std::string runs_csv_header(const SweepPlan& plan, std::size_t v);
/// The runs.csv line of run `id` of variant v (with its newline), byte for byte as the sweep
/// writes it.
std::string runs_csv_row(const SweepPlan& plan, std::size_t v, const RunId& id, const RunRecord& record);

struct SweepOptions {
  std::filesystem::path out;
  int threads = 0;  ///< 0: all cores
  bool resume = false;
  /// Called after every committed chunk with (runs done, runs failed); may be empty.
  std::function<void(std::uint64_t, std::uint64_t)> progress;
  /// Set (e.g. by a SIGINT handler) to stop after the current chunk with a checkpoint.
  const std::atomic<bool>* stop = nullptr;
  std::string command_line;  ///< recorded in manifest.json
  double checkpoint_seconds = 2.0;  ///< at most this long between checkpoints
  /// An experiment's file, recorded in manifest.json (path, hash and text); empty path: none.
  struct Experiment {
    std::string path, text, hash;
  } experiment;
  /// The processes to share the runs with (README, "On a cluster"); null or one rank: this
  /// process alone. Every rank calls run_sweep with the same plan; rank 0 alone reads and
  /// writes the output folder, and the outputs are byte-identical to a one-process sweep.
  Cluster* cluster = nullptr;
};

struct SweepSummary {
  std::uint64_t runs = 0;
  std::uint64_t done = 0;
  std::uint64_t failed = 0;
  bool interrupted = false;
};

/// Runs (or resumes) a sweep and writes its outputs (README, "Sweeps"). Throws IoError and
/// InputError (e.g. --resume on a folder holding another sweep).
SweepSummary run_sweep(const SweepPlan& plan, const SweepOptions& options);

}  // namespace geosim
