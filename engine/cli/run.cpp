// `geosim run FILE ...`: one run; summary to stdout, timeseries.csv and summary.json to --out.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "commands.h"
#include "common.h"
#include "geosim/engine.h"
#include "geosim/io.h"
#include "geosim/report.h"
#include "registry.h"
#include "sweep_common.h"

namespace geosim::cli {
namespace {

struct RunArgs {
  std::string file;
  std::optional<std::string> from;
  std::optional<std::uint64_t> run_id;
  std::optional<std::string> variant;
  std::optional<std::uint64_t> seed;
  std::optional<int> ticks;
  std::optional<std::string> mode;
  std::optional<int> record_every;
  std::optional<std::string> out;
  bool json = false;
  bool quiet = false;
  bool report = false;
};

RunOptions resolve_options(const ScenarioSpec& spec, const RunArgs& args) {
  RunOptions options = RunOptions::from(spec);
  if (args.seed) options.seed = *args.seed;
  if (args.ticks) options.ticks = *args.ticks;
  if (args.record_every) options.record_every = *args.record_every;
  if (args.mode) options.mode = *args.mode == "stochastic" ? Mode::kStochastic : Mode::kExpected;
  return options;
}

bool is_headline(const std::string& metric) {
  for (const char* prefix : {"cooperation", "balance", "blocs", "affinity:", "alignment:", "outcome:"}) {
    if (metric.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

std::string summary_table(const RunResult& result) {
  std::size_t width = 6;
  for (const MetricSummary& metric : result.summary) {
    if (is_headline(metric.metric)) width = std::max(width, metric.metric.size());
  }
  std::string out = fmt::format("{:<{}}  {:>10}  {:>16}\n", "metric", width, "final", "last-quarter mean");
  for (const MetricSummary& metric : result.summary) {
    if (!is_headline(metric.metric)) continue;
    out += fmt::format("{:<{}}  {:>10.4f}  {:>16.4f}\n", metric.metric, width, metric.final_value, metric.late_mean);
  }
  return out;
}

std::filesystem::path default_out(const std::string& file) {
  return std::filesystem::path("out") / std::filesystem::path(file).stem();
}

void write_outputs(const std::filesystem::path& dir, const ScenarioSpec& spec, const RunOptions& options,
                   const RunResult& result, bool report) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw IoError(fmt::format("{}: error: cannot create folder: {}", dir.string(), error.message()));
  write_file_atomically(dir / "timeseries.csv", timeseries_csv(result.series));
  write_file_atomically(dir / "summary.json", summary_json(spec, options, result));
  write_file_atomically(dir / "affinity.csv", affinity_csv(spec, result.initial_affinity, result.final_affinity));
  write_file_atomically(dir / "capability.csv", capability_csv(spec, result.final_capability));
  if (report) write_report(dir);
}

std::size_t variant_index(const SweepPlan& plan, const std::optional<std::string>& name) {
  if (!name) return 0;
  for (std::size_t v = 0; v < plan.variants.size(); ++v) {
    if (plan.variants[v].name == *name) return v;
  }
  throw InputError({{{}, fmt::format("--variant {}: the sweep has no such variant", *name), ""}});
}

// Reruns one run of a sweep and prints its runs.csv line (with the header), byte for byte.
int rerun_command(const RunArgs& args) {
  const SweepPlan plan = plan_from_manifest(*args.from);
  const std::size_t v = variant_index(plan, args.variant);
  if (!args.run_id || *args.run_id >= plan.runs()) {
    throw InputError({{{}, fmt::format("--run-id must be given and below the sweep's {} runs", plan.runs()), ""}});
  }
  const std::vector<RunRecord> records = compute_run(plan, *args.run_id);
  std::cout << runs_csv_header(plan, v) << runs_csv_row(plan, v, run_id(plan, *args.run_id), records[v]);
  if (args.out && records[v].ok) {
    std::filesystem::create_directories(*args.out);
    write_file_atomically(std::filesystem::path(*args.out) / "timeseries.csv", timeseries_csv(records[v].series));
  }
  return records[v].ok ? kOk : kFailure;
}

int run_command(const RunArgs& args) {
  if (args.from) return rerun_command(args);
  if (args.file.empty()) throw InputError({{{}, "run needs a scenario FILE (or --from DIR --run-id N)", ""}});
  const ScenarioSpec spec = load(args.file);
  const RuleSet rules = agents::build_rules(spec.rules);
  const RunOptions options = resolve_options(spec, args);
  const RunResult result = run_scenario(spec, rules, options);
  const bool to_stdout = args.out && *args.out == "-";
  if (to_stdout) {
    std::cout << timeseries_csv(result.series);
  } else {
    const std::filesystem::path dir = args.out ? std::filesystem::path(*args.out) : default_out(args.file);
    write_outputs(dir, spec, options, result, args.report);
    if (!args.quiet) fmt::print(stderr, "wrote {}/timeseries.csv and {}/summary.json\n", dir.string(), dir.string());
  }
  if (args.json) {
    (to_stdout ? std::cerr : std::cout) << summary_json(spec, options, result);
  } else if (!args.quiet) {
    fmt::print(to_stdout ? stderr : stdout, "{}", summary_table(result));
  }
  return kOk;
}

}  // namespace

void register_run(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "Run a scenario once and write its trajectories");
  cmd->add_option("FILE", args->file, "Scenario YAML file");
  cmd->add_option("--from", args->from, "Rerun one run of the sweep (or compare) in this folder");
  cmd->add_option("--run-id", args->run_id, "With --from: the run id to rerun")->check(CLI::NonNegativeNumber);
  cmd->add_option("--variant", args->variant, "With --from on a compare folder: a or b (default: the first)");
  cmd->add_option("--seed", args->seed, "Master seed, 0 to 2^64-1 (default: the scenario's run.seed)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--ticks", args->ticks, "Number of ticks T (default: the scenario's run.ticks)")
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--mode", args->mode, "expected or stochastic (default: the scenario's run.mode)")
      ->check(CLI::IsMember({"expected", "stochastic"}));
  cmd->add_option("--record-every", args->record_every, "Record metrics every R ticks (and at the last tick)")
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--out", args->out, "Output folder (default: out/<scenario name>); '-' writes the CSV to stdout");
  cmd->add_flag("--json", args->json, "Print summary.json instead of the summary table");
  cmd->add_flag("-q,--quiet", args->quiet, "Print no summary table");
  cmd->add_flag("--report", args->report, "Also write report.html (figures) into --out");
  cmd->callback([args, &exit_code] { exit_code = run_command(*args); });
}

}  // namespace geosim::cli
