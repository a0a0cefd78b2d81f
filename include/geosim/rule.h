#pragma once
#include <memory>
#include <string_view>

#include "geosim/rng.h"
#include "geosim/scenario.h"
#include "geosim/state.h"

namespace geosim {

/// What a behaviour rule sees during one phase of one tick.
struct TickContext {
  WorldState& state;
  TickScratch& scratch;
  Mode mode;
  const Rng& rng;
  int tick;
};

/// A behaviour rule filling one slot of the tick (engagement, cooperation, affinity, influence,
/// economy). Rules are stateless: apply() is const and may run concurrently for different runs.
/// Every rule reads one snapshot and writes a new one, so agent order never matters. A
/// cooperation rule writes every entry of scratch.o and scratch.X, its diagonal included (the
/// tick does not clear them first).
class Rule {
 public:
  virtual ~Rule() = default;
  virtual std::string_view name() const = 0;
  virtual void apply(TickContext& context) const = 0;
};

/// The rules of one scenario; a null slot is disabled ("none").
struct RuleSet {
  std::shared_ptr<const Rule> engagement;
  std::shared_ptr<const Rule> cooperation;
  std::shared_ptr<const Rule> affinity;
  std::shared_ptr<const Rule> influence;
  std::shared_ptr<const Rule> economy;
};

}  // namespace geosim
