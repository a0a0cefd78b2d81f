// load_experiment: an experiment file (README, "Experiments") -> ExperimentSpec. The file is
// read into the same located tree as scenarios, so its errors look the same; each variant's
// scenario is loaded by the scenario loader (an inline overlay as if it were a file that
// extends the baseline), and every problem in the file and its scenarios is reported at once.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "core/fnv.h"
#include "geosim/experiment.h"
#include "geosim/metrics.h"
#include "scenario/diagnostics.h"
#include "scenario/loader.h"
#include "scenario/reader.h"
#include "scenario/yaml_tree.h"

namespace geosim {
namespace scenario {
namespace {

namespace fs = std::filesystem;
using Keys = std::vector<std::string>;

const Keys kTopKeys{"experiment", "description", "baseline", "variants", "design", "run", "metrics", "out"};
const Keys kVariantKeys{"name", "description", "scenario", "overlay"};
const Keys kDesignKeys{"kind", "runs", "replicates", "seed", "scramble", "levels"};
const Keys kRunKeys{"ticks", "record_every", "mode"};
const Keys kMetricKeys{"metric", "summary", "threshold", "direction", "better"};
const Keys kDesignKinds{"mc", "lhs", "sobol", "grid"};
const Keys kSummaries{"final", "late", "cross"};
constexpr std::uintmax_t kMaxFileBytes = 1u << 20;
constexpr std::size_t kMaxVariants = 256;

std::string read_file(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    throw IoError(fmt::format("cannot read experiment file '{}': {}", path.string(),
                              fs::exists(path, ec) ? "not a regular file" : "no such file"));
  }
  if (fs::file_size(path, ec) > kMaxFileBytes) {
    throw IoError(fmt::format("cannot read experiment file '{}': larger than {} bytes", path.string(), kMaxFileBytes));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw IoError(fmt::format("cannot read experiment file '{}'", path.string()));
  return text.str();
}

// One of `choices`, reported with the allowed values otherwise.
std::optional<std::string> choice(Reader& reader, const Node& node, const Path& path, const Keys& choices) {
  auto text = reader.string(node, path);
  if (!text) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *text) != choices.end()) return text;
  reader.error(node.where, fmt::format("{} must be one of {}, got {}{}", path, fmt::join(choices, ", "), describe(node),
                                       did_you_mean(*text, choices)));
  return std::nullopt;
}

class ExperimentBuilder {
 public:
  ExperimentBuilder(const fs::path& file, const LoadOptions& options) : file_(file), options_(options), reader_(diags_) {
    spec_.file = {file.string(), read_file(file)};
    spec_.hash = fmt::format("{:016x}", fnv1a(kFnvOffsetBasis, spec_.file.text));
  }

  ExperimentSpec build() {
    const NodePtr root = parse_yaml(spec_.file.text, spec_.file.path, diags_);
    if (root && top_level(*root)) {
      names(*root);
      baseline(*root);
      variants(*root);
      design(*root);
      run(*root);
      metrics(*root);
      out(*root);
      check_metrics();
    }
    std::vector<Diagnostic> all = diags_.finish(std::span<const SourceFile>(&spec_.file, 1));
    all.insert(all.end(), scenario_errors_.begin(), scenario_errors_.end());
    if (!all.empty()) throw InputError(std::move(all));
    return std::move(spec_);
  }

 private:
  bool top_level(const Node& root) {
    if (!root.is_map()) {
      reader_.error(root.where, fmt::format("an experiment must be a map with the keys {}, got {}", fmt::join(kTopKeys, ", "),
                                            describe(root)));
      return false;
    }
    for (const auto& entry : root.entries) {
      const std::string& key = entry.key->text;
      if (key.starts_with("x-") || std::find(kTopKeys.begin(), kTopKeys.end(), key) != kTopKeys.end()) continue;
      reader_.error(entry.key->where, fmt::format("the experiment has unknown key '{}'{}", key, did_you_mean(key, kTopKeys)));
    }
    return true;
  }

  const Node* required(const Node& root, std::string_view key) {
    const Node* node = root.find(key);
    if (!node) reader_.error(root.where, fmt::format("the experiment is missing required key '{}'", key));
    return node;
  }

  void names(const Node& root) {
    if (const Node* name = root.find("experiment")) {
      if (auto text = reader_.string(*name, "experiment")) spec_.name = *text;
    }
    if (spec_.name.empty()) spec_.name = file_.stem().string();
    if (const Node* description = root.find("description")) {
      if (auto text = reader_.string(*description, "description")) spec_.description = *text;
    }
  }

  fs::path relative(const std::string& path) const { return (file_.parent_path() / path).lexically_normal(); }

  // A scenario file named at `node`; its own errors keep their own locations.
  std::optional<ScenarioSpec> load_file(const Node& node, const Path& path) {
    auto text = reader_.string(node, path);
    if (!text) return std::nullopt;
    if (text->empty()) {
      reader_.error(node.where, fmt::format("{} must be a scenario file path, got an empty string", path));
      return std::nullopt;
    }
    return guarded(node, [&] { return load_scenario(relative(*text), options_); });
  }

  template <typename Load>
  std::optional<ScenarioSpec> guarded(const Node& node, Load load) {
    try {
      return load();
    } catch (const InputError& error) {
      scenario_errors_.insert(scenario_errors_.end(), error.diagnostics().begin(), error.diagnostics().end());
    } catch (const IoError& error) {
      reader_.error(node.where, error.what());
    }
    return std::nullopt;
  }

  void baseline(const Node& root) {
    const Node* node = required(root, "baseline");
    if (!node) return;
    baseline_path_ = node->is_scalar() ? node->text : "";
    if (auto spec = load_file(*node, "baseline")) {
      spec_.variants.push_back({"baseline", "", std::move(*spec)});
    } else {
      baseline_failed_ = true;
    }
  }

  void variants(const Node& root) {
    const Node* list = required(root, "variants");
    if (!list || !reader_.list(*list, "variants")) return;
    if (list->items.empty() || list->items.size() > kMaxVariants) {
      reader_.error(list->where, fmt::format("variants must list 1 to {} variants, got {}", kMaxVariants, list->items.size()));
      return;
    }
    std::set<std::string> seen{"baseline"};
    for (std::size_t i = 0; i < list->items.size(); ++i) variant(*list->items[i], item_path("variants", std::to_string(i)), seen);
  }

  void variant(const Node& node, const Path& path, std::set<std::string>& seen) {
    if (node.is_scalar()) {  // the short form: a scenario file, named by its stem
      add_variant(node, fs::path(node.text).stem().string(), "", load_file(node, path), seen, node);
      return;
    }
    if (!reader_.map(node, path, kVariantKeys)) return;
    const Node* name = reader_.require(node, path, "name");
    const Node* file = node.find("scenario");
    const Node* overlay = node.find("overlay");
    if (!name) return;
    std::string description;
    if (const Node* text = node.find("description")) description = reader_.string(*text, child_path(path, "description")).value_or("");
    if ((file == nullptr) == (overlay == nullptr)) {
      reader_.error(node.where, fmt::format("{} needs exactly one of 'scenario' (a file) and 'overlay' (changes to the baseline)", path));
      return;
    }
    auto spec = file ? load_file(*file, child_path(path, "scenario")) : inline_overlay(*node.find_entry("overlay"), child_path(path, "overlay"));
    add_variant(*name, name->text, description, std::move(spec), seen, *name);
  }

  std::optional<ScenarioSpec> inline_overlay(const Entry& entry, const Path& path) {
    const Node& node = *entry.value;
    if (!reader_.any_map(node, path)) return std::nullopt;
    if (const Entry* extends = node.find_entry("extends")) {
      reader_.error(extends->key->where, fmt::format("{} cannot have 'extends': an inline overlay always extends the baseline", path));
      return std::nullopt;
    }
    if (baseline_failed_ || baseline_path_.empty()) return std::nullopt;
    return guarded(node, [&] { return load_overlaid(relative(baseline_path_), entry.value, spec_.file, options_); });
  }

  void add_variant(const Node& name_node, const std::string& name, const std::string& description,
                   std::optional<ScenarioSpec> spec, std::set<std::string>& seen, const Node& where) {
    if (!is_identifier(name)) {
      reader_.error(where.where, fmt::format("variant name '{}' must be an id matching [A-Za-z_][A-Za-z0-9_]* (it names the output folder)", name));
      return;
    }
    if (!seen.insert(name).second) {
      reader_.error(name_node.where, fmt::format("variant name '{}' is used twice{}", name,
                                                 name == "baseline" ? " ('baseline' names the baseline)" : ""));
      return;
    }
    if (spec) spec_.variants.push_back({name, description, std::move(*spec)});
  }

  void design(const Node& root) {
    const Node* node = root.find("design");
    if (!node || !reader_.map(*node, "design", kDesignKeys)) return;
    if (const Node* kind = node->find("kind")) {
      if (auto text = choice(reader_, *kind, "design.kind", kDesignKinds)) {
        const auto index = std::find(kDesignKinds.begin(), kDesignKinds.end(), *text) - kDesignKinds.begin();
        spec_.design.kind = static_cast<DesignKind>(index);
      }
    }
    if (const Node* runs = node->find("runs")) {
      spec_.design.points = static_cast<std::uint64_t>(reader_.integer(*runs, "design.runs", 1, 1LL << 40).value_or(1));
    }
    if (const Node* replicates = node->find("replicates")) {
      spec_.design.replicates = static_cast<std::uint64_t>(reader_.integer(*replicates, "design.replicates", 1, 1 << 20).value_or(1));
    }
    if (const Node* seed = node->find("seed")) seed_ = reader_.unsigned64(*seed, "design.seed");
    if (const Node* scramble = node->find("scramble")) spec_.design.scramble = reader_.boolean(*scramble, "design.scramble").value_or(true);
    if (const Node* levels = node->find("levels")) spec_.design.levels = static_cast<int>(reader_.integer(*levels, "design.levels", 1, 1000).value_or(3));
  }

  void run(const Node& root) {
    const Node* node = root.find("run");
    if (!node || !reader_.map(*node, "run", kRunKeys)) return;
    if (const Node* ticks = node->find("ticks")) spec_.ticks = reader_.integer(*ticks, "run.ticks", 1, 1'000'000);
    if (const Node* every = node->find("record_every")) spec_.record_every = reader_.integer(*every, "run.record_every", 1, 1'000'000);
    if (const Node* mode = node->find("mode")) {
      if (auto text = choice(reader_, *mode, "run.mode", {"expected", "stochastic"})) {
        spec_.mode = *text == "expected" ? Mode::kExpected : Mode::kStochastic;
      }
    }
  }

  void metrics(const Node& root) {
    const Node* list = required(root, "metrics");
    if (!list || !reader_.list(*list, "metrics")) return;
    if (list->items.empty()) reader_.error(list->where, "metrics must list at least one outcome, e.g. late:cooperation");
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      const Node& node = *list->items[i];
      const Path path = item_path("metrics", std::to_string(i));
      if (auto outcome = node.is_scalar() ? short_outcome(node, path) : long_outcome(node, path)) {
        spec_.outcomes.push_back(*outcome);
        outcome_where_.push_back(node.where);
      }
    }
  }

  std::optional<Outcome> short_outcome(const Node& node, const Path& path) {
    std::string why;
    auto outcome = parse_outcome(node.text, why);
    if (!outcome) reader_.error(node.where, fmt::format("{}: {}", path, why));
    return outcome;
  }

  std::optional<Outcome> long_outcome(const Node& node, const Path& path) {
    if (!reader_.map(node, path, kMetricKeys)) return std::nullopt;
    Outcome outcome;
    const Node* metric = reader_.require(node, path, "metric");
    if (!metric) return std::nullopt;
    outcome.metric = reader_.string(*metric, child_path(path, "metric")).value_or("");
    if (const Node* summary = node.find("summary")) {
      auto text = choice(reader_, *summary, child_path(path, "summary"), kSummaries);
      if (!text) return std::nullopt;
      outcome.summary = static_cast<Outcome::Summary>(std::find(kSummaries.begin(), kSummaries.end(), *text) - kSummaries.begin());
    }
    const bool cross = outcome.summary == Outcome::Summary::kCross;
    const Node* threshold = node.find("threshold");
    const Node* direction = node.find("direction");
    if (cross && !threshold) {
      reader_.error(node.where, fmt::format("{} has summary 'cross' and needs a threshold", path));
      return std::nullopt;
    }
    if (!cross && (threshold || direction)) {
      reader_.error((threshold ? threshold : direction)->where,
                    fmt::format("{}: threshold and direction apply only to summary 'cross'", path));
      return std::nullopt;
    }
    if (threshold) outcome.threshold = reader_.number(*threshold, child_path(path, "threshold")).value_or(0);
    if (direction) outcome.above = choice(reader_, *direction, child_path(path, "direction"), {"above", "below"}).value_or("above") == "above";
    outcome.higher_is_better = !cross;
    if (const Node* better = node.find("better")) {
      auto text = choice(reader_, *better, child_path(path, "better"), {"higher", "lower"});
      if (!text) return std::nullopt;
      outcome.higher_is_better = *text == "higher";
    }
    return outcome;
  }

  void out(const Node& root) {
    if (const Node* node = root.find("out")) spec_.out = reader_.string(*node, "out");
  }

  void check_metrics() {
    if (!spec_.variants.empty()) spec_.design.seed = seed_.value_or(spec_.variants.front().spec.run.seed);
    if (baseline_failed_ || !scenario_errors_.empty() || spec_.outcomes.empty()) return;
    std::vector<const ScenarioSpec*> specs;
    std::vector<std::string> names;
    for (const auto& variant : spec_.variants) {
      specs.push_back(&variant.spec);
      names.push_back(variant.name);
    }
    for (const Diagnostic& problem : check_outcomes(spec_.outcomes, outcome_where_, specs, names)) {
      reader_.error(problem.where, problem.message);
    }
  }

  fs::path file_;
  const LoadOptions& options_;
  Diagnostics diags_;
  Reader reader_;
  ExperimentSpec spec_;
  std::vector<SourceLocation> outcome_where_;
  std::vector<Diagnostic> scenario_errors_;
  std::optional<std::uint64_t> seed_;
  std::string baseline_path_;
  bool baseline_failed_ = false;
};

}  // namespace
}  // namespace scenario

ExperimentSpec load_experiment(const std::filesystem::path& file, const LoadOptions& options) {
  return scenario::ExperimentBuilder(file, options).build();
}

std::vector<Diagnostic> check_outcomes(const std::vector<Outcome>& outcomes, const std::vector<SourceLocation>& where,
                                       const std::vector<const ScenarioSpec*>& variants,
                                       const std::vector<std::string>& names) {
  std::vector<Diagnostic> problems;
  std::vector<std::vector<std::string>> recorded;  // per variant, its metric columns
  for (const ScenarioSpec* variant : variants) {
    const MetricRecorder recorder(*variant);
    recorded.emplace_back(recorder.columns().begin() + 1, recorder.columns().end());
  }
  std::set<std::string> labels;
  for (std::size_t o = 0; o < outcomes.size(); ++o) {
    if (!labels.insert(outcomes[o].label()).second) {
      problems.push_back({where[o], fmt::format("outcome '{}' is listed twice", outcomes[o].label()), ""});
      continue;
    }
    for (std::size_t v = 0; v < variants.size(); ++v) {
      const std::vector<std::string>& columns = recorded[v];
      if (std::find(columns.begin(), columns.end(), outcomes[o].metric) != columns.end()) continue;
      problems.push_back({where[o],
                          fmt::format("variant '{}' records no metric '{}'{}", names[v], outcomes[o].metric,
                                      scenario::did_you_mean(outcomes[o].metric, columns)),
                          ""});
      break;
    }
  }
  return problems;
}

}  // namespace geosim
