#include "commands.h"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "geosim/engine.h"
#include "geosim/io.h"
#include "registry.h"

namespace geosim::cli {
namespace {

ScenarioSpec load(const std::string& file) {
  LoadOptions options;
  options.rules = agents::rule_catalog();
  return load_scenario(file, options);
}

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
                   const RunResult& result) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) throw IoError(fmt::format("{}: error: cannot create folder: {}", dir.string(), error.message()));
  write_file_atomically(dir / "timeseries.csv", timeseries_csv(result.series));
  write_file_atomically(dir / "summary.json", summary_json(spec, options, result));
}

}  // namespace

int validate_command(const ValidateArgs& args) {
  int status = kOk;
  for (const std::string& file : args.files) {
    try {
      const ScenarioSpec spec = load(file);
      if (!args.quiet) {
        fmt::print("{}: ok: {} agents, {} issues, {} ticks\n", file, spec.agent_count(), spec.issue_count(),
                   spec.run.ticks);
      }
    } catch (const InputError& error) {
      fmt::print(stderr, "{}\n", error.formatted());
      const std::size_t count = error.diagnostics().size();
      fmt::print(stderr, "{}: {} error{}\n", file, count, count == 1 ? "" : "s");
      status = std::max<int>(status, kInvalid);
    } catch (const IoError& error) {
      fmt::print(stderr, "{}\n", error.what());
      status = std::max<int>(status, kFailure);
    }
  }
  return status;
}

int run_command(const RunArgs& args) {
  const ScenarioSpec spec = load(args.file);
  const RuleSet rules = agents::build_rules(spec.rules);
  const RunOptions options = resolve_options(spec, args);
  const RunResult result = run_scenario(spec, rules, options);
  const bool to_stdout = args.out && *args.out == "-";
  if (to_stdout) {
    std::cout << timeseries_csv(result.series);
  } else {
    const std::filesystem::path dir = args.out ? std::filesystem::path(*args.out) : default_out(args.file);
    write_outputs(dir, spec, options, result);
    if (!args.quiet) fmt::print(stderr, "wrote {}/timeseries.csv and {}/summary.json\n", dir.string(), dir.string());
  }
  if (args.json) {
    (to_stdout ? std::cerr : std::cout) << summary_json(spec, options, result);
  } else if (!args.quiet) {
    fmt::print(to_stdout ? stderr : stdout, "{}", summary_table(result));
  }
  return kOk;
}

}  // namespace geosim::cli
