#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "geosim/error.h"
#include "geosim/params.h"
#include "geosim/uncertain.h"

namespace geosim {

/// Expected mode uses the expected values of every random choice and draws no random numbers;
/// stochastic mode draws C/D choices and hazard events from the counter-based generator.
enum class Mode { kExpected, kStochastic };

/// Agents, issues, institutions and regions are referred to by their 0-based index in
/// scenario order everywhere below.
using AgentIndex = int;
using IssueIndex = int;

struct IssueSpec {
  std::string id;
  std::string name;
  std::string low;   ///< what position 0 means
  std::string high;  ///< what position 1 means
};

struct InterestSpec {
  double position = 0;  ///< x(0), in [0,1]
  double anchor = 0;    ///< x0, in [0,1]; defaults to position
  double salience = 0;  ///< s, in [0,1]; an agent's saliences sum to 1
};

struct AgentSpec {
  std::string id;
  std::string name;
  double capability = 0;              ///< c > 0 (any unit: only shares are used)
  double susceptibility = 0.5;        ///< lam in [0,1)
  double growth = 0;                  ///< g, capability growth per tick, > -1
  std::optional<double> capital;      ///< K, US$ bn per tick, >= 0; default phi_K * chat
  std::vector<InterestSpec> interests;  ///< one per issue, in issue order
};

struct InstitutionSpec {
  std::string id;
  std::string name;
  std::vector<AgentIndex> members;  ///< ascending, no duplicates
};

struct RegionSpec {
  std::string id;
  std::string name;
  AgentIndex host = 0;
  double climate = 0.5;        ///< q in [0,1]
  std::vector<double> stock;   ///< S_r,j for every agent j, US$ bn, >= 0
};

struct RunSettings {
  int ticks = 80;           ///< T >= 1
  int record_every = 1;     ///< >= 1
  Mode mode = Mode::kExpected;
  std::uint64_t seed = 1;
  std::optional<std::string> start;  ///< calendar label of tick 0, "YYYYQn"; ticks are quarters
};

/// The behaviour rule chosen for each slot; "none" disables the slot.
struct RuleChoice {
  std::string name;
  SourceLocation where;  ///< where the scenario chose it (line 0 for the default)
};
struct RuleSelection {
  RuleChoice engagement{"pivot", {}};
  RuleChoice cooperation{"prisoners_dilemma", {}};
  RuleChoice affinity{"structural_balance", {}};
  RuleChoice influence{"friedkin_johnsen", {}};
  RuleChoice economy{"trade_investment", {}};
};

// Policies (MODEL.md section 6), applied in P0 of tick `at`, in file order.
/// Sets i's pivot target; an empty list clears it (back to default attention).
struct PivotPolicy { AgentIndex agent; std::vector<std::pair<AgentIndex, double>> shares; };
struct AnchorPolicy { AgentIndex agent; std::vector<std::pair<IssueIndex, double>> anchors; };
/// Sets the listed saliences, then renormalises the agent's saliences to sum 1.
struct SaliencePolicy { AgentIndex agent; std::vector<std::pair<IssueIndex, double>> saliences; };
struct ClimatePolicy { int region; double climate; };
struct MembershipPolicy { int institution; std::vector<AgentIndex> join; std::vector<AgentIndex> leave; };
/// Multiplies e_ij (and e_ji) for i in from, j in to by trade_factor in P6 of every tick
/// from `at` until (excluding) `until`.
struct SanctionPolicy {
  std::vector<AgentIndex> from;
  std::vector<AgentIndex> to;
  double trade_factor = 1;
  std::optional<int> until;
};
struct SetParamsPolicy { std::vector<std::pair<std::string, double>> values; };

using PolicyAction = std::variant<PivotPolicy, AnchorPolicy, SaliencePolicy, ClimatePolicy,
                                  MembershipPolicy, SanctionPolicy, SetParamsPolicy>;
struct PolicySpec {
  int at = 0;
  PolicyAction action;
  SourceLocation where;
};

// Events (MODEL.md section 6).
/// Adds delta to A_from,to (and to A_to,from unless directed), then clips to [-1,1].
struct AffinityEffect { AgentIndex from; AgentIndex to; double delta; bool directed; };
/// Adds delta to the agent's position, anchor or salience on an issue. Positions and anchors
/// are clipped to [0,1]; a salience is floored at 0 and the agent's saliences renormalised.
struct InterestEffect {
  enum class Field { kPosition, kAnchor, kSalience };
  Field field;
  AgentIndex agent;
  IssueIndex issue;
  double delta;
};
using Effect = std::variant<AffinityEffect, InterestEffect>;

struct EventSpec {
  std::string id;               ///< optional, for overlays and messages
  std::optional<int> at;        ///< scheduled tick, or
  double hazard = 0;            ///< per-tick probability (stochastic mode only)
  int max_times = 1;            ///< a hazard event fires at most this many times
  std::vector<Effect> effects;
  SourceLocation where;
};

struct TrackSpec {
  std::vector<std::pair<AgentIndex, AgentIndex>> dyads;  ///< (I, J) in the order given
  std::vector<AgentIndex> agents;
};

/// One file that went into a scenario (the file itself and its `extends` ancestors).
struct SourceFile {
  std::string path;
  std::string text;
};

/// A validated, immutable scenario: everything the engine needs to build a run.
/// Built only by load_scenario (or by tests); the engine never reads YAML.
struct ScenarioSpec {
  std::string name;
  std::string description;
  RunSettings run;
  Params params;
  RuleSelection rules;
  std::vector<IssueSpec> issues;
  std::vector<AgentSpec> agents;
  /// N x N row-major matrices, indexed [i * N + j]; diagonals are 0.
  std::vector<double> affinity0;         ///< A0
  std::vector<double> initial_affinity;  ///< A(0); equals A0 unless set
  std::vector<double> trade;             ///< e, symmetric
  std::vector<InstitutionSpec> institutions;
  std::vector<RegionSpec> regions;
  std::vector<PolicySpec> policies;
  std::vector<EventSpec> events;
  TrackSpec track;
  std::vector<UncertainInput> uncertain;  ///< `uncertain:` inputs, in file order
  std::vector<SourceFile> sources;  ///< the root file first, then its ancestors
  std::string inputs_hash;          ///< 16 hex digits, FNV-1a 64 over the sources' text

  int agent_count() const { return static_cast<int>(agents.size()); }
  int issue_count() const { return static_cast<int>(issues.size()); }
  std::optional<AgentIndex> find_agent(std::string_view id) const;
  std::optional<IssueIndex> find_issue(std::string_view id) const;
};

/// Names of the known behaviour rules per slot ("engagement", "cooperation", "affinity",
/// "influence", "economy"); the loader reports an unknown name with the known ones.
using RuleCatalog = std::map<std::string, std::vector<std::string>>;

struct LoadOptions {
  RuleCatalog rules;  ///< empty: rule names are not checked
};

/// Reads `file`, applies its `extends` chain, validates everything and returns the spec.
/// Throws InputError with every problem found (located, compiler style), or IoError when the
/// root file cannot be read. Never throws anything else for any file content.
ScenarioSpec load_scenario(const std::filesystem::path& file, const LoadOptions& options = {});

}  // namespace geosim
