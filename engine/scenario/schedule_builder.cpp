// The schedule sections of a scenario: policies, events and track (see spec_builder_internal.h).
#include <algorithm>
#include <cmath>

#include "scenario/spec_builder_internal.h"

namespace geosim::scenario::spec_detail {

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
      // An overlay's list is added to its parent's, so a dyad may come twice: keep the first.
      auto& tracked = spec_.track.dyads;
      if (pair && std::find(tracked.begin(), tracked.end(), *pair) == tracked.end()) tracked.push_back(*pair);
    }
  }
  if (const Node* agents = node.find("agents")) {
    for (AgentIndex agent : resolve_list(agents_, *agents, "track.agents")) {
      auto& tracked = spec_.track.agents;
      if (std::find(tracked.begin(), tracked.end(), agent) == tracked.end()) tracked.push_back(agent);
    }
  }
}

}  // namespace geosim::scenario::spec_detail
