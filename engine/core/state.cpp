#include "geosim/state.h"

#include <algorithm>
#include <cmath>

#include "geosim/parallel.h"

namespace geosim {
namespace {

Matrix square_from(const std::vector<double>& values, int n) {
  Matrix m(n, n);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) m(i, j) = values[static_cast<std::size_t>(i * n + j)];
  }
  return m;
}

void fill_agents(const ScenarioSpec& spec, WorldState& state) {
  const int n = spec.agent_count();
  const int k = spec.issue_count();
  state.x.resize(n, k);
  state.x0.resize(n, k);
  state.s.resize(n, k);
  state.c.resize(n);
  state.lam.resize(n);
  state.g.resize(n);
  for (int agent = 0; agent < n; ++agent) {
    const AgentSpec& a = spec.agents[static_cast<std::size_t>(agent)];
    for (int issue = 0; issue < k; ++issue) {
      const InterestSpec& interest = a.interests[static_cast<std::size_t>(issue)];
      state.x(agent, issue) = interest.position;
      state.x0(agent, issue) = interest.anchor;
      state.s(agent, issue) = interest.salience;
    }
    state.c(agent) = a.capability;
    state.lam(agent) = a.susceptibility;
    state.g(agent) = a.growth;
    state.capital.push_back(a.capital);
  }
}

void fill_institutions(const ScenarioSpec& spec, WorldState& state) {
  state.M = Matrix::Zero(spec.agent_count(), static_cast<Eigen::Index>(spec.institutions.size()));
  for (std::size_t g = 0; g < spec.institutions.size(); ++g) {
    for (AgentIndex member : spec.institutions[g].members) {
      state.M(member, static_cast<Eigen::Index>(g)) = 1.0;
    }
  }
}

void fill_regions(const ScenarioSpec& spec, WorldState& state) {
  const auto r = static_cast<Eigen::Index>(spec.regions.size());
  state.S = Matrix::Zero(r, spec.agent_count());
  state.q.resize(r);
  for (Eigen::Index region = 0; region < r; ++region) {
    const RegionSpec& spec_region = spec.regions[static_cast<std::size_t>(region)];
    for (int agent = 0; agent < spec.agent_count(); ++agent) {
      state.S(region, agent) = spec_region.stock[static_cast<std::size_t>(agent)];
    }
    state.q(region) = spec_region.climate;
    state.host.push_back(spec_region.host);
  }
}

// MODEL.md P2 for the pairs (i, j > i), each shared-institution sum in the order g = 0, 1, ...
void interaction_row(const WorldState& state, const Eigen::Map<Vector>& inverse_size, TickScratch& scratch, int i) {
  const int n = state.agents();
  const auto groups = state.M.cols();
  const double iota = state.params.institution_weight;
  scratch.w(i, i) = 0;
  scratch.h(i, i) = 0;
  for (int j = i + 1; j < n; ++j) {
    double shared = 0;
    for (Eigen::Index g = 0; g < groups; ++g) shared += state.M(i, g) * state.M(j, g) * inverse_size(g);
    const double w = std::sqrt(state.a(i, j) * state.a(j, i)) + iota * shared;
    const double h = w / (w + 1.0 / n);
    scratch.w(i, j) = scratch.w(j, i) = w;
    scratch.h(i, j) = scratch.h(j, i) = h;
  }
}

}  // namespace

TickScratch::TickScratch(int agents, int issues)
    : w(Matrix::Zero(agents, agents)),
      h(Matrix::Zero(agents, agents)),
      o(Matrix::Zero(agents, agents)),
      X(Matrix::Zero(agents, agents)),
      next(Matrix::Zero(agents, agents)),
      next_positions(Matrix::Zero(agents, issues)),
      // P3 puts two draws per dyad-issue of one agent's row in `lanes`, and the positions and
      // saliences issue-major in `lanes_out`.
      lanes(2 * static_cast<std::size_t>(std::max(agents, 1)) * static_cast<std::size_t>(std::max(issues, 1))),
      lanes_out(2 * static_cast<std::size_t>(std::max(agents, 1)) * static_cast<std::size_t>(std::max(issues, 1))) {}

WorldState make_initial_state(const ScenarioSpec& spec) {
  WorldState state;
  const int n = spec.agent_count();
  fill_agents(spec, state);
  state.A = square_from(spec.initial_affinity, n);
  state.A0 = square_from(spec.affinity0, n);
  state.e = square_from(spec.trade, n);
  fill_institutions(spec, state);
  fill_regions(spec, state);
  state.pivot.resize(static_cast<std::size_t>(n));
  state.hazard_fired.assign(spec.events.size(), 0);
  state.params = spec.params;
  state.a = Matrix::Zero(n, n);
  for (int agent = 0; agent < n; ++agent) default_attention(state, agent, state.a.row(agent));
  return state;
}

// MODEL.md P1, default attention: formula letters (i, j, m) as in the text.
void default_attention(const WorldState& state, AgentIndex i, Eigen::Ref<RowVector> out) {
  const int n = state.agents();
  const double trade_total = std::max(1e-12, state.e.row(i).sum() - state.e(i, i));
  double total = 0;
  for (int j = 0; j < n; ++j) {
    const double d = j == i ? 0.0
                            : (state.params.attention_floor + state.e(i, j) / trade_total) *
                                  (1.0 + state.A(i, j)) / 2.0;
    out(j) = d;
    total += d;
  }
  for (int j = 0; j < n; ++j) {
    out(j) = j == i ? 0.0 : (total > 0 ? out(j) / total : 1.0 / (n - 1));
  }
}

// MODEL.md P2: formula letters as in the text. Row i computes the pairs (i, j > i) and writes
// both (i, j) and (j, i): no entry has two writers, so large worlds run the rows in parallel.
void compute_interaction(const WorldState& state, TickScratch& scratch) {
  const int n = state.agents();
  const auto groups = state.M.cols();
  // 1 / n_g in the scratch lanes: a tick allocates nothing.
  if (scratch.lanes.size() < static_cast<std::size_t>(groups)) scratch.lanes.resize(static_cast<std::size_t>(groups));
  Eigen::Map<Vector> inverse_size(scratch.lanes.data(), groups);
  for (Eigen::Index g = 0; g < groups; ++g) {
    const double members = state.M.col(g).sum();
    inverse_size(g) = members > 0 ? 1.0 / members : 0.0;
  }
  for_each_index(n, [&](int i) { interaction_row(state, inverse_size, scratch, i); });
}

}  // namespace geosim
