#include "scenario/spec_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "scenario/reader.h"
#include "scenario/uncertain_builder.h"

namespace geosim::scenario {
namespace {

using Keys = std::vector<std::string>;

// Keys starting with "x-" are accepted and ignored in every map with fixed keys (see
// Reader::map), so that researchers can keep metadata such as `x-sources:` in a scenario.
const Keys kTopKeys{"extends",  "name",         "description", "run",    "issues",
                    "agents",   "relations",    "institutions", "regions", "params",
                    "rules",    "policies",     "events",      "track",  "uncertain"};
const Keys kRunKeys{"ticks", "record_every", "mode", "seed", "start"};
const Keys kIssueKeys{"id", "name", "low", "high"};
const Keys kAgentKeys{"id", "name", "capability", "susceptibility", "growth", "capital", "interests"};
const Keys kInterestKeys{"position", "anchor", "salience"};
const Keys kRelationKeys{"between", "from", "to", "affinity", "initial_affinity", "trade"};
const Keys kInstitutionKeys{"id", "name", "members"};
const Keys kRegionKeys{"id", "name", "host", "climate", "stock"};
const Keys kRuleSlots{"engagement", "cooperation", "affinity", "influence", "economy"};
const Keys kPolicyKeys{"at",     "id",       "note",     "agent",   "region",
                       "institution", "pivot", "anchor", "salience", "climate",
                       "join",   "leave",    "sanction", "set"};
const Keys kSanctionKeys{"from", "to", "trade_factor", "until"};
const Keys kEventKeys{"id", "note", "at", "hazard", "max_times", "effects"};
const Keys kEffectKeys{"dyad", "affinity", "directed", "agent", "issue", "position", "anchor", "salience"};
const Keys kTrackKeys{"dyads", "agents"};

constexpr double kInf = std::numeric_limits<double>::infinity();
/// Sums of shares are compared with this slack, so that 0.1 + 0.2 + 0.7 counts as 1.
constexpr double kSumTolerance = 1e-6;

/// A number formatted for messages about computed values (sums), without float noise.
std::string num(double value) { return fmt::format("{:.10g}", value); }

/// The label of a list item in paths: its id when it has a usable one, else its index.
std::string label(const Node& item, std::size_t index) {
  const Node* id = item.is_map() ? item.find("id") : nullptr;
  if (id && id->is_scalar() && is_identifier(id->text)) return id->text;
  return std::to_string(index);
}

/// Ids of one kind of entity (agents, issues, ...) in scenario order.
class IdTable {
 public:
  explicit IdTable(std::string kind) : kind_(std::move(kind)) {}

  /// Registers `id`; a second registration is ignored (duplicates are reported per file).
  void add(const std::string& id, const Node* item, const Path& path) {
    if (index_.emplace(id, static_cast<int>(ids_.size())).second) {
      ids_.push_back(id);
      items_.push_back(item);
      paths_.push_back(path);
    }
  }
  std::optional<int> find(const std::string& id) const {
    const auto found = index_.find(id);
    return found == index_.end() ? std::nullopt : std::optional<int>(found->second);
  }
  const std::vector<std::string>& ids() const { return ids_; }
  const std::vector<const Node*>& items() const { return items_; }
  /// Where each item is in messages, e.g. "agents[RUS]".
  const std::vector<Path>& paths() const { return paths_; }
  const std::string& kind() const { return kind_; }
  int size() const { return static_cast<int>(ids_.size()); }

 private:
  std::string kind_;
  std::vector<std::string> ids_;
  std::vector<const Node*> items_;
  std::vector<Path> paths_;
  std::unordered_map<std::string, int> index_;
};

/// One entry of an id-keyed map such as `pivot: {CHN: 0.5}`.
struct IdValue {
  int index;
  double value;
  const Node* key;
};

/// One kind of policy action: the keys that select it and the subject key it needs.
struct ActionKind {
  std::string_view name;
  std::vector<std::string_view> keys;
  std::string_view subject;  ///< "agent", "region", "institution" or empty
};
const std::vector<ActionKind> kActions{
    {"pivot", {"pivot"}, "agent"},       {"anchor", {"anchor"}, "agent"},
    {"salience", {"salience"}, "agent"}, {"climate", {"climate"}, "region"},
    {"join/leave", {"join", "leave"}, "institution"},
    {"sanction", {"sanction"}, ""},      {"set", {"set"}, ""}};

/// Whether `text` is a calendar quarter such as "2013Q1".
bool is_quarter_label(std::string_view text) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return text.size() == 6 && std::all_of(text.begin(), text.begin() + 4, digit) &&
         text[4] == 'Q' && text[5] >= '1' && text[5] <= '4';
}

bool uses_any(const Node& item, const ActionKind& kind) {
  return std::any_of(kind.keys.begin(), kind.keys.end(),
                     [&](std::string_view key) { return item.find(key) != nullptr; });
}

/// Walks the merged tree section by section, filling the spec and reporting problems.
class SpecBuilder {
 public:
  SpecBuilder(const Node& root, const LoadOptions& options, Diagnostics& diags)
      : root_(root), options_(options), r_(diags) {}

  ScenarioSpec build();

 private:
  void read_top_strings();
  void read_run(const Node& node);
  void collect_ids(std::string_view key, IdTable& table, std::size_t minimum,
                   std::string_view noun);
  void read_issue(const Node& item, const Path& path);
  void read_agent(const Node& item, const Path& path);
  void read_interests(const Entry& entry, const Path& agent_path, AgentSpec& agent);
  std::optional<InterestSpec> read_interest(const Node& node, const Path& path);
  void check_salience_sum(const Entry& entry, const Path& agent_path, double sum);
  void read_relations();
  void read_relation(const Node& item, const Path& path, std::vector<char>& initial_set);
  std::optional<std::pair<int, int>> read_directed(const Node& item, const Path& path);
  void read_institution(const Node& item, const Path& path);
  void read_region(const Node& item, const Path& path);
  void read_params(const Node& node, const Path& path,
                   std::vector<std::pair<std::string, double>>& values);
  void read_rules(const Node& node);
  void read_policies(const Node& node);
  std::optional<PolicyAction> read_action(const Node& item, const Path& path, int at);
  const ActionKind* policy_kind(const Node& item, const Path& path);
  std::optional<PolicyAction> read_pivot(const Node& item, const Path& path);
  void check_pivot_sum(const Node& node, const Path& path, int agent,
                       const std::vector<IdValue>& shares);
  std::optional<PolicyAction> read_interest_policy(const Node& item, const Path& path,
                                                   std::string_view key);
  std::optional<PolicyAction> read_climate(const Node& item, const Path& path);
  std::optional<PolicyAction> read_membership(const Node& item, const Path& path);
  std::optional<PolicyAction> read_sanction(const Node& node, const Path& path, int at);
  void read_events(const Node& node);
  void read_event(const Node& item, const Path& path);
  std::optional<Effect> read_effect(const Node& node, const Path& path);
  std::optional<Effect> read_affinity_effect(const Node& node, const Path& path);
  std::optional<Effect> read_interest_effect(const Node& node, const Path& path);
  void read_track(const Node& node);

  std::optional<int> resolve(const IdTable& table, const Node& node, const Path& path);
  std::vector<int> resolve_list(const IdTable& table, const Node& node, const Path& path);
  std::vector<IdValue> read_id_map(const IdTable& table, const Node& node, const Path& path,
                                   const Range& range, bool& complete);
  std::optional<std::pair<int, int>> read_pair(const Node& node, const Path& path);
  std::optional<int> read_tick(const Node& node, const Path& path);
  void optional_string(const Node& map, const Path& path, std::string_view key,
                       std::string& out);
  /// Runs `read(item, path)` for every item of the list under top-level key `key`.
  template <typename Read>
  void for_each_item(const Node& list, std::string_view key, Read read);

  const Node& root_;
  const LoadOptions& options_;
  Reader r_;
  ScenarioSpec spec_;
  IdTable issues_{"issue"};
  IdTable agents_{"agent"};
  IdTable institutions_{"institution"};
  IdTable regions_{"region"};
  bool ticks_known_ = true;  ///< false when run.ticks is invalid: ticks are then not range-checked
  ScenarioRefs refs_;        ///< what the `uncertain:` section needs from the other sections
};

/// The id of a list item as written ("" when it has no scalar id).
std::string id_of(const Node& item) {
  const Node* id = item.is_map() ? item.find("id") : nullptr;
  return id && id->is_scalar() ? id->text : std::string();
}

// ---------------------------------------------------------------- shared readers

std::optional<int> SpecBuilder::resolve(const IdTable& table, const Node& node,
                                        const Path& path) {
  const auto text = r_.string(node, path);
  if (!text) return std::nullopt;
  if (auto index = table.find(*text)) return index;
  r_.error(node.where, fmt::format("{} names unknown {} '{}'{}", path, table.kind(), *text,
                                   did_you_mean(*text, table.ids())));
  return std::nullopt;
}

std::vector<int> SpecBuilder::resolve_list(const IdTable& table, const Node& node,
                                           const Path& path) {
  std::vector<int> out;
  if (!r_.list(node, path)) return out;
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const Node& item = *node.items[i];
    const Path item_at = item_path(path, std::to_string(i));
    const auto index = resolve(table, item, item_at);
    if (!index) continue;
    if (std::find(out.begin(), out.end(), *index) != out.end()) {
      r_.error(item.where, fmt::format("{} repeats {} '{}'", item_at, table.kind(), item.text));
      continue;
    }
    out.push_back(*index);
  }
  return out;
}

std::vector<IdValue> SpecBuilder::read_id_map(const IdTable& table, const Node& node,
                                              const Path& path, const Range& range,
                                              bool& complete) {
  std::vector<IdValue> out;
  complete = r_.any_map(node, path);
  if (!complete) return out;
  for (const auto& entry : node.entries) {
    const auto index = resolve(table, *entry.key, path);
    const auto value = r_.number(*entry.value, child_path(path, entry.key->text), range);
    if (index && value) {
      out.push_back(IdValue{*index, *value, entry.key.get()});
    } else {
      complete = false;
    }
  }
  return out;
}

std::optional<std::pair<int, int>> SpecBuilder::read_pair(const Node& node, const Path& path) {
  if (!node.is_list() || node.items.size() != 2) {
    const std::string got = node.is_list() ? fmt::format("a list of {} items", node.items.size())
                                           : describe(node);
    r_.error(node.where, fmt::format("{}: expected a pair of agent ids [A, B], got {}", path, got));
    return std::nullopt;
  }
  const auto a = resolve(agents_, *node.items[0], item_path(path, "0"));
  const auto b = resolve(agents_, *node.items[1], item_path(path, "1"));
  if (!a || !b) return std::nullopt;
  if (*a == *b) {
    r_.error(node.where, fmt::format("{} names {} twice; a dyad needs two different agents", path,
                                     agents_.ids()[*a]));
    return std::nullopt;
  }
  return std::pair{*a, *b};
}

std::optional<int> SpecBuilder::read_tick(const Node& node, const Path& path) {
  if (!ticks_known_) return r_.int_value(node, path, 0);
  const auto tick = r_.integer(node, path, std::numeric_limits<long long>::min(),
                               std::numeric_limits<long long>::max());
  if (!tick) return std::nullopt;
  const int ticks = spec_.run.ticks;
  if (*tick < 0 || *tick >= ticks) {
    r_.error(node.where, fmt::format("{} must be in [0, {}] (run.ticks is {}), got {}", path,
                                     ticks - 1, ticks, node.text));
    return std::nullopt;
  }
  return static_cast<int>(*tick);
}

void SpecBuilder::optional_string(const Node& map, const Path& path, std::string_view key,
                                  std::string& out) {
  const Node* node = map.find(key);
  if (!node) return;
  if (auto text = r_.string(*node, child_path(path, key))) out = *text;
}

template <typename Read>
void SpecBuilder::for_each_item(const Node& list, std::string_view key, Read read) {
  if (!r_.list(list, Path(key))) return;
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    const Node& item = *list.items[i];
    read(item, item_path(Path(key), label(item, i)));
  }
}

// ---------------------------------------------------------------- top level and run

ScenarioSpec SpecBuilder::build() {
  if (!root_.is_map()) {
    r_.error(root_.where, "the top level of a scenario must be a map of keys, got " +
                              describe(root_));
    return spec_;
  }
  r_.map(root_, "", kTopKeys);
  if (const Node* extends = root_.find("extends")) r_.string(*extends, "extends");
  read_top_strings();
  if (const Node* run = root_.find("run")) read_run(*run);
  collect_ids("issues", issues_, 1, "issue");
  collect_ids("agents", agents_, 2, "agents");
  collect_ids("institutions", institutions_, 0, "");
  collect_ids("regions", regions_, 0, "");
  for (int i = 0; i < issues_.size(); ++i) read_issue(*issues_.items()[i], issues_.paths()[i]);
  refs_.anchor_given.assign(static_cast<std::size_t>(agents_.size() * issues_.size()), 0);
  for (int i = 0; i < agents_.size(); ++i) read_agent(*agents_.items()[i], agents_.paths()[i]);
  read_relations();
  for (int i = 0; i < institutions_.size(); ++i) {
    read_institution(*institutions_.items()[i], institutions_.paths()[i]);
  }
  for (int i = 0; i < regions_.size(); ++i) read_region(*regions_.items()[i], regions_.paths()[i]);
  if (const Node* params = root_.find("params")) {
    std::vector<std::pair<std::string, double>> values;
    read_params(*params, "params", values);
    for (const auto& [key, value] : values) spec_.params.*(find_param(key)->field) = value;
  }
  if (const Node* rules = root_.find("rules")) read_rules(*rules);
  if (const Node* policies = root_.find("policies")) read_policies(*policies);
  if (const Node* events = root_.find("events")) read_events(*events);
  if (const Node* track = root_.find("track")) read_track(*track);
  refs_.ticks_known = ticks_known_;
  if (const Node* uncertain = root_.find("uncertain")) read_uncertain(*uncertain, refs_, r_, spec_);
  return std::move(spec_);
}

void SpecBuilder::read_top_strings() {
  optional_string(root_, "", "name", spec_.name);
  optional_string(root_, "", "description", spec_.description);
}

void SpecBuilder::read_run(const Node& node) {
  if (!r_.map(node, "run", kRunKeys)) {
    ticks_known_ = false;
    return;
  }
  RunSettings& run = spec_.run;
  if (const Node* ticks = node.find("ticks")) {
    const auto value = r_.int_value(*ticks, "run.ticks", 1);
    ticks_known_ = value.has_value();
    if (value) run.ticks = *value;
  }
  if (const Node* every = node.find("record_every")) {
    if (auto value = r_.int_value(*every, "run.record_every", 1)) run.record_every = *value;
  }
  if (const Node* seed = node.find("seed")) {
    if (auto value = r_.unsigned64(*seed, "run.seed")) run.seed = *value;
  }
  if (const Node* mode = node.find("mode")) {
    const auto text = r_.string(*mode, "run.mode");
    if (text == "expected" || text == "stochastic") {
      run.mode = text == "expected" ? Mode::kExpected : Mode::kStochastic;
    } else if (text) {
      const Keys modes{"expected", "stochastic"};
      r_.error(mode->where, fmt::format("run.mode must be expected or stochastic, got {}{}",
                                        describe(*mode), did_you_mean(*text, modes)));
    }
  }
  if (const Node* start = node.find("start")) {
    const auto text = r_.string(*start, "run.start");
    if (text && is_quarter_label(*text)) {
      run.start = *text;
    } else if (text) {
      r_.error(start->where, fmt::format("run.start must be a year and quarter like 2013Q1, "
                                         "got {}", describe(*start)));
    }
  }
}

// ---------------------------------------------------------------- issues and agents

void SpecBuilder::collect_ids(std::string_view key, IdTable& table, std::size_t minimum,
                              std::string_view noun) {
  const Node* list = minimum > 0 ? r_.require(root_, "", key) : root_.find(key);
  if (!list || !r_.list(*list, Path(key))) return;
  for_each_item(*list, key, [&](const Node& item, const Path& path) {
    if (!r_.any_map(item, path)) return;
    const Node* id = r_.require(item, path, "id");
    if (!id) return;
    // A malformed id is reported here, but still registered so that the references to it
    // do not each report an unknown id as well.
    r_.identifier(*id, child_path(path, "id"));
    if (id->is_scalar()) table.add(id->text, &item, path);
  });
  if (list->items.size() < minimum) {
    r_.error(list->where, fmt::format("a scenario needs at least {} {}, got {}", minimum, noun,
                                      list->items.size()));
  }
}

void SpecBuilder::read_issue(const Node& item, const Path& path) {
  r_.map(item, path, kIssueKeys);
  IssueSpec issue;
  issue.id = item.find("id")->text;
  issue.name = issue.id;
  optional_string(item, path, "name", issue.name);
  optional_string(item, path, "low", issue.low);
  optional_string(item, path, "high", issue.high);
  spec_.issues.push_back(std::move(issue));
}

void SpecBuilder::read_agent(const Node& item, const Path& path) {
  r_.map(item, path, kAgentKeys);
  AgentSpec agent;
  agent.id = item.find("id")->text;
  agent.name = agent.id;
  optional_string(item, path, "name", agent.name);
  if (auto c = r_.required_number(item, path, "capability", Range{0, kInf, true, false})) {
    agent.capability = *c;
  }
  if (auto lam = r_.optional_number(item, path, "susceptibility", Range{0, 1, false, true})) {
    agent.susceptibility = *lam;
  }
  if (auto g = r_.optional_number(item, path, "growth", Range{-1, kInf, true, false})) {
    agent.growth = *g;
  }
  agent.capital = r_.optional_number(item, path, "capital", kNonNegative);
  agent.interests.assign(static_cast<std::size_t>(issues_.size()), InterestSpec{});
  if (const Entry* interests = item.find_entry("interests")) {
    read_interests(*interests, path, agent);
  } else {
    r_.require(item, path, "interests");
  }
  spec_.agents.push_back(std::move(agent));
}

void SpecBuilder::read_interests(const Entry& entry, const Path& agent_path, AgentSpec& agent) {
  const Path path = child_path(agent_path, "interests");
  if (!r_.any_map(*entry.value, path)) return;
  std::vector<char> present(agent.interests.size(), 0);
  bool complete = true;
  double sum = 0;
  for (const auto& item : entry.value->entries) {
    const auto issue = resolve(issues_, *item.key, path);
    const auto interest = read_interest(*item.value, child_path(path, item.key->text));
    if (!issue || !interest) complete = false;
    if (issue) present[static_cast<std::size_t>(*issue)] = 1;
    if (!issue || !interest) continue;
    agent.interests[static_cast<std::size_t>(*issue)] = *interest;
    if (item.value->find("anchor")) {
      refs_.anchor_given[spec_.agents.size() * present.size() + static_cast<std::size_t>(*issue)] = 1;
    }
    sum += interest->salience;
  }
  for (std::size_t i = 0; i < present.size(); ++i) {
    if (present[i]) continue;
    complete = false;
    r_.error(entry.key->where, fmt::format("{} is missing issue '{}'", path, issues_.ids()[i]));
  }
  if (complete && !present.empty()) check_salience_sum(entry, agent_path, sum);
}

std::optional<InterestSpec> SpecBuilder::read_interest(const Node& node, const Path& path) {
  if (!r_.map(node, path, kInterestKeys)) return std::nullopt;
  const auto position = r_.required_number(node, path, "position", kUnit);
  const auto salience = r_.required_number(node, path, "salience", kUnit);
  const Node* anchor_node = node.find("anchor");
  const auto anchor = anchor_node ? r_.number(*anchor_node, child_path(path, "anchor"), kUnit)
                                  : position;
  if (!position || !salience || !anchor) return std::nullopt;
  return InterestSpec{*position, *anchor, *salience};
}

void SpecBuilder::check_salience_sum(const Entry& entry, const Path& agent_path, double sum) {
  const double gap = sum - 1;
  if (std::abs(gap) <= kSumTolerance) return;
  r_.error(entry.key->where,
           fmt::format("{} saliences sum to {} ({} {} 1); they must sum to 1", agent_path,
                       num(sum), num(std::abs(gap)), gap < 0 ? "below" : "above"));
}

// ---------------------------------------------------------------- relations

void SpecBuilder::read_relations() {
  const auto n = static_cast<std::size_t>(agents_.size());
  spec_.affinity0.assign(n * n, 0.0);
  spec_.initial_affinity.assign(n * n, 0.0);
  spec_.trade.assign(n * n, 0.0);
  std::vector<char>& initial_set = refs_.initial_given;
  initial_set.assign(n * n, 0);
  if (const Node* list = root_.find("relations")) {
    for_each_item(*list, "relations", [&](const Node& item, const Path& path) {
      read_relation(item, path, initial_set);
    });
  }
  for (std::size_t k = 0; k < n * n; ++k) {
    if (!initial_set[k]) spec_.initial_affinity[k] = spec_.affinity0[k];
  }
}

void SpecBuilder::read_relation(const Node& item, const Path& path,
                                std::vector<char>& initial_set) {
  if (!r_.map(item, path, kRelationKeys)) return;
  const auto affinity = r_.optional_number(item, path, "affinity", kSigned);
  const auto initial = r_.optional_number(item, path, "initial_affinity", kSigned);
  const auto trade = r_.optional_number(item, path, "trade", kNonNegative);
  const Node* between = item.find("between");
  const bool directed = item.find("from") || item.find("to");
  if (between && directed) {
    r_.error(item.where, fmt::format("{} gives both between and from/to; use one of them", path));
    return;
  }
  if (!between && !directed) {
    r_.error(item.where, fmt::format("{} needs between: [A, B] or from: A, to: B", path));
    return;
  }
  const Entry* trade_entry = item.find_entry("trade");
  if (directed && trade_entry) {
    r_.error(trade_entry->key->where,
             fmt::format("{}.trade is not allowed on a directed relation (trade is symmetric; "
                         "use between)", path));
  }
  const auto dyad = between ? read_pair(*between, child_path(path, "between"))
                            : read_directed(item, path);
  if (!dyad) return;
  const auto n = static_cast<std::size_t>(agents_.size());
  auto set = [&](int i, int j) {
    const std::size_t k = static_cast<std::size_t>(i) * n + static_cast<std::size_t>(j);
    if (affinity) spec_.affinity0[k] = *affinity;
    if (initial) spec_.initial_affinity[k] = *initial;
    if (initial) initial_set[k] = 1;
    if (trade && !directed) spec_.trade[k] = *trade;
  };
  set(dyad->first, dyad->second);
  if (!directed) set(dyad->second, dyad->first);
}

std::optional<std::pair<int, int>> SpecBuilder::read_directed(const Node& item, const Path& path) {
  const Node* from = r_.require(item, path, "from");
  const Node* to = r_.require(item, path, "to");
  const auto i = from ? resolve(agents_, *from, child_path(path, "from")) : std::nullopt;
  const auto j = to ? resolve(agents_, *to, child_path(path, "to")) : std::nullopt;
  if (!i || !j) return std::nullopt;
  if (*i == *j) {
    r_.error(item.where, fmt::format("{} names {} twice; a dyad needs two different agents", path,
                                     agents_.ids()[*i]));
    return std::nullopt;
  }
  return std::pair{*i, *j};
}

// ---------------------------------------------------------------- institutions and regions

void SpecBuilder::read_institution(const Node& item, const Path& path) {
  r_.map(item, path, kInstitutionKeys);
  InstitutionSpec institution;
  institution.id = item.find("id")->text;
  institution.name = institution.id;
  optional_string(item, path, "name", institution.name);
  if (const Node* members = item.find("members")) {
    institution.members = resolve_list(agents_, *members, child_path(path, "members"));
    std::sort(institution.members.begin(), institution.members.end());
  }
  spec_.institutions.push_back(std::move(institution));
}

void SpecBuilder::read_region(const Node& item, const Path& path) {
  r_.map(item, path, kRegionKeys);
  RegionSpec region;
  region.id = item.find("id")->text;
  region.name = region.id;
  optional_string(item, path, "name", region.name);
  if (const Node* host = r_.require(item, path, "host")) {
    region.host = resolve(agents_, *host, child_path(path, "host")).value_or(0);
  }
  if (auto q = r_.optional_number(item, path, "climate", kUnit)) region.climate = *q;
  region.stock.assign(static_cast<std::size_t>(agents_.size()), 0.0);
  if (const Node* stock = item.find("stock")) {
    bool complete = true;
    for (const auto& s : read_id_map(agents_, *stock, child_path(path, "stock"), kNonNegative,
                                     complete)) {
      region.stock[static_cast<std::size_t>(s.index)] = s.value;
    }
  }
  spec_.regions.push_back(std::move(region));
}

// ---------------------------------------------------------------- params and rules

void SpecBuilder::read_params(const Node& node, const Path& path,
                              std::vector<std::pair<std::string, double>>& values) {
  if (!r_.any_map(node, path)) return;
  for (const auto& entry : node.entries) {
    const std::string& key = entry.key->text;
    if (key.starts_with("x-")) continue;  // metadata, as in every map with fixed keys
    const ParamInfo* info = find_param(key);
    if (!info) {
      Keys known;
      for (const auto& p : param_table()) known.emplace_back(p.key);
      r_.error(entry.key->where,
               fmt::format("{} has unknown key '{}'{}", path, key, did_you_mean(key, known)));
      continue;
    }
    const Range range{info->min, info->max, false, info->max_exclusive};
    if (auto value = r_.number(*entry.value, child_path(path, key), range)) {
      values.emplace_back(key, *value);
    }
  }
}

/// The field of `rules` for `slot`, or nullptr.
RuleChoice* rule_slot(RuleSelection& rules, std::string_view slot) {
  if (slot == "engagement") return &rules.engagement;
  if (slot == "cooperation") return &rules.cooperation;
  if (slot == "affinity") return &rules.affinity;
  if (slot == "influence") return &rules.influence;
  if (slot == "economy") return &rules.economy;
  return nullptr;
}

void SpecBuilder::read_rules(const Node& node) {
  if (!r_.map(node, "rules", kRuleSlots)) return;
  for (const auto& entry : node.entries) {
    RuleChoice* choice = rule_slot(spec_.rules, entry.key->text);
    if (!choice) continue;  // reported as an unknown key
    const Path path = child_path("rules", entry.key->text);
    const auto name = r_.string(*entry.value, path);
    if (!name) continue;
    choice->name = *name;
    choice->where = entry.value->where;
    if (options_.rules.empty() || *name == "none") continue;
    const auto found = options_.rules.find(entry.key->text);
    Keys known = found == options_.rules.end() ? Keys{} : found->second;
    if (std::find(known.begin(), known.end(), "none") == known.end()) known.emplace_back("none");
    if (std::find(known.begin(), known.end(), *name) != known.end()) continue;
    r_.error(entry.value->where, fmt::format("{} names unknown rule '{}'; known: {}{}", path, *name,
                                             fmt::join(known, ", "), did_you_mean(*name, known)));
  }
}

// ---------------------------------------------------------------- policies

void SpecBuilder::read_policies(const Node& node) {
  for_each_item(node, "policies", [&](const Node& item, const Path& path) {
    refs_.policies.push_back({id_of(item), std::nullopt});
    if (!r_.map(item, path, kPolicyKeys)) return;
    std::string ignored;
    optional_string(item, path, "id", ignored);
    optional_string(item, path, "note", ignored);
    const Node* at_node = r_.require(item, path, "at");
    const auto at = at_node ? read_tick(*at_node, child_path(path, "at")) : std::nullopt;
    auto action = read_action(item, path, at.value_or(0));
    if (!at || !action) return;
    spec_.policies.push_back(PolicySpec{*at, std::move(*action), item.where});
    refs_.policies.back().index = static_cast<int>(spec_.policies.size()) - 1;
  });
}

const ActionKind* SpecBuilder::policy_kind(const Node& item, const Path& path) {
  std::vector<const ActionKind*> found;
  for (const auto& kind : kActions) {
    if (uses_any(item, kind)) found.push_back(&kind);
  }
  if (found.empty()) {
    r_.error(item.where, fmt::format("{} has no action; give one of pivot, anchor, salience, "
                                     "climate, join/leave, sanction or set", path));
    return nullptr;
  }
  if (found.size() > 1) {
    std::vector<std::string_view> names;
    for (const auto* kind : found) names.push_back(kind->name);
    r_.error(item.where, fmt::format("{} has {} actions ({}); give exactly one per policy", path,
                                     found.size(), fmt::join(names, ", ")));
    return nullptr;
  }
  return found.front();
}

std::optional<PolicyAction> SpecBuilder::read_action(const Node& item, const Path& path, int at) {
  const ActionKind* kind = policy_kind(item, path);
  if (!kind) return std::nullopt;
  for (std::string_view subject : {"agent", "region", "institution"}) {
    const Entry* entry = item.find_entry(subject);
    if (entry && subject != kind->subject) {
      r_.error(entry->key->where, fmt::format("{}.{} is not used by the {} action", path, subject,
                                              kind->name));
    }
  }
  if (!kind->subject.empty() && !r_.require(item, path, kind->subject)) return std::nullopt;
  const std::string_view name = kind->name;
  if (name == "pivot") return read_pivot(item, path);
  if (name == "anchor" || name == "salience") return read_interest_policy(item, path, name);
  if (name == "climate") return read_climate(item, path);
  if (name == "join/leave") return read_membership(item, path);
  if (name == "sanction") return read_sanction(*item.find("sanction"), child_path(path, "sanction"), at);
  std::vector<std::pair<std::string, double>> values;
  read_params(*item.find("set"), child_path(path, "set"), values);
  return SetParamsPolicy{std::move(values)};
}

std::optional<PolicyAction> SpecBuilder::read_pivot(const Node& item, const Path& path) {
  const auto agent = resolve(agents_, *item.find("agent"), child_path(path, "agent"));
  const Node& node = *item.find("pivot");
  const Path pivot_path = child_path(path, "pivot");
  bool complete = true;
  const auto shares = read_id_map(agents_, node, pivot_path, kUnit, complete);
  if (!agent || !complete) return std::nullopt;
  for (const auto& share : shares) {
    if (share.index != *agent) continue;
    r_.error(share.key->where, fmt::format("{} names {} itself; an agent cannot pivot to itself",
                                           pivot_path, agents_.ids()[*agent]));
    return std::nullopt;
  }
  check_pivot_sum(node, pivot_path, *agent, shares);
  PivotPolicy policy{*agent, {}};
  for (const auto& share : shares) policy.shares.emplace_back(share.index, share.value);
  return policy;
}

void SpecBuilder::check_pivot_sum(const Node& node, const Path& path, int agent,
                                  const std::vector<IdValue>& shares) {
  double sum = 0;
  for (const auto& share : shares) sum += share.value;
  const std::string& id = agents_.ids()[agent];
  if (sum > 1 + kSumTolerance) {
    r_.error(node.where, fmt::format("{} shares of {} sum to {}, above 1", path, id, num(sum)));
  } else if (!shares.empty() && sum < 1 - kSumTolerance &&
             static_cast<int>(shares.size()) == agents_.size() - 1) {
    r_.error(node.where, fmt::format("{} shares of {} sum to {} and name every other agent, so "
                                     "the remaining {} has nowhere to go",
                                     path, id, num(sum), num(1 - sum)));
  }
}

std::optional<PolicyAction> SpecBuilder::read_interest_policy(const Node& item, const Path& path,
                                                              std::string_view key) {
  const auto agent = resolve(agents_, *item.find("agent"), child_path(path, "agent"));
  const Node& node = *item.find(key);
  const Path values_path = child_path(path, key);
  bool complete = true;
  const auto values = read_id_map(issues_, node, values_path, kUnit, complete);
  if (!agent || !complete) return std::nullopt;
  std::vector<std::pair<IssueIndex, double>> pairs;
  for (const auto& v : values) pairs.emplace_back(v.index, v.value);
  if (key == "anchor") return AnchorPolicy{*agent, std::move(pairs)};
  const bool all_zero = std::all_of(values.begin(), values.end(),
                                    [](const IdValue& v) { return v.value == 0; });
  if (all_zero && static_cast<int>(values.size()) == issues_.size()) {
    // Renormalising all-zero saliences would divide by zero.
    r_.error(node.where, fmt::format("{} sets every salience of {} to 0; at least one must be "
                                     "positive", values_path, agents_.ids()[*agent]));
    return std::nullopt;
  }
  return SaliencePolicy{*agent, std::move(pairs)};
}

std::optional<PolicyAction> SpecBuilder::read_climate(const Node& item, const Path& path) {
  const auto region = resolve(regions_, *item.find("region"), child_path(path, "region"));
  const auto climate = r_.number(*item.find("climate"), child_path(path, "climate"), kUnit);
  if (!region || !climate) return std::nullopt;
  return ClimatePolicy{*region, *climate};
}

std::optional<PolicyAction> SpecBuilder::read_membership(const Node& item, const Path& path) {
  const auto institution =
      resolve(institutions_, *item.find("institution"), child_path(path, "institution"));
  MembershipPolicy policy{institution.value_or(0), {}, {}};
  if (const Node* join = item.find("join")) {
    policy.join = resolve_list(agents_, *join, child_path(path, "join"));
  }
  if (const Node* leave = item.find("leave")) {
    policy.leave = resolve_list(agents_, *leave, child_path(path, "leave"));
  }
  if (!institution) return std::nullopt;
  return policy;
}

std::optional<PolicyAction> SpecBuilder::read_sanction(const Node& node, const Path& path, int at) {
  if (!r_.map(node, path, kSanctionKeys)) return std::nullopt;
  SanctionPolicy policy;
  for (auto [key, out] : {std::pair{"from", &policy.from}, std::pair{"to", &policy.to}}) {
    const Node* list = r_.require(node, path, key);
    if (!list) continue;
    *out = resolve_list(agents_, *list, child_path(path, key));
    if (list->is_list() && list->items.empty()) {
      r_.error(list->where, fmt::format("{}.{} must name at least one agent", path, key));
    }
  }
  if (auto factor = r_.required_number(node, path, "trade_factor", kNonNegative)) {
    policy.trade_factor = *factor;
  }
  if (const Node* until = node.find("until")) {
    const auto value = r_.integer(*until, child_path(path, "until"), 0,
                                  std::numeric_limits<int>::max());
    if (value && *value <= at) {
      r_.error(until->where, fmt::format("{}.until must be after at ({}), got {}", path, at,
                                         until->text));
    }
    if (value) policy.until = static_cast<int>(*value);
  }
  return policy;
}

// ---------------------------------------------------------------- events

void SpecBuilder::read_events(const Node& node) {
  for_each_item(node, "events", [&](const Node& item, const Path& path) {
    refs_.events.push_back({id_of(item), std::nullopt});
    read_event(item, path);
  });
}

void SpecBuilder::read_event(const Node& item, const Path& path) {
  if (!r_.map(item, path, kEventKeys)) return;
  EventSpec event;
  event.where = item.where;
  optional_string(item, path, "id", event.id);
  std::string note;
  optional_string(item, path, "note", note);
  const Node* at = item.find("at");
  const Node* hazard = item.find("hazard");
  if (at && hazard) {
    r_.error(item.where, fmt::format("{} gives both at and hazard; give exactly one", path));
  } else if (!at && !hazard) {
    r_.error(item.where, fmt::format("{} needs at (a tick) or hazard (a per-tick probability)", path));
  }
  if (at) event.at = read_tick(*at, child_path(path, "at"));
  if (hazard) event.hazard = r_.number(*hazard, child_path(path, "hazard"), kUnit).value_or(0);
  if (const Node* times = item.find("max_times")) {
    event.max_times = r_.int_value(*times, child_path(path, "max_times"), 1).value_or(1);
  }
  const Node* effects = r_.require(item, path, "effects");
  const Path effects_path = child_path(path, "effects");
  if (effects && r_.list(*effects, effects_path)) {
    if (effects->items.empty()) {
      r_.error(effects->where, fmt::format("{} must list at least one effect", effects_path));
    }
    for (std::size_t i = 0; i < effects->items.size(); ++i) {
      const auto effect = read_effect(*effects->items[i], item_path(effects_path, std::to_string(i)));
      if (effect) event.effects.push_back(*effect);
    }
  }
  spec_.events.push_back(std::move(event));
  refs_.events.back().index = static_cast<int>(spec_.events.size()) - 1;
}

std::optional<Effect> SpecBuilder::read_effect(const Node& node, const Path& path) {
  if (!r_.map(node, path, kEffectKeys)) return std::nullopt;
  const bool dyad = node.find("dyad") || node.find("affinity") || node.find("directed");
  const bool interest = node.find("agent") || node.find("issue") || node.find("position") ||
                        node.find("anchor") || node.find("salience");
  if (dyad && interest) {
    r_.error(node.where, fmt::format("{} mixes an affinity effect (dyad, affinity, directed) with "
                                     "an interest effect (agent, issue, position/anchor/salience)",
                                     path));
    return std::nullopt;
  }
  if (!dyad && !interest) {
    r_.error(node.where, fmt::format("{} is empty; give {{dyad, affinity}} or {{agent, issue, "
                                     "position/anchor/salience}}", path));
    return std::nullopt;
  }
  return dyad ? read_affinity_effect(node, path) : read_interest_effect(node, path);
}

std::optional<Effect> SpecBuilder::read_affinity_effect(const Node& node, const Path& path) {
  const Node* dyad_node = r_.require(node, path, "dyad");
  const auto pair = dyad_node ? read_pair(*dyad_node, child_path(path, "dyad")) : std::nullopt;
  const auto delta = r_.required_number(node, path, "affinity", {});
  bool directed = false;
  if (const Node* flag = node.find("directed")) {
    const auto value = r_.boolean(*flag, child_path(path, "directed"));
    if (!value) return std::nullopt;
    directed = *value;
  }
  if (!pair || !delta) return std::nullopt;
  return AffinityEffect{pair->first, pair->second, *delta, directed};
}

std::optional<Effect> SpecBuilder::read_interest_effect(const Node& node, const Path& path) {
  const Node* agent_node = r_.require(node, path, "agent");
  const Node* issue_node = r_.require(node, path, "issue");
  const auto agent = agent_node ? resolve(agents_, *agent_node, child_path(path, "agent")) : std::nullopt;
  const auto issue = issue_node ? resolve(issues_, *issue_node, child_path(path, "issue")) : std::nullopt;
  using Field = InterestEffect::Field;
  const std::vector<std::pair<std::string_view, Field>> fields{
      {"position", Field::kPosition}, {"anchor", Field::kAnchor}, {"salience", Field::kSalience}};
  std::vector<std::pair<std::string_view, Field>> given;
  for (const auto& field : fields) {
    if (node.find(field.first)) given.push_back(field);
  }
  if (given.size() != 1) {
    r_.error(node.where, fmt::format("{} must change exactly one of position, anchor or salience, "
                                     "got {}", path, given.size()));
    return std::nullopt;
  }
  const auto delta = r_.number(*node.find(given[0].first), child_path(path, given[0].first));
  if (!agent || !issue || !delta) return std::nullopt;
  return InterestEffect{given[0].second, *agent, *issue, *delta};
}

// ---------------------------------------------------------------- track

void SpecBuilder::read_track(const Node& node) {
  if (!r_.map(node, "track", kTrackKeys)) return;
  if (const Node* dyads = node.find("dyads"); dyads && r_.list(*dyads, "track.dyads")) {
    for (std::size_t i = 0; i < dyads->items.size(); ++i) {
      const auto pair = read_pair(*dyads->items[i], item_path("track.dyads", std::to_string(i)));
      if (pair) spec_.track.dyads.push_back(*pair);
    }
  }
  if (const Node* agents = node.find("agents")) {
    spec_.track.agents = resolve_list(agents_, *agents, "track.agents");
  }
}

}  // namespace

ScenarioSpec build_spec(const Node& root, const LoadOptions& options, Diagnostics& diags) {
  return SpecBuilder(root, options, diags).build();
}

}  // namespace geosim::scenario
