// `geosim bench [CASE...]`: the standard scenarios through the real code path, timed, with
// checksums (README, "Command line"); the same code as bench/macro (include/geosim/benchmark.h).
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "commands.h"
#include "geosim/benchmark.h"
#include "geosim/io.h"
#include "registry.h"

namespace geosim::cli {
namespace {

struct BenchArgs {
  std::vector<std::string> cases;
  std::vector<int> threads{1, 2};
  int repetitions = 5;
  std::optional<int> runs;
  std::optional<std::string> check;
  std::optional<std::string> pin;
  std::string root = ".";
  bool json = false;
  bool list = false;
};

// The thread counts in the order given, each once.
std::vector<int> distinct(const std::vector<int>& values) {
  std::vector<int> kept;
  for (int value : values) {
    if (std::find(kept.begin(), kept.end(), value) == kept.end()) kept.push_back(value);
  }
  return kept;
}

BenchmarkOptions options_from(const BenchArgs& args) {
  BenchmarkOptions options;
  options.root = args.root;
  options.repetitions = args.repetitions;
  options.threads = distinct(args.threads);
  options.runs = args.runs;
  options.load.rules = agents::rule_catalog();
  options.build_rules = agents::build_rules;
  return options;
}

int list_command(const std::vector<BenchmarkCase>& cases, const std::vector<int>& threads) {
  fmt::print("{:<26} {:>5}  {:<8}  {}\n", "case", "runs", "threads", "what");
  for (const BenchmarkCase& benchmark : cases) {
    const std::string at = benchmark.sweep ? fmt::format("{}", fmt::join(threads, ",")) : "1";
    fmt::print("{:<26} {:>5}  {:<8}  {}\n", benchmark.name, benchmark.runs, at, benchmark.what);
  }
  return kOk;
}

std::string check_cell(BenchmarkCheck check) {
  return check == BenchmarkCheck::kNotChecked ? "-" : check_name(check);
}

void print_header() {
  fmt::print("{:<26} {:>7} {:>6} {:>10} {:>10} {:>11}  {:<16}  {}\n", "case", "threads", "runs", "median s",
             "runs/s", "updates/s", "checksum", "check");
}

void print_row(const BenchmarkResult& result) {
  fmt::print("{:<26} {:>7} {:>6} {:>10.4f} {:>10.1f} {:>9.2f} M  {:<16}  {}\n", result.name, result.threads,
             result.runs, result.seconds, result.runs_per_second, result.updates_per_second / 1e6, result.checksum,
             check_cell(result.check));
  std::fflush(stdout);
}

// Each case's rows (table only) and messages as soon as it is done: a full bench takes minutes.
void show(const std::vector<BenchmarkResult>& results, bool table) {
  if (table) {
    for (const BenchmarkResult& result : results) print_row(result);
  }
  for (const std::string& message : check_messages(results)) fmt::print(stderr, "{}\n", message);
}

void write_pins(const BenchmarkReport& report, const std::string& file) {
  const bool consistent = std::none_of(report.results.begin(), report.results.end(), [](const BenchmarkResult& r) {
    return r.check == BenchmarkCheck::kThreadMismatch;
  });
  if (!consistent) {
    fmt::print(stderr, "not writing {}: the checksums differ across thread counts\n", file);
    return;
  }
  write_file_atomically(file, benchmark_pins_text(report.results));
  fmt::print(stderr, "wrote {}\n", file);
}

int bench_command(const BenchArgs& args) {
  const std::vector<BenchmarkCase> cases = select_benchmark_cases(args.cases);
  if (args.list) return list_command(cases, distinct(args.threads));
  // Everything that can be wrong with the input is found before the first timing.
  const std::optional<BenchmarkPins> pins = args.check ? std::optional(read_benchmark_pins(*args.check)) : std::nullopt;
  bool first = true;  // the header comes with the first results, after every scenario has loaded
  const auto each = [&](const std::vector<BenchmarkResult>& results) {
    if (!args.json && std::exchange(first, false)) print_header();
    show(results, !args.json);
  };
  const BenchmarkReport report = run_benchmarks(cases, options_from(args), pins ? &*pins : nullptr, each);
  if (args.json) fmt::print("{}", benchmark_json(report));
  if (args.pin) write_pins(report, *args.pin);
  if (report.failures > 0) {
    fmt::print(stderr, "{} checksum failure{}\n", report.failures, report.failures == 1 ? "" : "s");
    return kFailure;
  }
  return kOk;
}

}  // namespace

void register_bench(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<BenchArgs>();
  CLI::App* cmd = app.add_subcommand("bench", "Time the standard scenarios: runs/s and updates/s, with checksums");
  cmd->add_option("CASE", args->cases, "Standard cases, by name or part of a name (default: all; see --list)");
  cmd->add_option("--threads", args->threads, "Thread counts of the sweep cases, comma separated")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  cmd->add_option("--repetitions", args->repetitions, "Timed repetitions per case (the median is reported)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--runs", args->runs, "Runs per case instead of the standard count (changes the checksums)")
      ->check(CLI::Range(1, 10000000));
  cmd->add_option("--check", args->check, "Compare the checksums with the pins in FILE (lines NAME CHECKSUM [RUNS])")
      ->type_name("FILE");
  cmd->add_option("--pin", args->pin, "Write the measured checksums to FILE, in the format --check reads")
      ->type_name("FILE");
  cmd->add_option("--root", args->root, "The folder that holds scenarios/")
      ->check(CLI::ExistingDirectory)
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "Print the results as JSON instead of a table");
  cmd->add_flag("--list", args->list, "List the standard cases and exit");
  cmd->callback([args, &exit_code] { exit_code = bench_command(*args); });
}

}  // namespace geosim::cli
