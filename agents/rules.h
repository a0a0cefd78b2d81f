#pragma once
#include <memory>

#include "geosim/rule.h"

namespace geosim::agents {

/// MODEL.md P1: engagement moves toward the default attention, or toward the pivot target.
std::shared_ptr<const Rule> make_pivot_engagement();
/// MODEL.md P3: the issue-linked prisoner's dilemma (expected or drawn outcomes).
std::shared_ptr<const Rule> make_prisoners_dilemma();
/// The same rule with another margin for stochastic decisions (cooperation.cpp). For the tests:
/// with an infinite margin every decision takes the path that draws near p take.
std::shared_ptr<const Rule> make_prisoners_dilemma_with_margin(double decision_margin);
/// MODEL.md P4: affinity follows cooperation, exploitation and structural balance.
std::shared_ptr<const Rule> make_structural_balance();
/// MODEL.md P5: Friedkin-Johnsen influence anchored to national interest.
std::shared_ptr<const Rule> make_friedkin_johnsen();
/// MODEL.md section 7: Bueno de Mesquita's bargaining per issue, every bdm_interval ticks (agents/bdm.h).
std::shared_ptr<const Rule> make_bdm();
/// MODEL.md P6: trade growth with affinity and sanctions; investment into regions.
std::shared_ptr<const Rule> make_trade_investment();

/// MODEL.md P1: i's pivot target a*_i into `out` (shares given; the rest spread by d_ij).
void pivot_target(const WorldState& state, AgentIndex i, Eigen::Ref<RowVector> out);

}  // namespace geosim::agents
