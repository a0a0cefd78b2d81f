#pragma once
// Named standard scenarios through the library's real code path (load_scenario, run_scenario,
// compute_run), timed, with a checksum of every recorded value so that a fast wrong answer
// fails. Shared by `geosim bench` and bench/macro (README, "Command line"; bench/README.md).
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "geosim/error.h"
#include "geosim/rule.h"
#include "geosim/scenario.h"

namespace geosim {

/// One named standard scenario.
struct BenchmarkCase {
  std::string name;
  std::string file;  ///< relative to the root folder, e.g. "scenarios/baseline_2013.yaml"
  Mode mode = Mode::kExpected;
  int runs = 1;           ///< runs per timed repetition (sweeps: Monte Carlo design points)
  bool sweep = false;     ///< compute_run over a Monte Carlo design at each thread count; else run_scenario, one thread
  int ticks = 0;          ///< 0: the scenario's own
  int record_every = 0;   ///< 0: the scenario's own
  std::string what;       ///< one line for `geosim bench --list`
};

/// The standard cases, in the order they run.
const std::vector<BenchmarkCase>& standard_benchmark_cases();

/// The standard cases that `patterns` name, in the standard order: a pattern equal to a name
/// selects that case, any other pattern every case whose name contains it; no pattern selects
/// all. Throws InputError for a pattern that matches no case (listing the cases).
std::vector<BenchmarkCase> select_benchmark_cases(const std::vector<std::string>& patterns);

/// How to time the cases.
struct BenchmarkOptions {
  std::filesystem::path root = ".";  ///< the folder that holds scenarios/
  int repetitions = 5;               ///< timed repetitions per case; the median is reported
  std::vector<int> threads = {1, 2}; ///< thread counts of the sweep cases
  std::optional<int> runs;           ///< overrides every case's run count (the checksums depend on it)
  LoadOptions load;                  ///< for load_scenario (the rule names)
  /// Builds a scenario's rules (agents::build_rules; the registry sits above the engine).
  std::function<RuleSet(const RuleSelection&)> build_rules;
};

/// What checking a result against the pins found.
enum class BenchmarkCheck {
  kNotChecked,     ///< no pin file was given
  kUnpinned,       ///< the pin file has no pin for this case at this run count
  kMatch,          ///< equal to the pin
  kMismatch,       ///< different from the pin: a failure
  kThreadMismatch  ///< different from the same case at the first thread count: a failure
};

/// "not_checked", "unpinned", "ok", "mismatch", "thread_mismatch" (the JSON's "check").
std::string check_name(BenchmarkCheck check);

/// The timing of one case at one thread count.
struct BenchmarkResult {
  std::string name;
  int threads = 1;
  int runs = 0;
  double seconds = 0;             ///< median wall time of one repetition (all `runs` runs)
  double runs_per_second = 0;
  double updates_per_second = 0;  ///< dyad-issue updates, N (N - 1) / 2 K per tick
  /// FNV-1a 64 over the bits of every recorded value of every run, in run-id order (so equal
  /// at every thread count), as 16 hex digits.
  std::string checksum;
  BenchmarkCheck check = BenchmarkCheck::kNotChecked;
  std::string expected;  ///< the pinned checksum (kMatch, kMismatch), or the first thread count's (kThreadMismatch)
  SourceLocation pin;    ///< where the pin is (kMatch, kMismatch)
};

/// A pinned checksum and where it was read.
struct BenchmarkPin {
  std::string checksum;
  SourceLocation where;
};
/// Pins by (case name, run count).
using BenchmarkPins = std::map<std::pair<std::string, int>, BenchmarkPin>;

/// Reads a pin file: one pin a line, `NAME CHECKSUM` for the case's standard run count or
/// `NAME CHECKSUM RUNS` for another (bench/macro/checksums.txt); blank lines and lines that
/// begin with '#' are skipped. Throws IoError when the file cannot be read, InputError (every
/// problem, at file:line:column) for a malformed line, an unknown case, a checksum that is not
/// 16 hex digits, a run count below 1 or a repeated pin.
BenchmarkPins read_benchmark_pins(const std::filesystem::path& file);

/// The pin file for `results` (one line per case and run count, in the results' order), in
/// the format read_benchmark_pins reads.
std::string benchmark_pins_text(const std::vector<BenchmarkResult>& results);

/// Times one case: one result, or one per thread count of a sweep case. The scenario must be
/// `spec`, loaded from the case's file.
std::vector<BenchmarkResult> time_benchmark(const BenchmarkCase& benchmark, const ScenarioSpec& spec,
                                            const BenchmarkOptions& options);

/// Checks the results of one case: every thread count against the first, then each against
/// its pin (when `pins` is given). Returns the number of failures.
int check_benchmark(std::vector<BenchmarkResult>& results, const BenchmarkPins* pins);

/// The messages for the failed and unpinned results of one case, each once, e.g.
///   checksums.txt:1:1: error: baseline_expected: measured checksum 1234..., pinned abcd...
std::vector<std::string> check_messages(const std::vector<BenchmarkResult>& results);

struct BenchmarkReport {
  int repetitions = 0;
  std::vector<BenchmarkResult> results;
  int failures = 0;  ///< results that failed their check
};

/// Loads every case's scenario (all before any timing: InputError, IoError), then times and
/// checks the cases in order, calling `each` (if set) with every case's results as they come.
BenchmarkReport run_benchmarks(const std::vector<BenchmarkCase>& cases, const BenchmarkOptions& options,
                               const BenchmarkPins* pins,
                               const std::function<void(const std::vector<BenchmarkResult>&)>& each = {});

/// The report as one JSON document: repetitions, the machine (hardware threads, version, git
/// commit, compiler), every result, and the number of checksum failures.
std::string benchmark_json(const BenchmarkReport& report);

}  // namespace geosim
