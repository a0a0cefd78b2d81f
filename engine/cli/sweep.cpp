// `geosim sweep FILE`: many runs over the scenario's uncertain inputs (README, "Sweeps").
#include <fmt/format.h>

#include <memory>

#include "commands.h"
#include "common.h"
#include "registry.h"
#include "sweep_common.h"
#include "tables_print.h"

namespace geosim::cli {
namespace {

struct Args {
  std::string file;
  SweepArgs sweep;
};

std::filesystem::path default_out(const std::string& file) {
  return std::filesystem::path("out") / (std::filesystem::path(file).stem().string() + "-sweep");
}

int sweep_command(const Args& args, const std::string& command_line) {
  ScenarioSpec spec = load(args.file);
  RuleSet rules = agents::build_rules(spec.rules);
  std::vector<Variant> variants;
  variants.push_back({"", std::move(spec), std::move(rules)});
  const SweepPlan plan = make_plan(std::move(variants), args.sweep);
  const std::filesystem::path out = args.sweep.out ? std::filesystem::path(*args.sweep.out) : default_out(args.file);
  const SweepSummary summary = execute(plan, args.sweep, out, command_line);
  if (!summary.interrupted && !args.sweep.quiet) {
    if (args.sweep.json) {
      fmt::print("{}", read_text_file(out / "manifest.json"));
    } else {
      fmt::print("{}", sweep_table(out / "bands.csv", plan.ticks));
    }
  }
  return report_outcome(summary, out, args.sweep);
}

}  // namespace

void register_sweep(CLI::App& app, int& exit_code, const std::string& command_line) {
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("sweep", "Run a scenario many times over its uncertain inputs");
  cmd->add_option("FILE", args->file, "Scenario YAML file")->required();
  add_sweep_options(cmd, args->sweep);
  cmd->callback([args, &exit_code, &command_line] { exit_code = sweep_command(*args, command_line); });
}

}  // namespace geosim::cli
