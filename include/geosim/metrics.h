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
  /// Reads bar_ and blocs_, which record() has just set.
  void append_agents(std::vector<double>& row) const;
  void append_regions(std::vector<double>& row, const WorldState& state) const;
  void append_issues(std::vector<double>& row, const WorldState& state) const;

  const ScenarioSpec& spec_;
  std::vector<std::string> columns_;
  /// The last record's leading eigenvector of Abar (large worlds): the next search starts
  /// there. A recorder therefore belongs to one run (one thread) at a time.
  mutable Eigen::VectorXd warm_;
  /// Abar = (A + A^T) / 2 and |Abar| of the record being made (balance and camps), kept so
  /// that records reuse their storage.
  mutable Eigen::MatrixXd bar_;
  mutable Eigen::MatrixXd magnitude_;
  /// The rest of a record's work storage, likewise reused: nothing in it carries over from one
  /// record to the next.
  mutable std::vector<double> block_sums_;  ///< balance: per row block, signed then absolute
  mutable std::vector<int> blocs_;          ///< bloc ids
  mutable std::vector<int> bloc_work_;      ///< the disjoint sets' ranks and parents
  mutable std::vector<int> camp_;           ///< camp signs
  mutable Eigen::VectorXd leading_;         ///< the leading eigenvector of Abar
  mutable Eigen::VectorXd share_;           ///< capability shares chat
};

/// `cooperation`: sum_{i<j} w_ij o_ij / sum_{i<j} w_ij (0 when the denominator is 0), each sum
/// over row i's pairs in groups of four from j = i + 1, the pair j = i + 1 + 4 g + r in partial
/// sum r, in increasing i and g, the four added as (p0 + p1) + (p2 + p3).
double cooperation_index(const TickScratch& scratch);
/// `balance`: the share of balanced triad weight, sum_{i<j<k} Abar_ij Abar_jk Abar_ki over the
/// same for |Abar|. Up to kRowBlock agents, for each j the sums over i < j of Abar_ij Abar_ik
/// (k > j), times Abar_jk, in four interleaved partial sums over k (metrics.cpp, small_triads);
/// larger worlds as trace(Abar^3) / trace(|Abar|^3), each trace as sum_ij (Abar^2)_ij Abar_ij
/// over the lower triangle j <= i (off-diagonal terms twice), by row blocks (for_each_row_block,
/// geosim/parallel.h) whose sums are added in block order. Deterministic: the same bits at any
/// thread count.
double balance_index(const Matrix& A);
/// Bloc component ids (smallest member index) of the graph min(A_ij, A_ji) > threshold.
std::vector<int> bloc_ids(const Matrix& A, double threshold);
/// `camp`: the sign of each agent's entry in the leading eigenvector of Abar, oriented so that
/// the first of `orient_by` (then of all agents) with a non-zero entry is +1.
std::vector<int> camps(const Matrix& A, const std::vector<AgentIndex>& orient_by);
/// As above; for N >= kIterativeEigenFrom the eigenvector search starts from `*warm` (when it
/// has N entries) and leaves its result there, so that successive records converge in a few
/// steps. Deterministic: the same A and `*warm` give the same bits.
std::vector<int> camps(const Matrix& A, const std::vector<AgentIndex>& orient_by, Eigen::VectorXd* warm);

/// From this many agents the leading eigenvector comes from Lanczos iteration (no dense
/// eigen-decomposition, which costs O(N^3) per record).
inline constexpr Eigen::Index kIterativeEigenFrom = 200;
/// Lanczos stops when |Abar v - theta v| <= kLanczosTolerance |theta| for the Ritz pair
/// (theta, v), |v| = 1. An entry of v is then within about kLanczosTolerance |theta| / gap of the
/// true eigenvector's (gap: the distance to the next eigenvalue).
inline constexpr double kLanczosTolerance = 1e-10;
/// The unit eigenvector of the symmetric `bar` for its largest eigenvalue, up to sign. Below 3
/// agents, or when the largest eigenvalue is (nearly) repeated (another within 1e-6 of the
/// spectral bound) below kIterativeEigenFrom, the full dense solver's (the reference);
/// otherwise, below kIterativeEigenFrom, inverse iteration on the Householder tridiagonal form,
/// checked on `bar` (residual at most 1e-13 of the bound, else the full solver: entries within
/// about 1e-7 of the reference's, far closer in practice), or Lanczos from `*warm` (large N,
/// see camps). Deterministic, and the same bits with and without AVX2.
Eigen::VectorXd leading_eigenvector(const Eigen::MatrixXd& bar, Eigen::VectorXd* warm = nullptr);
/// The reference: the leading column of Eigen's full self-adjoint eigen-decomposition.
Eigen::VectorXd leading_eigenvector_exact(const Eigen::MatrixXd& bar);
/// `alignment:I:J`: sum_k (s_ik + s_jk)/2 (1 - |x_ik - x_jk|).
double alignment(const WorldState& state, AgentIndex i, AgentIndex j);

}  // namespace geosim
