#pragma once
#include "geosim/rule.h"
#include "geosim/scenario.h"

namespace geosim::agents {

/// The known rule names per slot, "none" included (for the loader's messages).
RuleCatalog rule_catalog();

/// The rules a scenario selected. Names are checked by the loader when it is given
/// rule_catalog(); an unknown name here throws InputError located at the choice.
RuleSet build_rules(const RuleSelection& selection);

}  // namespace geosim::agents
