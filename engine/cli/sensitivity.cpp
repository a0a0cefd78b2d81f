// `geosim sensitivity FILE` and `--compare A B`: Sobol' indices on a Saltelli design, or Morris
// elementary effects, of the scenario's uncertain inputs, run through the sweep runner
// (README, "Sensitivity").
#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "commands.h"
#include "common.h"
#include "experiment_plan.h"
#include "geosim/experiment.h"
#include "geosim/sensitivity.h"
#include "registry.h"
#include "sweep_common.h"
#include "tables_print.h"

namespace geosim::cli {
namespace {

struct Args {
  std::string file;
  std::vector<std::string> compare;
  std::string method = "sobol";
  std::optional<std::uint64_t> samples;
  std::vector<std::string> metrics;
  bool second_order = false;
  std::uint64_t bootstrap = 1000;
  SweepArgs sweep;
};

Variant variant(const std::string& name, const std::string& file) {
  ScenarioSpec spec = load(file);
  RuleSet rules = agents::build_rules(spec.rules);
  return {name, std::move(spec), std::move(rules)};
}

std::vector<Variant> variants_of(const Args& args) {
  if (args.compare.empty() == args.file.empty()) {
    throw InputError({{{"geosim sensitivity", 0, 0}, "give either a scenario FILE or --compare A B, not both", ""}});
  }
  std::vector<Variant> variants;
  if (args.compare.empty()) {
    variants.push_back(variant("", args.file));
  } else {
    variants.push_back(variant("a", args.compare[0]));
    variants.push_back(variant("b", args.compare[1]));
  }
  return variants;
}

std::vector<Outcome> outcomes_of(const Args& args, const std::vector<Variant>& variants) {
  std::vector<SourceLocation> where;
  std::vector<Outcome> outcomes = parse_metrics(args.metrics, where);
  std::vector<const ScenarioSpec*> specs;
  std::vector<std::string> names;
  for (const Variant& v : variants) {
    specs.push_back(&v.spec);
    names.push_back(v.name.empty() ? "the scenario" : v.name);
  }
  check_metrics(outcomes, where, specs, names);
  return outcomes;
}

SweepPlan plan_of(const Args& args) {
  std::vector<Variant> variants = variants_of(args);
  const std::vector<Outcome> outcomes = outcomes_of(args, variants);
  const bool morris = args.method == "morris";
  DesignSpec design;
  design.kind = morris ? DesignKind::kMorris : DesignKind::kSaltelli;
  design.points = args.samples.value_or(morris ? 50 : 1024);
  design.replicates = args.sweep.replicates;
  design.seed = args.sweep.seed.value_or(variants.front().spec.run.seed);
  design.scramble = !args.sweep.no_scramble;
  design.levels = args.sweep.levels;
  design.second_order = args.second_order;
  std::size_t inputs = 0;
  for (const Variant& v : variants) inputs += v.spec.uncertain.size();
  if (inputs == 0) {
    const std::string& file = args.file.empty() ? args.compare[0] : args.file;
    throw InputError({{{file, 0, 0}, "declares no uncertain inputs: a sensitivity analysis needs an `uncertain:` section", ""}});
  }
  SweepPlan plan = SweepPlan::make(std::move(variants), design, args.sweep.ticks, args.sweep.record_every,
                                   parse_mode(args.sweep.mode));
  plan.outcomes = outcomes;
  return plan;
}

std::filesystem::path default_out(const Args& args) {
  if (args.compare.empty()) return std::filesystem::path("out") / (std::filesystem::path(args.file).stem().string() + "-sensitivity");
  return std::filesystem::path("out") / fmt::format("sensitivity-{}-vs-{}", std::filesystem::path(args.compare[0]).stem().string(),
                                                    std::filesystem::path(args.compare[1]).stem().string());
}

int sensitivity_command(const Args& args, const std::string& command_line) {
  const SweepPlan plan = plan_of(args);
  const std::filesystem::path out = args.sweep.out ? std::filesystem::path(*args.sweep.out) : default_out(args);
  const SweepSummary summary = execute(plan, args.sweep, out, command_line);
  if (!summary.interrupted) {
    SensitivityOptions options;
    options.resamples = args.bootstrap;
    const SensitivityResult result = sensitivity_indices(plan, out, options);
    write_sensitivity(result, out);
    if (!args.sweep.quiet) {
      fmt::print("{}", args.sweep.json ? csv_json(out / "sensitivity.csv")
                                       : sensitivity_table(out / "sensitivity.csv", plan.runs(), plan.design.points,
                                                           !args.compare.empty()));
    }
  }
  return report_outcome(summary, out, args.sweep);
}

}  // namespace

void register_sensitivity(CLI::App& app, int& exit_code, const std::string& command_line) {
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("sensitivity", "Which uncertain inputs drive the outcomes: Sobol' indices or Morris screening");
  cmd->add_option("FILE", args->file, "Scenario YAML file with an `uncertain:` section");
  cmd->add_option("--compare", args->compare, "Indices of the paired difference B - A instead (two scenario files)")->expected(2);
  cmd->add_option("--method", args->method, "sobol (Saltelli design, Sobol' indices) or morris (elementary effects)")
      ->check(CLI::IsMember({"sobol", "morris"}))
      ->capture_default_str();
  cmd->add_option("--samples", args->samples, "sobol: N base samples, N (k + 2) runs (default 1024); morris: trajectories, "
                                              "r (k + 1) runs (default 50)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 36));
  cmd->add_option("--metric,--metrics", args->metrics,
                  "An outcome: final:M, late:M or cross:M>=T / cross:M<=T (repeatable; default late:cooperation and "
                  "late:balance)");
  cmd->add_flag("--second-order", args->second_order, "sobol: also the second-order indices (N (2k + 2) runs)");
  cmd->add_option("--bootstrap", args->bootstrap, "Bootstrap resamples for the intervals")
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1000000}))
      ->capture_default_str();
  SweepArgs& sweep = args->sweep;
  sweep.levels = 4;
  cmd->add_option("--levels", sweep.levels, "morris: grid levels p (even)")->check(CLI::Range(2, 1000))->capture_default_str();
  cmd->add_option("--replicates", sweep.replicates, "Stochastic replicates per design point, averaged")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 20))
      ->capture_default_str();
  cmd->add_option("--seed", sweep.seed, "Master seed (default: the scenario's run.seed)");
  cmd->add_option("--threads", sweep.threads, "Worker threads (default: all cores)")->check(CLI::Range(1, 4096));
  cmd->add_option("--out", sweep.out, "Output folder");
  cmd->add_flag("--resume", sweep.resume, "Continue an interrupted analysis in --out");
  cmd->add_flag("--force", sweep.force, "Replace results already in --out");
  cmd->add_flag("--no-scramble", sweep.no_scramble, "sobol: Boost's points without the random digital shift");
  cmd->add_option("--ticks", sweep.ticks, "Ticks per run (default: the scenario's run.ticks)")->check(CLI::Range(1, 100000000));
  cmd->add_option("--mode", sweep.mode, "expected or stochastic (default: the scenario's)")->check(CLI::IsMember({"expected", "stochastic"}));
  cmd->add_option("--record-every", sweep.record_every, "Record every R ticks")->check(CLI::Range(1, 100000000));
  cmd->add_option("--checkpoint-seconds", sweep.checkpoint_seconds, "Longest time between checkpoints")->check(CLI::Range(0.0, 86400.0));
  cmd->add_flag("-q,--quiet", sweep.quiet, "No progress and no table");
  cmd->add_flag("--json", sweep.json, "Print sensitivity.csv as JSON instead of a table");
  cmd->add_flag("--no-report", sweep.no_report, "Do not write report.html");
  cmd->get_option("--resume")->excludes(cmd->get_option("--force"));
  cmd->callback([args, &exit_code, &command_line] { exit_code = sensitivity_command(*args, command_line); });
}

}  // namespace geosim::cli
