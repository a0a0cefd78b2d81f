#include "sweep_common.h"

#include <atomic>
#include <csignal>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "experiment_plan.h"
#include "geosim/report.h"
#include "common.h"
#include "progress.h"
#include "registry.h"

namespace geosim::cli {
namespace {

std::atomic<bool> g_stop{false};
Cluster* g_cluster = nullptr;
bool g_distributed = false;  // this command shares runs between the ranks
bool g_agreed = false;

bool several_ranks() { return g_cluster != nullptr && g_cluster->size() > 1; }

// The first Ctrl-C asks the sweep to stop after its chunk with a checkpoint; a second one
// ends the process at once (the checkpoint still allows --resume).
extern "C" void on_interrupt(int) {
  g_stop.store(true);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

// The variant sub-folders named in the manifest of the sweep in `out`.
std::vector<std::string> variant_folders(const std::filesystem::path& out) {
  std::ifstream in(out / "manifest.json");
  const auto json = nlohmann::json::parse(in, nullptr, false);
  std::vector<std::string> names;
  if (json.is_discarded() || !json.contains("variants") || !json["variants"].is_array()) return names;
  for (const auto& variant : json["variants"]) {
    const std::string name = variant.is_object() ? variant.value("name", "") : "";
    if (!name.empty() && name.find_first_of("/\\.") == std::string::npos) names.push_back(name);
  }
  return names;
}

// Files a sweep writes into its folder: --force removes exactly these, nothing else (and a
// variant's folder only when that leaves it empty).
void remove_sweep_files(const std::filesystem::path& out) {
  const std::vector<std::string> variants = variant_folders(out);
  for (const char* name : {"manifest.json", "runs.csv", "runs.csv.partial", "bands.csv", "results.sqlite",
                           ".checkpoint", "compare.csv", "diff_bands.csv", "report.html", "affinity.csv",
                           "capability.csv", "contrasts.csv"}) {
    std::filesystem::remove(out / name);
    for (const std::string& variant : variants) std::filesystem::remove(out / variant / name);
  }
  std::error_code ignored;
  for (const std::string& variant : variants) {
    if (std::filesystem::is_empty(out / variant, ignored)) std::filesystem::remove(out / variant, ignored);
  }
}

void guard_folder(const std::filesystem::path& out, const SweepArgs& args) {
  if (args.resume || !std::filesystem::exists(out / "manifest.json")) return;
  if (args.force) {
    remove_sweep_files(out);
    return;
  }
  throw InputError({{{out.string(), 0, 0},
                     "the folder already holds a sweep; use --resume to continue it, --force to replace it, "
                     "or another --out",
                     ""}});
}

std::uint64_t runs_done_before(const std::filesystem::path& out) {
  std::ifstream in(out / "manifest.json");
  const auto json = nlohmann::json::parse(in, nullptr, false);
  return json.is_discarded() ? 0 : json.value("runs_done", std::uint64_t{0});
}


// All ranks agree to start (rank 0 has checked the output folder) before any rank waits for
// another; a rank that failed earlier says so from main (report_failure_to_ranks).
void start_together(const std::filesystem::path& out, const SweepArgs& args) {
  if (!several_ranks()) {
    guard_folder(out, args);
    return;
  }
  std::exception_ptr error;
  if (g_cluster->rank() == 0) {
    try {
      guard_folder(out, args);
    } catch (...) {
      error = std::current_exception();
    }
  }
  g_agreed = true;
  if (g_cluster->all_ok(error == nullptr)) return;
  if (error) std::rethrow_exception(error);
  if (g_cluster->rank() != 0) throw WorkerDone{};
  throw Error("another rank failed before the sweep started (see its message)");
}
}  // namespace

DesignKind parse_design(const std::string& name) {
  if (name == "lhs") return DesignKind::kLhs;
  if (name == "sobol") return DesignKind::kSobol;
  if (name == "grid") return DesignKind::kGrid;
  if (name == "saltelli") return DesignKind::kSaltelli;
  if (name == "morris") return DesignKind::kMorris;
  return DesignKind::kMc;
}

std::optional<Mode> parse_mode(const std::optional<std::string>& mode) {
  if (!mode) return std::nullopt;
  return *mode == "expected" ? Mode::kExpected : Mode::kStochastic;
}

void add_sweep_options(CLI::App* cmd, SweepArgs& args) {
  cmd->add_option("--design", args.design, "mc, lhs, sobol or grid")
      ->check(CLI::IsMember({"mc", "lhs", "sobol", "grid"}))
      ->capture_default_str();
  cmd->add_option("--runs", args.runs, "Design points (total runs = runs x replicates; grid: ignored)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40))
      ->capture_default_str();
  cmd->add_option("--replicates", args.replicates, "Stochastic replicates per design point")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 20))
      ->capture_default_str();
  cmd->add_option("--seed", args.seed, "Master seed (default: the scenario's run.seed)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--threads", args.threads, "Worker threads (default: all cores)")->check(CLI::Range(1, 4096));
  cmd->add_option("--out", args.out, "Output folder");
  cmd->add_flag("--resume", args.resume, "Continue an interrupted sweep in --out");
  cmd->add_flag("--force", args.force, "Replace a sweep already in --out");
  cmd->add_flag("--no-scramble", args.no_scramble, "sobol: use Boost's unscrambled points");
  cmd->add_option("--levels", args.levels, "grid: levels for inputs without explicit grid values")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--ticks", args.ticks, "Ticks per run (default: the scenario's run.ticks)")->check(CLI::Range(1, 100000000));
  cmd->add_option("--mode", args.mode, "expected or stochastic (default: the scenario's run.mode)")
      ->check(CLI::IsMember({"expected", "stochastic"}));
  cmd->add_option("--record-every", args.record_every, "Record every R ticks (default: the scenario's)")
      ->check(CLI::Range(1, 100000000));
  cmd->add_option("--checkpoint-seconds", args.checkpoint_seconds, "Longest time between checkpoints")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", args.quiet, "No progress and no table");
  cmd->add_flag("--json", args.json, "Print the result as JSON instead of a table");
  cmd->add_flag("--no-report", args.no_report, "Do not write report.html");
  cmd->get_option("--resume")->excludes(cmd->get_option("--force"));
}

SweepPlan make_plan(std::vector<Variant> variants, const SweepArgs& args) {
  DesignSpec design;
  design.kind = parse_design(args.design);
  design.points = args.runs;
  design.replicates = args.replicates;
  design.seed = args.seed.value_or(variants.front().spec.run.seed);
  design.scramble = !args.no_scramble;
  design.levels = args.levels;
  return SweepPlan::make(std::move(variants), design, args.ticks, args.record_every, parse_mode(args.mode));
}

SweepSummary execute(const SweepPlan& plan, const SweepArgs& args, const std::filesystem::path& out,
                     const std::string& command_line, const SweepOptions::Experiment& experiment) {
  start_together(out, args);
  Progress progress(plan.runs(), args.resume && !is_worker() ? runs_done_before(out) : 0, args.quiet || is_worker());
  SweepOptions options;
  options.out = out;
  options.threads = args.threads;
  options.resume = args.resume;
  options.stop = &g_stop;
  options.command_line = command_line;
  options.checkpoint_seconds = args.checkpoint_seconds;
  options.experiment = experiment;
  options.cluster = g_cluster;
  options.progress = [&progress](std::uint64_t done, std::uint64_t failed) { progress.update(done, failed); };
  g_stop.store(false);
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  const SweepSummary summary = run_sweep(plan, options);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (is_worker()) throw WorkerDone{};
  progress.finish(summary.done, summary.failed);
  return summary;
}

int report_outcome(const SweepSummary& summary, const std::filesystem::path& out, const SweepArgs& args) {
  if (summary.interrupted) {
    fmt::print(stderr, "interrupted after {} of {} runs; continue with --resume --out {}\n", summary.done,
               summary.runs, out.string());
    return kFailure;
  }
  // A complete sweep gets its report even with failed runs (they are left out of the figures).
  if (!args.no_report) write_report(out);
  if (summary.failed > 0) {
    fmt::print(stderr, "{} of {} runs failed (see the status and error columns of runs.csv)\n", summary.failed,
               summary.runs);
    return kFailure;
  }
  if (!args.quiet) fmt::print(stderr, "wrote {}\n", out.string());
  return kOk;
}

// The variants of a sweep, compare or batch: each scenario reloaded from its recorded path.
std::vector<Variant> scenario_variants(const nlohmann::json& json, const SourceLocation& where) {
  std::vector<Variant> variants;
  for (const auto& v : json.at("variants")) {
    ScenarioSpec spec = load(v.at("scenario").get<std::string>());
    if (spec.inputs_hash != v.at("inputs_hash").get<std::string>()) {
      throw InputError({{where, fmt::format("scenario {} has changed since the sweep (hash {}, now {})",
                                            v.at("scenario").get<std::string>(), v.at("inputs_hash").get<std::string>(),
                                            spec.inputs_hash), ""}});
    }
    RuleSet rules = agents::build_rules(spec.rules);
    variants.push_back({v.at("name").get<std::string>(), std::move(spec), std::move(rules)});
  }
  return variants;
}

// The variants of an experiment: the experiment file reloaded (it must not have changed).
std::vector<Variant> experiment_variants(const nlohmann::json& json, const SourceLocation& where) {
  const auto& record = json.at("experiment");
  const std::string path = record.at("path").get<std::string>();
  const ExperimentSpec spec = load_experiment(path, load_options());
  if (spec.hash != record.at("hash").get<std::string>()) {
    throw InputError({{where, fmt::format("experiment file {} has changed since the run (hash {}, now {})", path,
                                          record.at("hash").get<std::string>(), spec.hash), ""}});
  }
  std::vector<Variant> variants = experiment_plan(spec).variants;
  for (std::size_t v = 0; v < variants.size(); ++v) {
    if (variants[v].spec.inputs_hash != json.at("variants").at(v).at("inputs_hash").get<std::string>()) {
      throw InputError({{where, fmt::format("a scenario of variant '{}' has changed since the run", variants[v].name), ""}});
    }
  }
  return variants;
}

std::vector<Outcome> manifest_outcomes(const nlohmann::json& outcomes, const SourceLocation& where) {
  std::vector<Outcome> parsed;
  for (const auto& item : outcomes) {
    std::string why;
    auto outcome = parse_outcome(item.at("outcome").get<std::string>() + "@" + item.at("better").get<std::string>(), why);
    if (!outcome) throw InputError({{where, fmt::format("manifest.json has a bad outcome: {}", why), ""}});
    parsed.push_back(*outcome);
  }
  return parsed;
}

SweepPlan plan_from_manifest(const std::filesystem::path& dir) {
  std::ifstream in(dir / "manifest.json");
  const auto json = nlohmann::json::parse(in, nullptr, false);
  const SourceLocation where{(dir / "manifest.json").string(), 0, 0};
  if (!in.is_open() || json.is_discarded() || !json.contains("variants") || !json.contains("design")) {
    throw InputError({{where, "not a sweep folder: manifest.json is missing or unreadable", ""}});
  }
  try {
    std::vector<Variant> variants = json.contains("experiment") ? experiment_variants(json, where) : scenario_variants(json, where);
    const auto& d = json.at("design");
    DesignSpec design;
    design.kind = parse_design(d.at("kind").get<std::string>());
    design.points = d.at("points").get<std::uint64_t>();
    design.replicates = d.at("replicates").get<std::uint64_t>();
    design.seed = d.at("seed").get<std::uint64_t>();
    design.scramble = d.at("scramble").get<bool>();
    design.levels = d.at("levels").get<int>();
    design.second_order = d.value("second_order", false);
    SweepPlan plan = SweepPlan::make(std::move(variants), design, json.at("ticks").get<int>(),
                                     json.at("record_every").get<int>(), parse_mode(json.at("mode").get<std::string>()));
    if (json.contains("outcomes")) plan.outcomes = manifest_outcomes(json.at("outcomes"), where);
    return plan;
  } catch (const nlohmann::json::exception& error) {
    throw InputError({{where, fmt::format("manifest.json is incomplete: {}", error.what()), ""}});
  }
}

void set_cluster(Cluster* cluster, bool distributed) {
  g_cluster = cluster;
  g_distributed = distributed;
}

bool is_worker() { return several_ranks() && g_cluster->rank() != 0; }

bool is_distributed_command(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.starts_with("-")) continue;
    return arg == "sweep" || arg == "compare" || arg == "experiment" || arg == "batch" || arg == "sensitivity";
  }
  return false;
}

void report_failure_to_ranks() {
  // Only the ranks of a distributed command meet; the others never wait for each other.
  if (!several_ranks() || !g_distributed || g_agreed) return;
  g_agreed = true;
  g_cluster->all_ok(false);
}

std::string joined(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) line += (i ? " " : "") + std::string(argv[i]);
  return line;
}

}  // namespace geosim::cli
