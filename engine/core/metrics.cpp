#include "geosim/metrics.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <cmath>
#include <fmt/format.h>

namespace geosim {
namespace {

double safe_ratio(double numerator, double denominator) {
  return denominator != 0 ? numerator / denominator : 0.0;
}

const std::string& agent_id(const ScenarioSpec& spec, AgentIndex agent) {
  return spec.agents[static_cast<std::size_t>(agent)].id;
}

int count_distinct(const std::vector<int>& ids) {
  int count = 0;
  for (std::size_t agent = 0; agent < ids.size(); ++agent) count += ids[agent] == static_cast<int>(agent);
  return count;
}

}  // namespace

MetricRecorder::MetricRecorder(const ScenarioSpec& spec) : spec_(spec) {
  columns_ = {"tick", "cooperation", "balance", "blocs"};
  for (const auto& [i, j] : spec.track.dyads) {
    const std::string pair = fmt::format("{}:{}", agent_id(spec, i), agent_id(spec, j));
    for (const char* metric : {"coop", "affinity", "alignment", "dependence", "attention"}) {
      columns_.push_back(fmt::format("{}:{}", metric, pair));
    }
  }
  for (AgentIndex agent : spec.track.agents) {
    columns_.push_back("bloc_of:" + agent_id(spec, agent));
    columns_.push_back("camp:" + agent_id(spec, agent));
  }
  for (const RegionSpec& region : spec.regions) {
    columns_.push_back("invest_total:" + region.id);
    columns_.push_back("invest_hhi:" + region.id);
    for (AgentIndex agent : spec.track.agents) {
      columns_.push_back(fmt::format("invest_share:{}:{}", region.id, agent_id(spec, agent)));
    }
  }
  for (const IssueSpec& issue : spec.issues) {
    columns_.push_back("outcome:" + issue.id);
    columns_.push_back("dispersion:" + issue.id);
  }
}

std::vector<double> MetricRecorder::record(int tick, const WorldState& state, const TickScratch& scratch) const {
  std::vector<double> row;
  row.reserve(columns_.size());
  row.push_back(tick);
  row.push_back(cooperation_index(scratch));
  row.push_back(balance_index(state.A));
  row.push_back(count_distinct(bloc_ids(state.A, state.params.bloc_threshold)));
  append_dyads(row, state, scratch);
  append_agents(row, state);
  append_regions(row, state);
  append_issues(row, state);
  return row;
}

void MetricRecorder::append_dyads(std::vector<double>& row, const WorldState& state,
                                  const TickScratch& scratch) const {
  for (const auto& [i, j] : spec_.track.dyads) {
    row.push_back(scratch.o(i, j));
    row.push_back((state.A(i, j) + state.A(j, i)) / 2.0);
    row.push_back(alignment(state, i, j));
    row.push_back(safe_ratio(state.e(i, j), state.e.row(i).sum() - state.e(i, i)));
    row.push_back(state.a(i, j));
  }
}

void MetricRecorder::append_agents(std::vector<double>& row, const WorldState& state) const {
  if (spec_.track.agents.empty()) return;
  const std::vector<int> blocs = bloc_ids(state.A, state.params.bloc_threshold);
  const std::vector<int> camp = camps(state.A, spec_.track.agents);
  for (AgentIndex agent : spec_.track.agents) {
    row.push_back(blocs[static_cast<std::size_t>(agent)]);
    row.push_back(camp[static_cast<std::size_t>(agent)]);
  }
}

void MetricRecorder::append_regions(std::vector<double>& row, const WorldState& state) const {
  for (int region = 0; region < state.regions(); ++region) {
    const double total = state.S.row(region).sum();
    double hhi = 0;
    for (int agent = 0; agent < state.agents(); ++agent) {
      const double share = safe_ratio(state.S(region, agent), total);
      hhi += share * share;
    }
    row.push_back(total);
    row.push_back(hhi);
    for (AgentIndex agent : spec_.track.agents) row.push_back(safe_ratio(state.S(region, agent), total));
  }
}

// MODEL.md section 4, outcome and dispersion: weights chat_i s_ik.
void MetricRecorder::append_issues(std::vector<double>& row, const WorldState& state) const {
  const Vector share = state.capability_share();
  for (int issue = 0; issue < state.issues(); ++issue) {
    double weight_sum = 0;
    double weighted = 0;
    for (int agent = 0; agent < state.agents(); ++agent) {
      const double weight = share(agent) * state.s(agent, issue);
      weight_sum += weight;
      weighted += weight * state.x(agent, issue);
    }
    const double mean = safe_ratio(weighted, weight_sum);
    double spread = 0;
    for (int agent = 0; agent < state.agents(); ++agent) {
      const double deviation = state.x(agent, issue) - mean;
      spread += share(agent) * state.s(agent, issue) * deviation * deviation;
    }
    row.push_back(mean);
    row.push_back(std::sqrt(safe_ratio(spread, weight_sum)));
  }
}

// MODEL.md section 4, cooperation: formula letters as in the text.
double cooperation_index(const TickScratch& scratch) {
  double numerator = 0;
  double denominator = 0;
  const auto n = scratch.w.rows();
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = i + 1; j < n; ++j) {
      numerator += scratch.w(i, j) * scratch.o(i, j);
      denominator += scratch.w(i, j);
    }
  }
  return safe_ratio(numerator, denominator);
}

// With a zero diagonal, sum over i<j<k of Abar_ij Abar_jk Abar_ki is trace(Abar^3) / 6.
double balance_index(const Matrix& A) {
  const Matrix bar = (A + A.transpose()) / 2.0;
  const Matrix magnitude = bar.cwiseAbs();
  const double signed_sum = (bar * bar).cwiseProduct(bar.transpose()).sum();
  const double absolute_sum = (magnitude * magnitude).cwiseProduct(magnitude.transpose()).sum();
  return safe_ratio(signed_sum, absolute_sum);
}

std::vector<int> bloc_ids(const Matrix& A, double threshold) {
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
  const auto n = static_cast<std::size_t>(A.rows());
  Graph graph(n);
  for (Eigen::Index i = 0; i < A.rows(); ++i) {
    for (Eigen::Index j = i + 1; j < A.rows(); ++j) {
      if (std::min(A(i, j), A(j, i)) > threshold) {
        boost::add_edge(static_cast<std::size_t>(i), static_cast<std::size_t>(j), graph);
      }
    }
  }
  std::vector<int> component(n);
  boost::connected_components(graph, component.data());
  // Component numbers become the smallest member index; agents are visited in order.
  std::vector<int> smallest(n, -1);
  std::vector<int> ids(n);
  for (std::size_t agent = 0; agent < n; ++agent) {
    auto& first = smallest[static_cast<std::size_t>(component[agent])];
    if (first < 0) first = static_cast<int>(agent);
    ids[agent] = first;
  }
  return ids;
}

std::vector<int> camps(const Matrix& A, const std::vector<AgentIndex>& orient_by) {
  const Eigen::MatrixXd bar = (A + A.transpose()) / 2.0;
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(bar);
  const Eigen::VectorXd leading = solver.eigenvectors().col(bar.cols() - 1);
  // Entries this small relative to a unit vector are round-off, not a side.
  constexpr double kZero = 1e-9;
  std::vector<int> sign(static_cast<std::size_t>(leading.size()));
  for (Eigen::Index agent = 0; agent < leading.size(); ++agent) {
    sign[static_cast<std::size_t>(agent)] = leading(agent) > kZero ? 1 : (leading(agent) < -kZero ? -1 : 0);
  }
  std::vector<AgentIndex> order = orient_by;
  for (AgentIndex agent = 0; agent < static_cast<int>(sign.size()); ++agent) order.push_back(agent);
  for (AgentIndex agent : order) {
    if (sign[static_cast<std::size_t>(agent)] == 0) continue;
    if (sign[static_cast<std::size_t>(agent)] < 0) {
      for (int& value : sign) value = -value;
    }
    break;
  }
  return sign;
}

// MODEL.md section 4, alignment:I:J.
double alignment(const WorldState& state, AgentIndex i, AgentIndex j) {
  double total = 0;
  for (int k = 0; k < state.issues(); ++k) {
    const double stake = (state.s(i, k) + state.s(j, k)) / 2.0;
    total += stake * (1.0 - std::abs(state.x(i, k) - state.x(j, k)));
  }
  return total;
}

}  // namespace geosim
