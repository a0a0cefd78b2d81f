// The `uncertain:` section: distributions over numeric scenario paths (MODEL.md section 6,
// include/geosim/uncertain.h). Each path is resolved here, once, to an InputTarget with the
// range the rest of the loader enforces for that field, so that apply_inputs can clip a
// sampled value without parsing anything.
#include "scenario/uncertain_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>

#include "sweep/distributions.h"

namespace geosim::scenario {
namespace {

using Keys = std::vector<std::string>;
using Kind = InputTarget::Kind;

const Keys kItemKeys{"id", "path", "dist", "grid", "min",  "max",    "mean",
                     "sd", "mode", "alpha", "beta", "values", "weights"};
const Keys kCommonKeys{"id", "path", "dist", "grid"};
const Keys kSections{"params", "agents", "relations", "regions", "policies", "events"};
const Keys kAgentFields{"capability", "susceptibility", "growth", "capital", "interests"};
const Keys kInterestFields{"position", "anchor", "salience"};
const Keys kRelationFields{"affinity", "initial_affinity", "trade"};
const Keys kRegionFields{"climate"};
const Keys kPolicyFields{"at", "pivot", "anchor", "salience", "climate", "trade_factor"};
const Keys kEventFields{"at", "hazard"};
/// The parameter keys of each distribution kind, in DistributionKind order.
const std::vector<Keys> kKindKeys{{"min", "max"},
                                  {"mean", "sd"},
                                  {"mean", "sd", "min", "max"},
                                  {"min", "mode", "max"},
                                  {"alpha", "beta", "min", "max"},
                                  {"values", "weights"}};
/// The policy action names of PolicyAction's alternatives, in variant order.
const std::vector<std::string> kActionNames{"pivot",      "anchor",   "salience", "climate",
                                            "join/leave", "sanction", "set"};

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr Range kPositive{0, kInf, true, false};

/// "a" or "an" before `word`.
std::string_view article(std::string_view word) {
  return word.find_first_of("aeiou") == 0 ? "an" : "a";
}

bool contains(const Keys& keys, const std::string& key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

/// A target of `kind` at (a, b) that is clipped to `range`.
InputTarget make_target(Kind kind, int a, int b, const Range& range, bool integer = false) {
  InputTarget t;
  t.kind = kind;
  t.a = a;
  t.b = b;
  t.min = range.min;
  t.max = range.max;
  t.min_exclusive = range.min_exclusive;
  t.max_exclusive = range.max_exclusive;
  t.integer = integer;
  return t;
}

Range range_of(const InputTarget& t) { return Range{t.min, t.max, t.min_exclusive, t.max_exclusive}; }

/// Whether [lo, hi] shares at least one point with `range`.
bool overlaps(double lo, double hi, const Range& range) {
  const bool above_min = range.min_exclusive ? hi > range.min : hi >= range.min;
  const bool below_max = range.max_exclusive ? lo < range.max : lo <= range.max;
  return above_min && below_max;
}

/// A path split at its dots, each component with its offset in the text, so that an error
/// about one component can point at it.
struct DottedPath {
  const Node* node = nullptr;
  Path owner;  ///< "uncertain[x].path"
  std::vector<std::string> parts;
  std::vector<std::size_t> offsets;

  std::size_t size() const { return parts.size(); }
  /// Where component i starts (the scalar's start when it spans lines).
  SourceLocation at(std::size_t i) const {
    SourceLocation where = node->where;
    if (node->text.find('\n') != std::string::npos) return where;
    where.column += static_cast<int>(offsets[i]) + (node->quoted ? 1 : 0);
    return where;
  }
};

DottedPath split(const Node& node, const Path& owner) {
  DottedPath out{&node, owner, {}, {}};
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = node.text.find('.', start);
    out.parts.push_back(node.text.substr(start, dot - start));
    out.offsets.push_back(start);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

/// Reads the items of `uncertain:` one by one; see read_uncertain.
class UncertainBuilder {
 public:
  UncertainBuilder(const ScenarioRefs& refs, Reader& r, ScenarioSpec& spec)
      : refs_(refs), r_(r), spec_(spec) {}

  void read(const Node& list);

 private:
  void read_item(const Node& item, const Path& path);
  std::optional<Distribution> read_distribution(const Node& item, const Path& path);
  const sweep::DistributionName* read_kind(const Node& item, const Path& path);
  void check_kind_keys(const Node& item, const Path& path, DistributionKind kind);
  bool read_parameters(const Node& item, const Path& path, Distribution& d);
  bool read_interval(const Node& item, const Path& path, bool required, Distribution& d);
  bool read_mode(const Node& item, const Path& path, Distribution& d);
  bool read_normal(const Node& item, const Path& path, Distribution& d);
  bool read_positive(const Node& item, const Path& path, std::string_view key, double& out);
  bool read_choice(const Node& item, const Path& path, Distribution& d);
  bool check_weights(const Node& node, const Path& path, const Distribution& d);
  std::optional<std::vector<double>> read_numbers(const Node& node, const Path& path,
                                                  const Range& range);
  std::optional<std::vector<double>> read_grid(const Node& item, const Path& path);

  std::optional<InputTarget> resolve(const Node& node, const Path& path);
  std::optional<InputTarget> resolve_param(const DottedPath& p);
  std::optional<InputTarget> resolve_agent(const DottedPath& p);
  std::optional<InputTarget> resolve_interest(const DottedPath& p, int agent);
  std::optional<InputTarget> resolve_relation(const DottedPath& p);
  std::optional<InputTarget> resolve_region(const DottedPath& p);
  std::optional<InputTarget> resolve_policy(const DottedPath& p);
  std::optional<InputTarget> resolve_policy_entry(const DottedPath& p, int policy);
  std::optional<InputTarget> resolve_event(const DottedPath& p);
  std::optional<int> find_id(const DottedPath& p, std::size_t i, std::string_view noun,
                             const std::vector<std::string>& ids);
  std::optional<int> find_item(const DottedPath& p, std::string_view list,
                               const std::vector<ScenarioRefs::Item>& items);
  bool find_field(const DottedPath& p, std::size_t i, std::string_view owner, const Keys& fields);
  bool exact(const DottedPath& p, std::size_t n, std::string_view pattern);
  bool at_least(const DottedPath& p, std::size_t n, std::string_view pattern);
  Range tick_range(std::optional<int> until) const;
  bool wrong_action(const DottedPath& p, int policy, std::size_t wanted);

  bool check_repeat(const Node& path_node, const Path& path, const InputTarget& t);
  void check_support(const Node& item, const Path& path, const UncertainInput& input);
  void link_defaults();
  bool has_input(Kind kind, int a, int b) const;

  const ScenarioRefs& refs_;
  Reader& r_;
  ScenarioSpec& spec_;
  std::vector<std::string> agent_ids_, issue_ids_, region_ids_;
  std::map<std::tuple<Kind, int, int>, int> seen_;  ///< target -> line of its first path
};

// ---------------------------------------------------------------- items

void UncertainBuilder::read(const Node& list) {
  for (const auto& agent : spec_.agents) agent_ids_.push_back(agent.id);
  for (const auto& issue : spec_.issues) issue_ids_.push_back(issue.id);
  for (const auto& region : spec_.regions) region_ids_.push_back(region.id);
  if (!r_.list(list, "uncertain")) return;
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    const Node& item = *list.items[i];
    const Node* id = item.is_map() ? item.find("id") : nullptr;
    const bool named = id && id->is_scalar() && is_identifier(id->text);
    read_item(item, item_path("uncertain", named ? id->text : std::to_string(i)));
  }
  link_defaults();
}

void UncertainBuilder::read_item(const Node& item, const Path& path) {
  if (!r_.map(item, path, kItemKeys)) return;
  UncertainInput input;
  input.where = item.where;
  if (const Node* id = item.find("id")) input.id = r_.identifier(*id, child_path(path, "id")).value_or("");
  const Node* path_node = r_.require(item, path, "path");
  const auto target = path_node ? resolve(*path_node, child_path(path, "path")) : std::nullopt;
  const auto distribution = read_distribution(item, path);
  const auto grid = read_grid(item, path);
  if (!target || !distribution || !grid) return;
  input.path = path_node->text;
  input.target = *target;
  input.distribution = *distribution;
  input.grid = *grid;
  if (!check_repeat(*path_node, path, *target)) return;
  check_support(item, path, input);
  spec_.uncertain.push_back(std::move(input));
}

std::optional<std::vector<double>> UncertainBuilder::read_grid(const Node& item, const Path& path) {
  const Node* grid = item.find("grid");
  if (!grid) return std::vector<double>{};
  const Path grid_path = child_path(path, "grid");
  auto values = read_numbers(*grid, grid_path, {});
  if (values && values->empty()) {
    r_.error(grid->where, fmt::format("{} must list at least one value", grid_path));
    return std::nullopt;
  }
  return values;
}

std::optional<std::vector<double>> UncertainBuilder::read_numbers(const Node& node,
                                                                  const Path& path,
                                                                  const Range& range) {
  if (!r_.list(node, path)) return std::nullopt;
  std::vector<double> out;
  bool complete = true;
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const auto value = r_.number(*node.items[i], item_path(path, std::to_string(i)), range);
    if (value) out.push_back(*value);
    complete = complete && value.has_value();
  }
  return complete ? std::optional(out) : std::nullopt;
}

// ---------------------------------------------------------------- distributions

std::optional<Distribution> UncertainBuilder::read_distribution(const Node& item,
                                                                const Path& path) {
  const sweep::DistributionName* name = read_kind(item, path);
  if (!name) return std::nullopt;
  check_kind_keys(item, path, name->kind);
  Distribution d;
  d.kind = name->kind;
  if (!read_parameters(item, path, d)) return std::nullopt;
  return d;
}

const sweep::DistributionName* UncertainBuilder::read_kind(const Node& item, const Path& path) {
  const Node* node = r_.require(item, path, "dist");
  const auto text = node ? r_.string(*node, child_path(path, "dist")) : std::nullopt;
  if (!text) return nullptr;
  Keys known;
  for (const auto& name : sweep::distribution_names()) {
    if (name.name == *text) return &name;
    known.emplace_back(name.name);
  }
  r_.error(node->where, fmt::format("{}.dist names unknown distribution '{}'; known: {}{}", path,
                                    *text, fmt::join(known, ", "), did_you_mean(*text, known)));
  return nullptr;
}

void UncertainBuilder::check_kind_keys(const Node& item, const Path& path, DistributionKind kind) {
  const Keys& allowed = kKindKeys[static_cast<std::size_t>(kind)];
  const std::string_view name = sweep::distribution_name(kind);
  for (const auto& entry : item.entries) {
    const std::string& key = entry.key->text;
    if (!contains(kItemKeys, key) || contains(kCommonKeys, key) || contains(allowed, key)) continue;
    r_.error(entry.key->where, fmt::format("{}.{} is not a parameter of a {} distribution ({} "
                                           "takes {})",
                                           path, key, name, name, fmt::join(allowed, ", ")));
  }
}

bool UncertainBuilder::read_parameters(const Node& item, const Path& path, Distribution& d) {
  switch (d.kind) {
    case DistributionKind::kUniform:
      return read_interval(item, path, true, d);
    case DistributionKind::kNormal:
      return read_normal(item, path, d);
    case DistributionKind::kTruncNormal: {
      const bool normal = read_normal(item, path, d);
      const bool interval = read_interval(item, path, true, d);
      return normal && interval;
    }
    case DistributionKind::kTriangular:
      return read_mode(item, path, d);
    case DistributionKind::kBeta: {
      const bool alpha = read_positive(item, path, "alpha", d.alpha);
      const bool beta = read_positive(item, path, "beta", d.beta);
      const bool interval = read_interval(item, path, false, d);
      return alpha && beta && interval;
    }
    case DistributionKind::kChoice:
      return read_choice(item, path, d);
  }
  return false;
}

/// mean (any finite number) and sd > 0.
bool UncertainBuilder::read_normal(const Node& item, const Path& path, Distribution& d) {
  const auto mean = r_.required_number(item, path, "mean", {});
  const bool sd = read_positive(item, path, "sd", d.sd);
  d.mean = mean.value_or(0);
  return mean && sd;
}

bool UncertainBuilder::read_positive(const Node& item, const Path& path, std::string_view key,
                                     double& out) {
  const auto value = r_.required_number(item, path, key, kPositive);
  if (value) out = *value;
  return value.has_value();
}

/// min and max (required, or defaulting to [0, 1] for the beta), with min < max.
bool UncertainBuilder::read_interval(const Node& item, const Path& path, bool required,
                                     Distribution& d) {
  auto read = [&](std::string_view key, double fallback) -> std::optional<double> {
    if (!required && !item.find(key)) return fallback;
    return r_.required_number(item, path, key, {});
  };
  const auto min = read("min", 0.0);
  const auto max = read("max", 1.0);
  if (!min || !max) return false;
  d.min = *min;
  d.max = *max;
  if (d.min < d.max) return true;
  const Node* at = item.find("max") ? item.find("max") : &item;
  r_.error(at->where, fmt::format("{}.max must be above min ({}), got {}{}", path, d.min, d.max,
                                  item.find("max") ? "" : " (the default)"));
  return false;
}

bool UncertainBuilder::read_mode(const Node& item, const Path& path, Distribution& d) {
  const auto mode = r_.required_number(item, path, "mode", {});
  if (!read_interval(item, path, true, d) || !mode) return false;
  d.mode = *mode;
  if (d.min <= d.mode && d.mode <= d.max) return true;
  r_.error(item.find("mode")->where, fmt::format("{}.mode must be in [min, max] = [{}, {}], got {}",
                                                 path, d.min, d.max, d.mode));
  return false;
}

bool UncertainBuilder::read_choice(const Node& item, const Path& path, Distribution& d) {
  const Node* values_node = r_.require(item, path, "values");
  const Path values_path = child_path(path, "values");
  auto values = values_node ? read_numbers(*values_node, values_path, {}) : std::nullopt;
  if (values && values->empty()) {
    r_.error(values_node->where, fmt::format("{} must list at least one value", values_path));
    values.reset();
  }
  const Node* weights_node = item.find("weights");
  const Path weights_path = child_path(path, "weights");
  auto weights = weights_node ? read_numbers(*weights_node, weights_path, kNonNegative)
                              : std::optional(std::vector<double>{});
  if (!values || !weights) return false;
  d.values = std::move(*values);
  d.weights = std::move(*weights);
  return !weights_node || check_weights(*weights_node, weights_path, d);
}

bool UncertainBuilder::check_weights(const Node& node, const Path& path, const Distribution& d) {
  if (d.weights.size() != d.values.size()) {
    r_.error(node.where, fmt::format("{} has {} entries for {} values; give one weight per value",
                                     path, d.weights.size(), d.values.size()));
    return false;
  }
  double sum = 0;
  for (double w : d.weights) sum += w;
  if (sum > 0) return true;
  r_.error(node.where, fmt::format("{} must have a positive sum; every weight is 0", path));
  return false;
}

// ---------------------------------------------------------------- paths

std::optional<InputTarget> UncertainBuilder::resolve(const Node& node, const Path& path) {
  const auto text = r_.string(node, path);
  if (!text) return std::nullopt;
  const DottedPath p = split(node, path);
  if (std::any_of(p.parts.begin(), p.parts.end(), [](const std::string& s) { return s.empty(); })) {
    r_.error(node.where, fmt::format("{} '{}' is not a dotted path like params.coop_threshold",
                                     path, *text));
    return std::nullopt;
  }
  const std::string& section = p.parts[0];
  if (section == "params") return resolve_param(p);
  if (section == "agents") return resolve_agent(p);
  if (section == "relations") return resolve_relation(p);
  if (section == "regions") return resolve_region(p);
  if (section == "policies") return resolve_policy(p);
  if (section == "events") return resolve_event(p);
  r_.error(p.at(0), fmt::format("{} starts with unknown section '{}'; known: {}{}", path, section,
                                fmt::join(kSections, ", "), did_you_mean(section, kSections)));
  return std::nullopt;
}

/// Whether the path has exactly n components; reports a short or long path otherwise.
bool UncertainBuilder::exact(const DottedPath& p, std::size_t n, std::string_view pattern) {
  if (p.size() == n) return true;
  if (p.size() < n) {
    r_.error(p.node->where, fmt::format("{} '{}' is incomplete; expected {}", p.owner,
                                        p.node->text, pattern));
  } else {
    r_.error(p.at(n), fmt::format("{} '{}' has an extra component '{}'; expected {}", p.owner,
                                  p.node->text, p.parts[n], pattern));
  }
  return false;
}

/// Whether the path has at least n components (more are checked once the field is known).
bool UncertainBuilder::at_least(const DottedPath& p, std::size_t n, std::string_view pattern) {
  return p.size() >= n || exact(p, n, pattern);
}

std::optional<int> UncertainBuilder::find_id(const DottedPath& p, std::size_t i,
                                             std::string_view noun,
                                             const std::vector<std::string>& ids) {
  const auto found = std::find(ids.begin(), ids.end(), p.parts[i]);
  if (found != ids.end()) return static_cast<int>(found - ids.begin());
  r_.error(p.at(i), fmt::format("{} names unknown {} '{}'{}", p.owner, noun, p.parts[i],
                                did_you_mean(p.parts[i], ids)));
  return std::nullopt;
}

bool UncertainBuilder::find_field(const DottedPath& p, std::size_t i, std::string_view owner,
                                  const Keys& fields) {
  if (contains(fields, p.parts[i])) return true;
  r_.error(p.at(i), fmt::format("{} names unknown {} field '{}'; known: {}{}", p.owner, owner,
                                p.parts[i], fmt::join(fields, ", "),
                                did_you_mean(p.parts[i], fields)));
  return false;
}

std::optional<InputTarget> UncertainBuilder::resolve_param(const DottedPath& p) {
  if (!exact(p, 2, "params.<key>")) return std::nullopt;
  Keys keys;
  for (const auto& info : param_table()) keys.emplace_back(info.key);
  const auto index = find_id(p, 1, "parameter", keys);
  if (!index) return std::nullopt;
  const ParamInfo& info = param_table()[static_cast<std::size_t>(*index)];
  return make_target(Kind::kParam, *index, 0, Range{info.min, info.max, false, info.max_exclusive});
}

std::optional<InputTarget> UncertainBuilder::resolve_agent(const DottedPath& p) {
  if (!at_least(p, 3, "agents.<agent>.<field>")) return std::nullopt;
  const auto agent = find_id(p, 1, "agent", agent_ids_);
  if (!agent || !find_field(p, 2, "agent", kAgentFields)) return std::nullopt;
  const std::string& field = p.parts[2];
  if (field == "interests") return resolve_interest(p, *agent);
  if (!exact(p, 3, "agents.<agent>.<field>")) return std::nullopt;
  if (field == "capability") return make_target(Kind::kCapability, *agent, 0, kPositive);
  if (field == "susceptibility") {
    return make_target(Kind::kSusceptibility, *agent, 0, Range{0, 1, false, true});
  }
  if (field == "growth") return make_target(Kind::kGrowth, *agent, 0, Range{-1, kInf, true, false});
  return make_target(Kind::kCapital, *agent, 0, kNonNegative);
}

std::optional<InputTarget> UncertainBuilder::resolve_interest(const DottedPath& p, int agent) {
  if (!exact(p, 5, "agents.<agent>.interests.<issue>.<position|anchor|salience>")) {
    return std::nullopt;
  }
  const auto issue = find_id(p, 3, "issue", issue_ids_);
  if (!issue || !find_field(p, 4, "interest", kInterestFields)) return std::nullopt;
  const std::string& field = p.parts[4];
  const Kind kind = field == "position" ? Kind::kPosition
                    : field == "anchor" ? Kind::kAnchor
                                        : Kind::kSalience;
  return make_target(kind, agent, *issue, kUnit);
}

std::optional<InputTarget> UncertainBuilder::resolve_relation(const DottedPath& p) {
  if (!exact(p, 4, "relations.<from>.<to>.<affinity|initial_affinity|trade>")) return std::nullopt;
  const auto from = find_id(p, 1, "agent", agent_ids_);
  const auto to = find_id(p, 2, "agent", agent_ids_);
  if (!from || !to || !find_field(p, 3, "relation", kRelationFields)) return std::nullopt;
  if (*from == *to) {
    r_.error(p.at(2), fmt::format("{} names {} twice; a dyad needs two different agents", p.owner,
                                  p.parts[1]));
    return std::nullopt;
  }
  const std::string& field = p.parts[3];
  if (field == "trade") return make_target(Kind::kTrade, *from, *to, kNonNegative);
  const Kind kind = field == "affinity" ? Kind::kAffinity : Kind::kInitialAffinity;
  return make_target(kind, *from, *to, kSigned);
}

std::optional<InputTarget> UncertainBuilder::resolve_region(const DottedPath& p) {
  if (!exact(p, 3, "regions.<region>.climate")) return std::nullopt;
  const auto region = find_id(p, 1, "region", region_ids_);
  if (!region || !find_field(p, 2, "region", kRegionFields)) return std::nullopt;
  return make_target(Kind::kClimate, *region, 0, kUnit);
}

/// The spec index of the policy or event named by component 1. Items are addressed by their
/// `id`; an index is refused with a hint, and an invalid item (already reported) silently.
std::optional<int> UncertainBuilder::find_item(const DottedPath& p, std::string_view list,
                                               const std::vector<ScenarioRefs::Item>& items) {
  const std::string& name = p.parts[1];
  Keys ids;
  for (const auto& item : items) {
    if (item.id == name) return item.index;
    if (!item.id.empty()) ids.push_back(item.id);
  }
  const bool digits = std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
  const std::string_view noun = list == "policies" ? "policy" : "event";
  if (digits && name.size() < 6 && std::stoul(name) < items.size()) {
    const std::string& id = items[std::stoul(name)].id;
    const std::string hint = id.empty() ? fmt::format(", and this {} has none: give it an `id`", noun)
                                        : fmt::format(": write '{}' instead of {}", id, name);
    r_.error(p.at(1), fmt::format("{} addresses {}[{}] by position; {} are addressed by id{}",
                                  p.owner, list, name, list, hint));
  } else {
    r_.error(p.at(1), fmt::format("{} names unknown {} '{}'{}{}", p.owner, noun, name,
                                  did_you_mean(name, ids),
                                  ids.empty() ? fmt::format("; no {} has an id", noun) : ""));
  }
  return std::nullopt;
}

Range UncertainBuilder::tick_range(std::optional<int> until) const {
  if (!refs_.ticks_known) return Range{0, kInf};
  double last = spec_.run.ticks - 1;
  if (until) last = std::min(last, *until - 1.0);  // a sanction must start before it ends
  return Range{0, last};
}

std::optional<InputTarget> UncertainBuilder::resolve_policy(const DottedPath& p) {
  if (!at_least(p, 3, "policies.<id>.<field>")) return std::nullopt;
  const auto policy = find_item(p, "policies", refs_.policies);
  if (!policy || !find_field(p, 2, "policy", kPolicyFields)) return std::nullopt;
  const std::string& field = p.parts[2];
  if (field == "pivot" || field == "anchor" || field == "salience") {
    return resolve_policy_entry(p, *policy);
  }
  if (!exact(p, 3, "policies.<id>.<field>")) return std::nullopt;
  const PolicyAction& action = spec_.policies[static_cast<std::size_t>(*policy)].action;
  if (field == "at") {
    const auto* sanction = std::get_if<SanctionPolicy>(&action);
    const Range range = tick_range(sanction ? sanction->until : std::nullopt);
    return make_target(Kind::kPolicyAt, *policy, 0, range, true);
  }
  if (field == "climate") {
    if (wrong_action(p, *policy, 3)) return std::nullopt;
    return make_target(Kind::kPolicyClimate, *policy, 0, kUnit);
  }
  if (wrong_action(p, *policy, 5)) return std::nullopt;
  return make_target(Kind::kTradeFactor, *policy, 0, kNonNegative);
}

/// Reports a field on a policy of another kind (`wanted` is the PolicyAction index).
bool UncertainBuilder::wrong_action(const DottedPath& p, int policy, std::size_t wanted) {
  const std::size_t actual = spec_.policies[static_cast<std::size_t>(policy)].action.index();
  if (actual == wanted) return false;
  r_.error(p.at(2), fmt::format("{} names {} of policy '{}', which is {} {} policy, not {} {} "
                                "policy",
                                p.owner, p.parts[2], p.parts[1], article(kActionNames[actual]),
                                kActionNames[actual], article(kActionNames[wanted]),
                                kActionNames[wanted]));
  return true;
}

/// Finds the entry of a pivot, anchor or salience policy that a path's last component names.
template <typename Pairs>
std::optional<int> entry_of(const Pairs& pairs, int index) {
  for (std::size_t e = 0; e < pairs.size(); ++e) {
    if (pairs[e].first == index) return static_cast<int>(e);
  }
  return std::nullopt;
}

std::optional<InputTarget> UncertainBuilder::resolve_policy_entry(const DottedPath& p, int policy) {
  const std::string& field = p.parts[2];
  const bool pivot = field == "pivot";
  if (!exact(p, 4, fmt::format("policies.<id>.{}.<{}>", field, pivot ? "agent" : "issue"))) {
    return std::nullopt;
  }
  const std::size_t wanted = pivot ? 0 : field == "anchor" ? 1 : 2;
  if (wrong_action(p, policy, wanted)) return std::nullopt;
  const auto index = find_id(p, 3, pivot ? "agent" : "issue", pivot ? agent_ids_ : issue_ids_);
  if (!index) return std::nullopt;
  const PolicyAction& action = spec_.policies[static_cast<std::size_t>(policy)].action;
  std::optional<int> entry;
  if (const auto* a = std::get_if<PivotPolicy>(&action)) entry = entry_of(a->shares, *index);
  if (const auto* a = std::get_if<AnchorPolicy>(&action)) entry = entry_of(a->anchors, *index);
  if (const auto* a = std::get_if<SaliencePolicy>(&action)) entry = entry_of(a->saliences, *index);
  if (!entry) {
    r_.error(p.at(3), fmt::format("{}: policy '{}' sets no {} for {}; only the values a policy "
                                  "sets can be sampled",
                                  p.owner, p.parts[1], field, p.parts[3]));
    return std::nullopt;
  }
  const Kind kind = pivot ? Kind::kPivotShare : wanted == 1 ? Kind::kPolicyAnchor : Kind::kPolicySalience;
  return make_target(kind, policy, *entry, kUnit);
}

std::optional<InputTarget> UncertainBuilder::resolve_event(const DottedPath& p) {
  if (!at_least(p, 3, "events.<id>.<at|hazard>")) return std::nullopt;
  const auto event = find_item(p, "events", refs_.events);
  if (!event || !find_field(p, 2, "event", kEventFields) || !exact(p, 3, "events.<id>.<at|hazard>")) {
    return std::nullopt;
  }
  const bool scheduled = spec_.events[static_cast<std::size_t>(*event)].at.has_value();
  const bool wants_at = p.parts[2] == "at";
  if (scheduled != wants_at) {
    r_.error(p.at(2), fmt::format("{}: event '{}' is {}, so it has no {}", p.owner, p.parts[1],
                                  scheduled ? "scheduled (at)" : "a hazard event", p.parts[2]));
    return std::nullopt;
  }
  if (wants_at) return make_target(Kind::kEventAt, *event, 0, tick_range(std::nullopt), true);
  return make_target(Kind::kHazard, *event, 0, kUnit);
}

// ---------------------------------------------------------------- checks across items

bool UncertainBuilder::check_repeat(const Node& path_node, const Path& path, const InputTarget& t) {
  const auto [first, inserted] = seen_.emplace(std::tuple{t.kind, t.a, t.b}, path_node.where.line);
  if (inserted) return true;
  r_.error(path_node.where, fmt::format("{}.path repeats {} (first at line {}); give each path "
                                        "once",
                                        path, path_node.text, first->second));
  return false;
}

/// Reports a distribution (or grid) whose values all lie outside the path's valid range:
/// every sample would be clipped to the same bound, which is surely a mistake.
void UncertainBuilder::check_support(const Node& item, const Path& path, const UncertainInput& input) {
  const Range range = range_of(input.target);
  const Distribution& d = input.distribution;
  const std::string where = fmt::format("the valid range of {}, which must be {}", input.path,
                                        range.describe());
  auto all_outside = [&](const std::vector<double>& values) {
    return std::none_of(values.begin(), values.end(), [&](double v) { return range.contains(v); });
  };
  if (d.kind == DistributionKind::kChoice && all_outside(d.values)) {
    r_.error(item.find("values")->where, fmt::format("{}: every choice value lies outside {}", path, where));
  } else if (const auto s = sweep::support(d); s && d.kind != DistributionKind::kChoice &&
                                                 !overlaps(s->first, s->second, range)) {
    r_.error(item.find("dist")->where,
             fmt::format("{}: the {} distribution on [{}, {}] lies entirely outside {}", path,
                         sweep::distribution_name(d.kind), s->first, s->second, where));
  }
  if (!input.grid.empty() && all_outside(input.grid)) {
    r_.error(item.find("grid")->where, fmt::format("{}: every grid value lies outside {}", path, where));
  }
}

bool UncertainBuilder::has_input(Kind kind, int a, int b) const {
  return seen_.count(std::tuple{kind, a, b}) > 0;
}

/// A sampled A0_IJ also sets A_IJ(0), and a sampled position the anchor, when the scenario
/// lets those default to it (neither given in the file nor sampled themselves).
void UncertainBuilder::link_defaults() {
  const auto n = spec_.agents.size();
  const auto k = spec_.issues.size();
  for (auto& input : spec_.uncertain) {
    InputTarget& t = input.target;
    const auto a = static_cast<std::size_t>(t.a);
    const auto b = static_cast<std::size_t>(t.b);
    if (t.kind == Kind::kAffinity) {
      t.also_initial = !refs_.initial_given[a * n + b] && !has_input(Kind::kInitialAffinity, t.a, t.b);
    } else if (t.kind == Kind::kPosition) {
      t.also_initial = !refs_.anchor_given[a * k + b] && !has_input(Kind::kAnchor, t.a, t.b);
    }
  }
}

}  // namespace

void read_uncertain(const Node& list, const ScenarioRefs& refs, Reader& reader, ScenarioSpec& spec) {
  UncertainBuilder(refs, reader, spec).read(list);
}

}  // namespace geosim::scenario
