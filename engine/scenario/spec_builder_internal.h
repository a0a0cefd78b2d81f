#pragma once
// Internal to the loader: the SpecBuilder class that spec_builder.cpp (the world: run,
// issues, agents, relations, institutions, regions, params, rules) and schedule_builder.cpp
// (policies, events, track) implement between them.
#include <fmt/format.h>

#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "geosim/scenario.h"
#include "scenario/diagnostics.h"
#include "scenario/reader.h"
#include "scenario/uncertain_builder.h"
#include "scenario/yaml_tree.h"

namespace geosim::scenario::spec_detail {


using Keys = std::vector<std::string>;

// Keys starting with "x-" are accepted and ignored in every map with fixed keys (see
// Reader::map), so that researchers can keep metadata such as `x-sources:` in a scenario.
inline const Keys kTopKeys{"extends",  "name",         "description", "run",    "issues",
                    "agents",   "relations",    "institutions", "regions", "params",
                    "rules",    "policies",     "events",      "track",  "uncertain"};
inline const Keys kRunKeys{"ticks", "record_every", "mode", "seed", "start"};
inline const Keys kIssueKeys{"id", "name", "low", "high"};
inline const Keys kAgentKeys{"id", "name", "capability", "susceptibility", "growth", "capital", "interests"};
inline const Keys kInterestKeys{"position", "anchor", "salience"};
inline const Keys kRelationKeys{"between", "from", "to", "affinity", "initial_affinity", "trade"};
inline const Keys kInstitutionKeys{"id", "name", "members"};
inline const Keys kRegionKeys{"id", "name", "host", "climate", "stock"};
inline const Keys kRuleSlots{"engagement", "cooperation", "affinity", "influence", "economy"};
inline const Keys kPolicyKeys{"at",     "id",       "note",     "agent",   "region",
                       "institution", "pivot", "anchor", "salience", "climate",
                       "join",   "leave",    "sanction", "set"};
inline const Keys kSanctionKeys{"from", "to", "trade_factor", "until"};
inline const Keys kEventKeys{"id", "note", "at", "hazard", "max_times", "effects"};
inline const Keys kEffectKeys{"dyad", "affinity", "directed", "agent", "issue", "position", "anchor", "salience"};
inline const Keys kTrackKeys{"dyads", "agents"};

constexpr double kInf = std::numeric_limits<double>::infinity();
/// Sums of shares are compared with this slack, so that 0.1 + 0.2 + 0.7 counts as 1.
constexpr double kSumTolerance = 1e-6;

/// A number formatted for messages about computed values (sums), without float noise.
inline std::string num(double value) { return fmt::format("{:.10g}", value); }

/// The label of a list item in paths: its id when it has a usable one, else its index.
inline std::string label(const Node& item, std::size_t index) {
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
inline const std::vector<ActionKind> kActions{
    {"pivot", {"pivot"}, "agent"},       {"anchor", {"anchor"}, "agent"},
    {"salience", {"salience"}, "agent"}, {"climate", {"climate"}, "region"},
    {"join/leave", {"join", "leave"}, "institution"},
    {"sanction", {"sanction"}, ""},      {"set", {"set"}, ""}};

/// Whether `text` is a calendar quarter such as "2013Q1".
inline bool is_quarter_label(std::string_view text) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return text.size() == 6 && std::all_of(text.begin(), text.begin() + 4, digit) &&
         text[4] == 'Q' && text[5] >= '1' && text[5] <= '4';
}

inline bool uses_any(const Node& item, const ActionKind& kind) {
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
inline std::string id_of(const Node& item) {
  const Node* id = item.is_map() ? item.find("id") : nullptr;
  return id && id->is_scalar() ? id->text : std::string();
}


template <typename Read>
void SpecBuilder::for_each_item(const Node& list, std::string_view key, Read read) {
  if (!r_.list(list, Path(key))) return;
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    const Node& item = *list.items[i];
    read(item, item_path(Path(key), label(item, i)));
  }
}

}  // namespace geosim::scenario::spec_detail
