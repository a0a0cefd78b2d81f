#include "scenario/spec_builder.h"

#include <algorithm>
#include <cmath>

#include "scenario/spec_builder_internal.h"

namespace geosim::scenario {
namespace spec_detail {

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

}  // namespace spec_detail

using spec_detail::SpecBuilder;

ScenarioSpec build_spec(const Node& root, const LoadOptions& options, Diagnostics& diags) {
  return SpecBuilder(root, options, diags).build();
}

}  // namespace geosim::scenario
