#pragma once
#include <string>
#include <vector>

#include "geosim/scenario.h"
#include "geosim/state.h"

namespace geosim {

/// Computes the metrics of MODEL.md section 4 for one scenario. The column set depends only on
/// the scenario (its issues, regions and `track:` entries), in this order:
///   tick, cooperation, balance, blocs,
///   per tracked dyad I:J   coop:I:J affinity:I:J alignment:I:J dependence:I:J attention:I:J,
///   per tracked agent I    bloc_of:I camp:I,
///   per region R           invest_total:R invest_hhi:R, then invest_share:R:J per tracked agent J,
///   per issue K            outcome:K dispersion:K.
class MetricRecorder {
 public:
  explicit MetricRecorder(const ScenarioSpec& spec);

  const std::vector<std::string>& columns() const { return columns_; }

  /// One row: the state after the phases of the tick just completed, with that tick's
  /// interaction (scratch.w) and net cooperation (scratch.o).
  std::vector<double> record(int tick, const WorldState& state, const TickScratch& scratch) const;

 private:
  void append_dyads(std::vector<double>& row, const WorldState& state, const TickScratch& scratch) const;
  void append_agents(std::vector<double>& row, const WorldState& state) const;
  void append_regions(std::vector<double>& row, const WorldState& state) const;
  void append_issues(std::vector<double>& row, const WorldState& state) const;

  const ScenarioSpec& spec_;
  std::vector<std::string> columns_;
};

/// `cooperation`: sum_{i<j} w_ij o_ij / sum_{i<j} w_ij (0 when the denominator is 0).
double cooperation_index(const TickScratch& scratch);
/// `balance`: the share of balanced triad weight, trace(Abar^3) / trace(|Abar|^3).
double balance_index(const Matrix& A);
/// Bloc component ids (smallest member index) of the graph min(A_ij, A_ji) > threshold.
std::vector<int> bloc_ids(const Matrix& A, double threshold);
/// `camp`: the sign of each agent's entry in the leading eigenvector of Abar, oriented so that
/// the first of `orient_by` (then of all agents) with a non-zero entry is +1.
std::vector<int> camps(const Matrix& A, const std::vector<AgentIndex>& orient_by);
/// `alignment:I:J`: sum_k (s_ik + s_jk)/2 (1 - |x_ik - x_jk|).
double alignment(const WorldState& state, AgentIndex i, AgentIndex j);

}  // namespace geosim
