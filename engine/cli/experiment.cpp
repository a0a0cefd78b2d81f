// `geosim experiment FILE` and `geosim batch BASE VARIANT...`: a baseline and its variants on
// the same design points and run keys (common random numbers), simulated in one pass, with
// every variant contrasted against the baseline (README, "Experiments").
#include <fmt/format.h>

#include <memory>

#include "commands.h"
#include "common.h"
#include "experiment_plan.h"
#include "registry.h"
#include "sweep_common.h"
#include "tables_print.h"

namespace geosim::cli {
namespace {

struct Args {
  std::string file;                 ///< experiment: the experiment file; batch: the baseline
  std::vector<std::string> variants;  ///< batch only
  std::vector<std::string> metrics;   ///< batch only
  SweepArgs sweep;
  CLI::App* command = nullptr;
};

bool given(const Args& args, const char* flag) { return args.command->get_option(flag)->count() > 0; }

// Flags given on the command line override the experiment file.
void override_design(ExperimentSpec& spec, const Args& args) {
  const SweepArgs& flags = args.sweep;
  if (given(args, "--design")) spec.design.kind = parse_design(flags.design);
  if (given(args, "--runs")) spec.design.points = flags.runs;
  if (given(args, "--replicates")) spec.design.replicates = flags.replicates;
  if (flags.seed) spec.design.seed = *flags.seed;
  if (flags.no_scramble) spec.design.scramble = false;
  if (given(args, "--levels")) spec.design.levels = flags.levels;
  if (flags.ticks) spec.ticks = flags.ticks;
  if (flags.record_every) spec.record_every = flags.record_every;
  if (flags.mode) spec.mode = parse_mode(flags.mode);
}

int run_experiment(const ExperimentSpec& spec, const Args& args, const std::filesystem::path& out,
                   const std::string& command_line) {
  const SweepPlan plan = experiment_plan(spec);
  SweepOptions::Experiment record;
  if (!spec.file.path.empty()) record = {spec.file.path, spec.file.text, spec.hash};
  const SweepSummary summary = execute(plan, args.sweep, out, command_line, record);
  if (!summary.interrupted && !args.sweep.quiet) {
    if (args.sweep.json) {
      fmt::print("{}", csv_json(out / "contrasts.csv"));
    } else {
      const std::size_t variants = spec.variants.size() - 1;
      fmt::print("experiment {}: {} variant{} against the baseline, {} paired runs each\n"
                 "differences are variant - baseline; family-wise intervals (Bonferroni) and p-values (Holm) are "
                 "corrected for the {} contrasts; * = significant at family-wise 5 %\n{}",
                 spec.name, variants, variants == 1 ? "" : "s", plan.runs(), variants * plan.outcomes.size(),
                 experiment_table(out / "contrasts.csv"));
    }
  }
  return report_outcome(summary, out, args.sweep);
}

int experiment_command(const Args& args, const std::string& command_line) {
  ExperimentSpec spec = load_experiment(args.file, load_options());
  override_design(spec, args);
  const std::filesystem::path out = args.sweep.out ? std::filesystem::path(*args.sweep.out)
                                    : spec.out      ? std::filesystem::path(*spec.out)
                                                    : std::filesystem::path("out") / std::filesystem::path(args.file).stem();
  return run_experiment(spec, args, out, command_line);
}

int batch_command(const Args& args, const std::string& command_line) {
  ExperimentSpec spec = batch_experiment(args.file, args.variants, args.metrics);
  override_design(spec, args);
  const std::filesystem::path out = args.sweep.out ? std::filesystem::path(*args.sweep.out)
                                                   : std::filesystem::path("out") / fmt::format("batch-{}", std::filesystem::path(args.file).stem().string());
  return run_experiment(spec, args, out, command_line);
}

}  // namespace

void register_experiment(CLI::App& app, int& exit_code, const std::string& command_line) {
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("experiment", "Run an experiment file: a baseline and its variants, contrasted");
  args->command = cmd;
  cmd->add_option("FILE", args->file, "Experiment YAML file")->required();
  add_sweep_options(cmd, args->sweep);
  cmd->callback([args, &exit_code, &command_line] { exit_code = experiment_command(*args, command_line); });
}

void register_batch(CLI::App& app, int& exit_code, const std::string& command_line) {
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("batch", "Contrast scenarios with a baseline (an experiment without a file)");
  args->command = cmd;
  cmd->add_option("BASE", args->file, "The baseline scenario")->required();
  cmd->add_option("VARIANT", args->variants, "Scenarios to contrast with the baseline")->required();
  cmd->add_option("--metric", args->metrics,
                  "An outcome: final:M, late:M or cross:M>=T / cross:M<=T, optionally @higher or @lower "
                  "(repeatable; default late:cooperation and late:balance)");
  add_sweep_options(cmd, args->sweep);
  cmd->callback([args, &exit_code, &command_line] { exit_code = batch_command(*args, command_line); });
}

}  // namespace geosim::cli
