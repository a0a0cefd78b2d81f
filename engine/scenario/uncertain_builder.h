#pragma once
#include <optional>
#include <string>
#include <vector>

#include "geosim/scenario.h"
#include "scenario/reader.h"
#include "scenario/yaml_tree.h"

namespace geosim::scenario {

/// What the `uncertain:` section needs from the rest of the scenario beyond the spec itself,
/// collected by the spec builder while it reads the other sections.
struct ScenarioRefs {
  /// An item of `policies` or `events`: its id ("" when it has none) and its index in the
  /// spec's list (nullopt when the item was invalid and already reported).
  struct Item {
    std::string id;
    std::optional<int> index;
  };
  std::vector<Item> policies;
  std::vector<Item> events;
  std::vector<char> initial_given;  ///< N x N: the scenario gives initial_affinity for I -> J
  std::vector<char> anchor_given;   ///< N x K: the scenario gives agent I's anchor on issue K
  bool ticks_known = true;          ///< false when run.ticks is invalid (ticks not range-checked)
};

/// Validates the `uncertain:` list and appends its inputs, paths resolved, to spec.uncertain.
/// Runs after every other section has been read into `spec`.
void read_uncertain(const Node& list, const ScenarioRefs& refs, Reader& reader, ScenarioSpec& spec);

}  // namespace geosim::scenario
