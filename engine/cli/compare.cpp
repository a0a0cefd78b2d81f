// `geosim compare A B`: both scenarios on the same design points and run keys (common random
// numbers); paired differences per metric (README, "Comparing two scenarios").
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
  std::string a;
  std::string b;
  SweepArgs sweep;
};

std::filesystem::path default_out(const Args& args) {
  return std::filesystem::path("out") / fmt::format("compare-{}-vs-{}", std::filesystem::path(args.a).stem().string(),
                                                    std::filesystem::path(args.b).stem().string());
}

Variant variant(const std::string& name, const std::string& file) {
  ScenarioSpec spec = load(file);
  RuleSet rules = agents::build_rules(spec.rules);
  return {name, std::move(spec), std::move(rules)};
}

int compare_command(const Args& args, const std::string& command_line) {
  std::vector<Variant> variants;
  variants.push_back(variant("a", args.a));
  variants.push_back(variant("b", args.b));
  const SweepPlan plan = make_plan(std::move(variants), args.sweep);
  const std::filesystem::path out = args.sweep.out ? std::filesystem::path(*args.sweep.out) : default_out(args);
  const SweepSummary summary = execute(plan, args.sweep, out, command_line);
  if (!summary.interrupted && !args.sweep.quiet) {
    fmt::print("{}", args.sweep.json ? csv_json(out / "compare.csv") : compare_table(out / "compare.csv", args.a, args.b));
  }
  return report_outcome(summary, out, args.sweep);
}

}  // namespace

void register_compare(CLI::App& app, int& exit_code, const std::string& command_line) {
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("compare", "Compare two scenarios over paired runs (common random numbers)");
  cmd->add_option("A", args->a, "Scenario A (the reference)")->required();
  cmd->add_option("B", args->b, "Scenario B")->required();
  add_sweep_options(cmd, args->sweep);
  cmd->callback([args, &exit_code, &command_line] { exit_code = compare_command(*args, command_line); });
}

}  // namespace geosim::cli
