#include "registry.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "rules.h"

namespace geosim::agents {
namespace {

using Factory = std::shared_ptr<const Rule> (*)();

struct Entry {
  std::string_view slot;
  std::string_view name;
  Factory make;
};

// Every rule, explicitly: an unknown name can list the known ones.
constexpr Entry kRules[] = {
    {"engagement", "pivot", &make_pivot_engagement},
    {"cooperation", "prisoners_dilemma", &make_prisoners_dilemma},
    {"affinity", "structural_balance", &make_structural_balance},
    {"influence", "friedkin_johnsen", &make_friedkin_johnsen},
    {"influence", "bdm", &make_bdm},
    {"economy", "trade_investment", &make_trade_investment},
};

std::vector<std::string> known(std::string_view slot) {
  std::vector<std::string> names;
  for (const Entry& entry : kRules) {
    if (entry.slot == slot) names.emplace_back(entry.name);
  }
  names.emplace_back("none");
  return names;
}

std::shared_ptr<const Rule> make(std::string_view slot, const RuleChoice& choice) {
  if (choice.name == "none") return nullptr;
  for (const Entry& entry : kRules) {
    if (entry.slot == slot && entry.name == choice.name) return entry.make();
  }
  throw InputError({{choice.where,
                     fmt::format("unknown rule '{}' for slot '{}'; known: {}", choice.name, slot,
                                 fmt::join(known(slot), ", ")),
                     ""}});
}

}  // namespace

RuleCatalog rule_catalog() {
  RuleCatalog catalog;
  for (const char* slot : {"engagement", "cooperation", "affinity", "influence", "economy"}) {
    catalog[slot] = known(slot);
  }
  return catalog;
}

RuleSet build_rules(const RuleSelection& selection) {
  return {make("engagement", selection.engagement), make("cooperation", selection.cooperation),
          make("affinity", selection.affinity), make("influence", selection.influence),
          make("economy", selection.economy)};
}

}  // namespace geosim::agents
