#pragma once
#include <Eigen/Dense>
#include <optional>
#include <utility>
#include <vector>

#include "geosim/logistic.h"
#include "geosim/params.h"
#include "geosim/scenario.h"

namespace geosim {

/// Row-major, so that an agent's row (its attention, its affinities) is contiguous.
using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXd;
using RowVector = Eigen::RowVectorXd;

/// A sanction in force: P6 multiplies e_ij and e_ji by `factor` for i in from, j in to.
struct ActiveSanction {
  std::vector<AgentIndex> from;
  std::vector<AgentIndex> to;
  double factor = 1;
  std::optional<int> until;  ///< first tick at which it no longer applies
};

/// The state of one run between phases (MODEL.md section 2). Symbols follow MODEL.md.
/// Owned by one run; never shared between threads.
struct WorldState {
  Matrix x;    ///< N x K positions
  Matrix x0;   ///< N x K anchors
  Matrix s;    ///< N x K saliences, rows sum to 1
  Vector c;    ///< N capabilities
  Vector lam;  ///< N susceptibilities
  Vector g;    ///< N capability growth per tick
  std::vector<std::optional<double>> capital;  ///< N capital pools K (nullopt: phi_K chat)
  Matrix A;    ///< N x N affinity, A_ii = 0
  Matrix A0;   ///< N x N baseline affinity
  Matrix a;    ///< N x N engagement, rows sum to 1, a_ii = 0
  Matrix e;    ///< N x N trade, symmetric
  Matrix M;    ///< N x G membership (0/1)
  Matrix S;    ///< R x N investment stocks
  Vector q;    ///< R investment climates
  std::vector<AgentIndex> host;  ///< R region hosts
  /// Pivot targets per agent (empty: default attention).
  std::vector<std::vector<std::pair<AgentIndex, double>>> pivot;
  std::vector<ActiveSanction> sanctions;
  std::vector<int> hazard_fired;  ///< per event, times fired
  Params params;

  int agents() const { return static_cast<int>(x.rows()); }
  int issues() const { return static_cast<int>(x.cols()); }
  int regions() const { return static_cast<int>(S.rows()); }
  /// chat = c / sum(c).
  Vector capability_share() const { return c / c.sum(); }
};

/// Per-tick values that phases hand to later phases and to the metrics (MODEL.md P2, P3).
struct TickScratch {
  Matrix w;  ///< interaction intensity, symmetric, zero diagonal
  Matrix h;  ///< saturated intensity w / (w + 1/N)
  Matrix o;  ///< net cooperation, symmetric
  Matrix X;  ///< X_ij: exploitation of i by j
  Matrix next;  ///< a buffer for double-buffered N x N updates
  Matrix next_positions;  ///< a buffer for N x K updates
  /// Work lanes of the phases (logistic arguments and values, per-issue sums), sized once so
  /// that a tick allocates nothing; their contents mean nothing between phases.
  std::vector<double> lanes;
  std::vector<double> lanes_out;  ///< 4 N K: P3's positions, saliences and two exponentials per agent-issue
  explicit TickScratch(int agents = 0, int issues = 0);
};

/// The initial state of a scenario (MODEL.md section 2), with a(0) the default attention.
WorldState make_initial_state(const ScenarioSpec& spec);

/// MODEL.md P1: i's default attention row d_i (normalised over j != i) into `out`.
void default_attention(const WorldState& state, AgentIndex i, Eigen::Ref<RowVector> out);
/// MODEL.md P1 for the agents i in [first, first + rows) without a pivot (rows <= kRowBlock):
/// next_i = (1 - gamma) a_i + gamma d_i, with d_i as default_attention gives it, to the bit. The
/// rows of agents with a pivot are left as they are.
void default_engagement(const WorldState& state, int first, int rows, Matrix& next);

/// MODEL.md P2: fills scratch.w and scratch.h from the engagement and memberships.
void compute_interaction(const WorldState& state, TickScratch& scratch);

}  // namespace geosim
